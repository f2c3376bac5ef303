package dev.iov.sriov.sysfs;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.linux.sysfs.SysfsException;
import dev.iov.sriov.PciClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SR-IOV physical functions and their virtual functions in sysfs.
 *
 * <p>A physical function is a PCI network function (class 0x02xxxx, InfiniBand 0x0207xx included) whose
 * {@code sriov_totalvfs} is above zero; other SR-IOV devices (NVMe, GPUs) are ignored. Its VFs are its
 * {@code virtfnN} links, in numeric order of N. Reads only; {@link SriovControl} changes things.
 *
 * <p>Every failure is a {@link SysfsException} naming the file that was missing or malformed.
 */
public final class SriovDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(SriovDiscovery.class);
    private static final Pattern VIRTFN = Pattern.compile("virtfn(\\d{1,9})");

    private final Sysfs sysfs;

    private SriovDiscovery(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    /** @return discovery on this host's {@code /sys} */
    public static SriovDiscovery system() {
        return new SriovDiscovery(Sysfs.system());
    }

    /**
     * @param root the directory that plays {@code /sys}
     * @return discovery below it
     */
    public static SriovDiscovery at(Path root) {
        return new SriovDiscovery(Sysfs.at(root));
    }

    /**
     * @param sysfs the sysfs to read
     * @return discovery on it
     */
    public static SriovDiscovery on(Sysfs sysfs) {
        return new SriovDiscovery(Objects.requireNonNull(sysfs, "sysfs"));
    }

    /**
     * @return every SR-IOV network PF, ordered by PCI address
     * @throws SysfsException when a file of a candidate device is missing or malformed
     */
    public List<PhysicalFunction> physicalFunctions() {
        List<PhysicalFunction> found = new ArrayList<>();
        for (String name : sysfs.list(PciPaths.DEVICES)) {
            physicalFunction(address(PciPaths.DEVICES + "/" + name, name)).ifPresent(found::add);
        }
        found.sort(Comparator.comparing(PhysicalFunction::address));
        return found;
    }

    /**
     * @param address a PCI address
     * @return the PF there, empty when there is no device there or it is not an SR-IOV network PF
     * @throws SysfsException when a file of the device is missing or malformed
     */
    public Optional<PhysicalFunction> physicalFunction(PciAddress address) {
        String dir = PciPaths.device(address);
        if (!sysfs.exists(dir + "/sriov_totalvfs")) {
            return Optional.empty();
        }
        int classCode = (int) sysfs.readHex(dir + "/class");
        if (!PciClass.isNetwork(classCode)) {
            LOG.debug("{}: SR-IOV device of class 0x{} is not a network function, ignored", address,
                    Integer.toHexString(classCode));
            return Optional.empty();
        }
        int totalVfs = sysfs.readInt(dir + "/sriov_totalvfs");
        if (totalVfs <= 0) {
            return Optional.empty();
        }
        int numVfs = sysfs.readInt(dir + "/sriov_numvfs");
        if (numVfs < 0 || numVfs > totalVfs) {
            throw new SysfsException(sysfs.resolve(dir + "/sriov_numvfs"), sysfs.resolve(dir + "/sriov_numvfs")
                    + " holds " + numVfs + ", outside 0.." + totalVfs + " (sriov_totalvfs)", null);
        }
        int numaNode = sysfs.exists(dir + "/numa_node") ? sysfs.readInt(dir + "/numa_node") : -1;
        return Optional.of(new PhysicalFunction(address, id(dir), classCode, sysfs.linkTarget(dir + "/driver"),
                netdev(dir), numaNode, totalVfs, numVfs, virtualFunctions(dir)));
    }

    /**
     * @param netdev a network interface name
     * @return the SR-IOV PF behind it, empty when the interface does not exist, has no PCI device, or its device is
     *     not an SR-IOV PF (a VF's interface, a veth)
     * @throws SysfsException when a file of the device is missing or malformed
     */
    public Optional<PhysicalFunction> physicalFunction(InterfaceName netdev) {
        String link = "class/net/" + netdev.value() + "/device";
        Optional<String> device = sysfs.linkTarget(link);
        if (device.isEmpty()) {
            return Optional.empty();
        }
        Optional<PciAddress> address = parseAddress(device.get());
        return address.isPresent() ? physicalFunction(address.get()) : Optional.empty();
    }

    private List<VirtualFunction> virtualFunctions(String pfDir) {
        List<VirtualFunction> vfs = new ArrayList<>();
        for (String name : sysfs.list(pfDir)) {
            Matcher m = VIRTFN.matcher(name);
            if (!m.matches()) {
                continue;
            }
            String link = pfDir + "/" + name;
            PciAddress address = address(link, sysfs.linkTarget(link).orElseThrow());
            String vfDir = PciPaths.device(address);
            if (!sysfs.exists(vfDir)) {
                // A VF removed through its own 'remove' attribute leaves the PF's link dangling until VFs are
                // disabled; it is not usable, so it is not reported.
                LOG.debug("{} points to {}, which does not exist; skipped", sysfs.resolve(link), address);
                continue;
            }
            vfs.add(new VirtualFunction(Integer.parseInt(m.group(1)), address, id(vfDir),
                    sysfs.linkTarget(vfDir + "/driver"), netdev(vfDir)));
        }
        vfs.sort(Comparator.comparingInt(VirtualFunction::index));
        return vfs;
    }

    private PciId id(String dir) {
        return new PciId(id16(dir + "/vendor"), id16(dir + "/device"));
    }

    private int id16(String file) {
        long value = sysfs.readHex(file);
        if (value > 0xffff) {
            throw new SysfsException(sysfs.resolve(file), sysfs.resolve(file) + " holds 0x" + Long.toHexString(value)
                    + ", expected a 16-bit PCI ID", null);
        }
        return (int) value;
    }

    private Optional<InterfaceName> netdev(String dir) {
        List<String> names = sysfs.list(dir + "/net");
        if (names.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InterfaceName.of(names.get(0)));
        } catch (IllegalArgumentException e) {
            Path path = sysfs.resolve(dir + "/net/" + names.get(0));
            throw new SysfsException(path, path + " is not a valid interface name: " + e.getMessage(), e);
        }
    }

    /** Parses a device name found at {@code where} (a directory entry or a link target) as a PCI address. */
    private PciAddress address(String where, String name) {
        return parseAddress(name).orElseThrow(() -> new SysfsException(sysfs.resolve(where), sysfs.resolve(where)
                + " names '" + name + "', which is not a PCI address (dddd:bb:dd.f)", null));
    }

    private static Optional<PciAddress> parseAddress(String name) {
        try {
            return Optional.of(PciAddress.parse(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
