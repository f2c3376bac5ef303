package dev.iov.infiniband.hca;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.NumberedState;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.linux.sysfs.SysfsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Finds RDMA devices (InfiniBand HCAs, RoCE NICs, software devices) in sysfs. Reads only.
 *
 * <p>Where each value comes from and the format the kernel writes there ({@code drivers/infiniband/core/sysfs.c}
 * unless noted); every read trims the trailing newline:
 * <pre>
 * class/infiniband/&lt;dev&gt; -&gt; ../../devices/pci0000:00/.../&lt;bdf&gt;/infiniband/&lt;dev&gt;  (software: devices/virtual/...)
 *   device -&gt; ../../../&lt;bdf&gt;           the PCI parent; absent, or not a PCI name, for software devices
 *   node_guid        "%04x:%04x:%04x:%04x"   node_guid_show
 *   node_type        "%d: CA" (switch, router, RNIC, usNIC, usNIC UDP, unspecified)   node_type_show
 *   fw_ver           "%s" (mlx5 "%d.%d.%04d"; empty when the driver has none)          fw_ver_show
 *   ports/&lt;n&gt;/state       "%d: %s" (NOP, DOWN, INIT, ARMED, ACTIVE, ACTIVE_DEFER)   state_show
 *   ports/&lt;n&gt;/phys_state  "%u: %s" (Sleep, Polling, Disabled, ..., LinkUp)  phys_state_show, ib_port_phys_state_str
 *   ports/&lt;n&gt;/rate        "%d%s Gb/sec (%dX%s)", e.g. "100 Gb/sec (4X EDR)"      rate_show
 *   ports/&lt;n&gt;/lid, sm_lid "0x%x"                                              lid_show, sm_lid_show
 *   ports/&lt;n&gt;/link_layer  "InfiniBand" or "Ethernet"                          link_layer_show
 *   ports/&lt;n&gt;/pkeys/&lt;i&gt;  "0x%04x", one file per table slot                       show_port_pkey
 *   ports/&lt;n&gt;/gids/&lt;i&gt;   "%pI6", e.g. "fe80:0000:0000:0000:b859:9f03:00d4:1a2c"     show_port_gid
 *   device/sriov/&lt;vf&gt;/node, port  "%02x:...:%02x" (8 bytes)       mlx5 sriov_sysfs.c node_show, port_show
 *   device/sriov/&lt;vf&gt;/policy      "Down", "Up", "Follow"         mlx5 sriov_sysfs.c policy_show, policy_str
 * </pre>
 *
 * <p>P_Key slots whose partition is 0 ({@code 0x0000}, the empty slot, and the invalid {@code 0x8000}) are left
 * out; GID slots holding the zero GID are left out. An mlx5 {@code sriov/<vf>} directory without any of the three
 * files (an Ethernet-mode VF) is skipped.
 *
 * <p>Every failure is a {@link SysfsException} naming the file that was missing or malformed. A host without
 * {@code class/infiniband} has no HCAs: the result is empty, not an error.
 */
public final class HcaDiscovery {
    /** The class directory, relative to the sysfs root. */
    static final String CLASS = "class/infiniband";

    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
    private static final Pattern VF_GUID = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){7}");

    private final Sysfs sysfs;

    private HcaDiscovery(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    /** @return discovery on this host's {@code /sys} */
    public static HcaDiscovery system() {
        return new HcaDiscovery(Sysfs.system());
    }

    /**
     * @param root the directory that plays {@code /sys}
     * @return discovery below it
     */
    public static HcaDiscovery at(Path root) {
        return new HcaDiscovery(Sysfs.at(root));
    }

    /**
     * @param sysfs the sysfs to read
     * @return discovery on it
     */
    public static HcaDiscovery on(Sysfs sysfs) {
        return new HcaDiscovery(Objects.requireNonNull(sysfs, "sysfs"));
    }

    /**
     * @return every RDMA device, in name order ({@code mlx5_2} before {@code mlx5_10})
     * @throws SysfsException when a file of a device is missing or malformed
     */
    public List<Hca> hcas() {
        List<Hca> found = new ArrayList<>();
        for (String name : sysfs.list(CLASS)) {
            found.add(read(name));
        }
        return found;
    }

    /**
     * @param name a device name, e.g. {@code mlx5_0}
     * @return the device, empty when there is none of that name
     * @throws SysfsException when a file of the device is missing or malformed
     * @throws IllegalArgumentException when the name is empty or contains {@code /}
     */
    public Optional<Hca> hca(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid RDMA device name '" + name + "'");
        }
        return sysfs.exists(CLASS + "/" + name) ? Optional.of(read(name)) : Optional.empty();
    }

    private Hca read(String name) {
        String dir = CLASS + "/" + name;
        Guid nodeGuid = parsed(dir + "/node_guid", "xxxx:xxxx:xxxx:xxxx", HcaDiscovery::sysfsGuid);
        NumberedState nodeType = sysfs.readNumberedState(dir + "/node_type");
        String fw = sysfs.read(dir + "/fw_ver").strip();
        List<HcaPort> ports = new ArrayList<>();
        for (String port : sysfs.list(dir + "/ports")) {
            if (NUMBER.matcher(port).matches()) {
                ports.add(port(dir + "/ports/" + port, Integer.parseInt(port)));
            }
        }
        return new Hca(name, pci(dir + "/device"), nodeGuid, nodeType, fw.isEmpty() ? Optional.empty()
                : Optional.of(fw), ports, vfGuidPolicies(dir + "/device/sriov"));
    }

    private Optional<PciAddress> pci(String link) {
        Optional<String> target = sysfs.linkTarget(link);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PciAddress.parse(target.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a non-PCI parent (virtio, a netdev's platform device): not a PCI HCA
        }
    }

    private HcaPort port(String dir, int number) {
        if (number < 1 || number > 255) {
            throw malformed(dir, Integer.toString(number), "a port number 1-255", null);
        }
        NumberedState state = sysfs.readNumberedState(dir + "/state");
        NumberedState phys = sysfs.readNumberedState(dir + "/phys_state");
        String rate = sysfs.read(dir + "/rate").strip();
        int lid = lid(dir + "/lid");
        int smLid = lid(dir + "/sm_lid");
        String linkLayer = sysfs.read(dir + "/link_layer").strip();
        List<PKey> pkeys = new ArrayList<>();
        for (String slot : numbered(dir + "/pkeys")) {
            String file = dir + "/pkeys/" + slot;
            long value = sysfs.readHex(file);
            if (value > 0xffff) {
                throw malformed(file, sysfs.read(file).strip(), "a 16-bit P_Key", null);
            }
            if ((value & 0x7fff) != 0) {
                pkeys.add(PKey.of((int) value));
            }
        }
        SortedMap<Integer, Gid> gids = new TreeMap<>();
        for (String slot : numbered(dir + "/gids")) {
            Gid gid = parsed(dir + "/gids/" + slot, "a GID (8 groups of 4 hex digits)", Gid::parse);
            if (!gid.isZero()) {
                gids.put(Integer.parseInt(slot), gid);
            }
        }
        return new HcaPort(number, state, phys, rate, lid, smLid, linkLayer, pkeys, gids);
    }

    private int lid(String file) {
        long value = sysfs.readHex(file);
        if (value > 0xffff) {
            throw malformed(file, sysfs.read(file).strip(), "a 16-bit LID", null);
        }
        return (int) value;
    }

    private List<VfGuidPolicy> vfGuidPolicies(String sriovDir) {
        List<VfGuidPolicy> vfs = new ArrayList<>();
        for (String vf : numbered(sriovDir)) {
            String dir = sriovDir + "/" + vf;
            if (!sysfs.exists(dir + "/node") && !sysfs.exists(dir + "/port") && !sysfs.exists(dir + "/policy")) {
                continue;
            }
            String expected = "8 colon-separated hex bytes";
            Guid node = parsed(dir + "/node", expected, HcaDiscovery::vfGuid);
            Guid port = parsed(dir + "/port", expected, HcaDiscovery::vfGuid);
            VfPortPolicy policy = parsed(dir + "/policy", "Down, Up or Follow", VfPortPolicy::fromWord);
            vfs.add(new VfGuidPolicy(Integer.parseInt(vf), node, port, policy));
        }
        return vfs;
    }

    /** Directory entries that are slot or VF numbers, in numeric order (mlx5 adds non-numbered ones, e.g. pf). */
    private List<String> numbered(String dir) {
        return sysfs.list(dir).stream().filter(n -> NUMBER.matcher(n).matches()).toList();
    }

    private <T> T parsed(String file, String expected, Function<String, T> parser) {
        String text = sysfs.read(file).strip();
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw malformed(file, text, expected, e);
        }
    }

    /** node_guid_show: exactly four groups of four hex digits (Guid.parse also takes shorter groups and 0x…). */
    private static Guid sysfsGuid(String text) {
        if (text.length() != 19 || text.startsWith("0x") || text.startsWith("0X")) {
            throw new IllegalArgumentException("not xxxx:xxxx:xxxx:xxxx: '" + text + "'");
        }
        return Guid.parse(text);
    }

    /** mlx5 node_show/port_show: "%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", most significant byte first. */
    private static Guid vfGuid(String text) {
        if (!VF_GUID.matcher(text).matches()) {
            throw new IllegalArgumentException("not 8 colon-separated hex bytes: '" + text + "'");
        }
        return Guid.of(Long.parseUnsignedLong(text.replace(":", ""), 16));
    }

    private SysfsException malformed(String relative, String text, String expected, Throwable cause) {
        Path path = sysfs.resolve(relative);
        return new SysfsException(path, path + " holds '" + text + "', expected " + expected, cause);
    }
}
