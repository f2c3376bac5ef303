package dev.iov.infiniband.hca;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.Sysfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sysfs tree with RDMA devices, laid out and formatted as the kernel does (see {@link HcaDiscovery} for the
 * kernel functions behind each file). Built with {@link #builder()} under a directory that plays {@code /sys}:
 * <pre>
 * devices/pci0000:00/0000:00:02.0/&lt;bdf&gt;/                 the PCI function (vendor, device, class)
 *     infiniband/&lt;dev&gt;/                                  the ib_device
 *         device -&gt; ../../../&lt;bdf&gt;
 *         node_guid "%04x:%04x:%04x:%04x\n", sys_image_guid, node_type "%d: CA\n", fw_ver "%s\n"
 *         ports/&lt;n&gt;/{state "%d: %s\n", phys_state "%u: %s\n", rate "... Gb/sec (%dX%s)\n", lid "0x%x\n",
 *                    sm_lid "0x%x\n", link_layer "%s\n", pkeys/&lt;i&gt; "0x%04x\n", gids/&lt;i&gt; "%pI6\n"}
 *     sriov/&lt;vf&gt;/{node, port "%02x:..:%02x\n", policy "Follow\n"}  (mlx5 PFs with VFs)
 * devices/virtual/infiniband/&lt;dev&gt;/                       software devices (rxe): no device link
 * class/infiniband/&lt;dev&gt; -&gt; ../../devices/.../infiniband/&lt;dev&gt;
 * </pre>
 * Files can be overwritten afterwards with {@link #write(String, byte[])} to corrupt them.
 */
public final class FakeIbSysfs {
    private static final String PARENT = "devices/pci0000:00/0000:00:02.0";

    private final Path root;

    private FakeIbSysfs(Path root) {
        this.root = root;
    }

    /** The node GUID of {@code mlx5_0} in {@link #example}. */
    public static final Guid MLX5_0_GUID = Guid.parse("b859:9f03:00d4:1a2c");

    /**
     * The tree most tests use: {@code mlx5_0} at 0000:86:00.0 with port 1 InfiniBand ACTIVE (HDR, LID 0x17, SM LID
     * 0x1, P_Keys 0xffff and 0x8001 in slots 0 and 1, zeros after, GID 0 the link-local GID) and port 2 Ethernet
     * (RoCE, DOWN/Disabled); {@code mlx5_1} at 0000:86:00.1, a PF with {@code sriov/0} (GUIDs set, Follow) and
     * {@code sriov/1} (unset, Down); {@code rxe0}, a soft-RoCE device without PCI parent and without firmware.
     *
     * @param root an empty directory that plays {@code /sys}
     * @return the tree
     */
    public static FakeIbSysfs example(Path root) {
        return builder()
                .hca("mlx5_0").pci("0000:86:00.0").nodeGuid(MLX5_0_GUID).fwVer("20.39.1002")
                    .port(1).rate("200 Gb/sec (4X HDR)").lid(0x17).smLid(0x1).pkeys(0xffff, 0x8001)
                        .gid(0, "fe80:0000:0000:0000:b859:9f03:00d4:1a2c").and()
                    .port(2).linkLayer("Ethernet").state(1).physState(3).rate("40 Gb/sec (4X QDR)")
                        .pkeyTableSize(1).gid(0, "fe80:0000:0000:0000:ba59:9fff:fed4:1a2d").and()
                    .and()
                .hca("mlx5_1").pci("0000:86:00.1").nodeGuid(Guid.parse("b859:9f03:00d4:1a2d")).fwVer("20.39.1002")
                    .port(1).rate("100 Gb/sec (4X EDR)").lid(0x18).smLid(0x1).and()
                    .vf(0, Guid.of(0x0011223344556677L), Guid.of(0x0011223344556678L), VfPortPolicy.FOLLOW)
                    .vf(1, Guid.ZERO, Guid.ZERO, VfPortPolicy.DOWN)
                    .and()
                .hca("rxe0").nodeGuid(Guid.parse("5054:00ff:fe12:3456")).fwVer("")
                    .port(1).linkLayer("Ethernet").rate("10 Gb/sec (1X QDR)").pkeyTableSize(64).and()
                    .and()
                .build(root);
    }

    /** @return a builder for a tree */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the directory that plays {@code /sys} */
    public Path root() {
        return root;
    }

    /** @return sysfs on this tree */
    public Sysfs sysfs() {
        return Sysfs.at(root);
    }

    /**
     * @param relative a file below the root, e.g. {@code class/infiniband/mlx5_0/node_guid}
     * @return its content as the kernel would show it, newline included
     */
    public String content(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces a file's content (through the class symlinks), to show discovery a malformed attribute.
     *
     * @param relative a file below the root
     * @param bytes the new content
     */
    public void write(String relative, byte[] bytes) {
        try {
            Files.write(root.resolve(relative), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds a tree of RDMA devices. */
    public static final class Builder {
        private final List<HcaBuilder> hcas = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a device; configure it on the returned builder, {@link HcaBuilder#and()} comes back here.
         *
         * @param name e.g. {@code mlx5_0}
         * @return its builder
         */
        public HcaBuilder hca(String name) {
            HcaBuilder hca = new HcaBuilder(this, name);
            hcas.add(hca);
            return hca;
        }

        /**
         * Creates the tree.
         *
         * @param root an empty directory that plays {@code /sys}
         * @return the tree
         */
        public FakeIbSysfs build(Path root) {
            try {
                Files.createDirectories(root.resolve(HcaDiscovery.CLASS));
                for (HcaBuilder hca : hcas) {
                    hca.create(root);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new FakeIbSysfs(root);
        }
    }

    /** Configures one device. */
    public static final class HcaBuilder {
        private final Builder parent;
        private final String name;
        private PciAddress pci;
        private Guid nodeGuid = Guid.of(0xb8599f0300d41a2cL);
        private int nodeType = 1;
        private String fwVer = "20.39.1002";
        private final List<PortBuilder> ports = new ArrayList<>();
        private final Map<Integer, String[]> vfs = new LinkedHashMap<>();

        private HcaBuilder(Builder parent, String name) {
            this.parent = parent;
            this.name = name;
        }

        /**
         * @param address the PCI function; without one the device is a software device (devices/virtual)
         * @return this builder
         */
        public HcaBuilder pci(String address) {
            this.pci = PciAddress.parse(address);
            return this;
        }

        /**
         * @param guid the node GUID
         * @return this builder
         */
        public HcaBuilder nodeGuid(Guid guid) {
            this.nodeGuid = guid;
            return this;
        }

        /**
         * @param type RDMA_NODE_* number: 1 CA, 2 switch, 3 router, 4 RNIC, 5 usNIC, 6 usNIC UDP, 7 unspecified
         * @return this builder
         */
        public HcaBuilder nodeType(int type) {
            this.nodeType = type;
            return this;
        }

        /**
         * @param version {@code fw_ver}; empty for a driver without one
         * @return this builder
         */
        public HcaBuilder fwVer(String version) {
            this.fwVer = version;
            return this;
        }

        /**
         * Adds a port; configure it on the returned builder.
         *
         * @param number from 1
         * @return the port's builder
         */
        public PortBuilder port(int number) {
            PortBuilder port = new PortBuilder(this, number);
            ports.add(port);
            return port;
        }

        /**
         * Adds an mlx5 {@code sriov/<vf>} entry (needs {@link #pci}).
         *
         * @param vf the VF number
         * @param node its node GUID
         * @param port its port GUID
         * @param policy its policy
         * @return this builder
         */
        public HcaBuilder vf(int vf, Guid node, Guid port, VfPortPolicy policy) {
            vfs.put(vf, new String[] {mlx5Guid(node), mlx5Guid(port), policy.word()});
            return this;
        }

        /** @return the tree's builder */
        public Builder and() {
            return parent;
        }

        /** node_show/port_show: the 8 bytes, most significant first, "%02x" each, colon-separated. */
        private static String mlx5Guid(Guid guid) {
            StringBuilder text = new StringBuilder();
            for (int shift = 56; shift >= 0; shift -= 8) {
                text.append(String.format("%02x", (guid.toLong() >>> shift) & 0xff)).append(shift > 0 ? ":" : "");
            }
            return text.toString();
        }

        private static String nodeTypeName(int type) {
            switch (type) {
                case 1: return "CA";
                case 2: return "switch";
                case 3: return "router";
                case 4: return "RNIC";
                case 5: return "usNIC";
                case 6: return "usNIC UDP";
                case 7: return "unspecified";
                default: return "<unknown>";
            }
        }

        private void create(Path root) throws IOException {
            String devDir;
            if (pci != null) {
                Path pciDir = Files.createDirectories(root.resolve(PARENT + "/" + pci));
                Files.writeString(pciDir.resolve("vendor"), "0x15b3\n");
                Files.writeString(pciDir.resolve("device"), "0x101b\n");
                Files.writeString(pciDir.resolve("class"), "0x020700\n");
                devDir = PARENT + "/" + pci + "/infiniband/" + name;
            } else if (!vfs.isEmpty()) {
                throw new IllegalStateException(name + ": sriov entries need a PCI device");
            } else {
                devDir = "devices/virtual/infiniband/" + name;
            }
            Path dir = Files.createDirectories(root.resolve(devDir));
            Files.createSymbolicLink(root.resolve(HcaDiscovery.CLASS + "/" + name), Path.of("../../" + devDir));
            if (pci != null) {
                Files.createSymbolicLink(dir.resolve("device"), Path.of("../../../" + pci));
            }
            Files.writeString(dir.resolve("node_guid"), nodeGuid + "\n");
            Files.writeString(dir.resolve("sys_image_guid"), nodeGuid + "\n");
            Files.writeString(dir.resolve("node_type"), nodeType + ": " + nodeTypeName(nodeType) + "\n");
            Files.writeString(dir.resolve("fw_ver"), fwVer + "\n");
            Files.writeString(dir.resolve("node_desc"), name + " HCA-1\n");
            Files.createDirectories(dir.resolve("ports"));
            for (PortBuilder port : ports) {
                port.create(dir.resolve("ports/" + port.number), nodeGuid);
            }
            for (Map.Entry<Integer, String[]> vf : vfs.entrySet()) {
                Path vfDir = Files.createDirectories(root.resolve(PARENT + "/" + pci + "/sriov/" + vf.getKey()));
                Files.writeString(vfDir.resolve("node"), vf.getValue()[0] + "\n");
                Files.writeString(vfDir.resolve("port"), vf.getValue()[1] + "\n");
                Files.writeString(vfDir.resolve("policy"), vf.getValue()[2] + "\n");
            }
        }
    }

    /** Configures one port. Defaults: an active InfiniBand EDR port, LID 0, P_Key table {0xffff} of 128 slots. */
    public static final class PortBuilder {
        private static final String[] STATES = {"NOP", "DOWN", "INIT", "ARMED", "ACTIVE", "ACTIVE_DEFER"};
        private static final String[] PHYS_STATES = {"<unknown>", "Sleep", "Polling", "Disabled",
            "PortConfigurationTraining", "LinkUp", "LinkErrorRecovery", "Phy Test"};

        private final HcaBuilder parent;
        private final int number;
        private int state = 4;
        private int physState = 5;
        private String rate = "100 Gb/sec (4X EDR)";
        private int lid;
        private int smLid;
        private String linkLayer = "InfiniBand";
        private int[] pkeys = {0xffff};
        private int pkeyTableSize = 128;
        private final Map<Integer, String> gids = new LinkedHashMap<>();
        private int gidTableSize = 8;

        private PortBuilder(HcaBuilder parent, int number) {
            this.parent = parent;
            this.number = number;
        }

        /**
         * @param value PortState number 0-5, printed with the kernel's name
         * @return this builder
         */
        public PortBuilder state(int value) {
            this.state = value;
            return this;
        }

        /**
         * @param value phys_state number 1-7, printed with the kernel's name
         * @return this builder
         */
        public PortBuilder physState(int value) {
            this.physState = value;
            return this;
        }

        /**
         * @param text e.g. {@code 200 Gb/sec (4X HDR)}
         * @return this builder
         */
        public PortBuilder rate(String text) {
            this.rate = text;
            return this;
        }

        /**
         * @param value the port's LID
         * @return this builder
         */
        public PortBuilder lid(int value) {
            this.lid = value;
            return this;
        }

        /**
         * @param value the SM's LID
         * @return this builder
         */
        public PortBuilder smLid(int value) {
            this.smLid = value;
            return this;
        }

        /**
         * @param text {@code InfiniBand} or {@code Ethernet}
         * @return this builder
         */
        public PortBuilder linkLayer(String text) {
            this.linkLayer = text;
            return this;
        }

        /**
         * @param values the P_Key table from slot 0 on (0 for an empty slot); the rest of the table is 0x0000
         * @return this builder
         */
        public PortBuilder pkeys(int... values) {
            this.pkeys = values.clone();
            return this;
        }

        /**
         * @param size how many {@code pkeys/<i>} files the port has
         * @return this builder
         */
        public PortBuilder pkeyTableSize(int size) {
            this.pkeyTableSize = size;
            return this;
        }

        /**
         * @param index a GID table slot
         * @param gid the GID in any form {@link Gid#parse} accepts; written in the kernel's form
         * @return this builder
         */
        public PortBuilder gid(int index, String gid) {
            gids.put(index, Gid.parse(gid).toString());
            return this;
        }

        /**
         * @param size how many {@code gids/<i>} files the port has
         * @return this builder
         */
        public PortBuilder gidTableSize(int size) {
            this.gidTableSize = size;
            return this;
        }

        /** @return the device's builder */
        public HcaBuilder and() {
            return parent;
        }

        private void create(Path dir, Guid nodeGuid) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("state"), state + ": "
                    + (state < STATES.length ? STATES[state] : "UNKNOWN") + "\n");
            Files.writeString(dir.resolve("phys_state"), physState + ": "
                    + (physState > 0 && physState < PHYS_STATES.length ? PHYS_STATES[physState] : "<unknown>")
                    + "\n");
            Files.writeString(dir.resolve("rate"), rate + "\n");
            Files.writeString(dir.resolve("lid"), "0x" + Integer.toHexString(lid) + "\n");
            Files.writeString(dir.resolve("sm_lid"), "0x" + Integer.toHexString(smLid) + "\n");
            Files.writeString(dir.resolve("lid_mask_count"), "0\n");
            Files.writeString(dir.resolve("sm_sl"), "0\n");
            Files.writeString(dir.resolve("cap_mask"), "0x2651e848\n");
            Files.writeString(dir.resolve("link_layer"), linkLayer + "\n");
            Path pkeyDir = Files.createDirectories(dir.resolve("pkeys"));
            for (int i = 0; i < Math.max(pkeyTableSize, pkeys.length); i++) {
                Files.writeString(pkeyDir.resolve(Integer.toString(i)),
                        String.format("0x%04x\n", i < pkeys.length ? pkeys[i] : 0));
            }
            Path gidDir = Files.createDirectories(dir.resolve("gids"));
            int gidSlots = Math.max(gidTableSize, gids.keySet().stream().mapToInt(i -> i + 1).max().orElse(0));
            char[] zero = new char[39];
            Arrays.fill(zero, '0');
            for (int g = 4; g < 39; g += 5) {
                zero[g] = ':';
            }
            for (int i = 0; i < gidSlots; i++) {
                Files.writeString(gidDir.resolve(Integer.toString(i)), gids.getOrDefault(i, new String(zero)) + "\n");
            }
        }
    }
}
