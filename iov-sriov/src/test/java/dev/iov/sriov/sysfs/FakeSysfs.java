package dev.iov.sriov.sysfs;

import dev.iov.api.net.PciAddress;
import dev.iov.linux.Errno;
import dev.iov.linux.sysfs.AttributeWriter;
import dev.iov.linux.sysfs.Sysfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A sysfs tree with SR-IOV devices, laid out as the kernel lays it out, with the kernel's answers to writes.
 *
 * <p>Built with {@link #builder()} under a temporary directory that plays {@code /sys}:
 * <pre>
 * devices/pci0000:00/0000:00:02.0/&lt;bdf&gt;/           the device directories (VFs are siblings of their PF)
 *     vendor, device            "0x%04x\n"            pci-sysfs.c pci_config_attr(vendor/device)
 *     class                     "0x%06x\n"            pci-sysfs.c pci_config_attr(class)
 *     numa_node                 "%d\n" (-1 unknown)   pci-sysfs.c numa_node_show
 *     driver_override           "%s\n", "(null)\n"    pci-sysfs.c driver_override_show (NULL printed by %s)
 *     driver -&gt; ../../../../bus/pci/drivers/&lt;name&gt;   drivers/base/bus.c driver_sysfs_add
 *     subsystem -&gt; ../../../bus/pci
 *     net/&lt;ifname&gt;/device -&gt; ../../../&lt;bdf&gt;       the netdev's device link (net/core/net-sysfs.c)
 *   PFs only (iov.c sriov_dev_attrs, shown for PFs only):
 *     sriov_totalvfs, sriov_numvfs  "%u\n"            iov.c sriov_totalvfs_show / sriov_numvfs_show
 *     sriov_drivers_autoprobe   "%u\n"                iov.c sriov_drivers_autoprobe_show
 *     sriov_vf_device           "%x\n"                iov.c sriov_vf_device_show
 *     sriov_offset, sriov_stride "%u\n"
 *     virtfnN -&gt; ../&lt;vf-bdf&gt;                         iov.c pci_iov_add_virtfn ("virtfn%u")
 *   VFs only:
 *     physfn -&gt; ../&lt;pf-bdf&gt;                          iov.c pci_iov_add_virtfn
 * bus/pci/devices/&lt;bdf&gt; -&gt; ../../../devices/pci0000:00/0000:00:02.0/&lt;bdf&gt;
 * bus/pci/drivers/&lt;name&gt;/{bind,unbind,new_id}, &lt;bdf&gt; -&gt; ../../../../devices/...   drivers/base/bus.c, pci-driver.c
 * bus/pci/drivers_probe, bus/pci/drivers_autoprobe                                  drivers/base/bus.c
 * class/net/&lt;ifname&gt; -&gt; ../../devices/pci0000:00/0000:00:02.0/&lt;bdf&gt;/net/&lt;ifname&gt;
 * </pre>
 *
 * <p>The tree is its own {@link AttributeWriter} ({@link #sysfs()}): every write is recorded ({@link #writes()})
 * and answered as the kernel's store handlers answer it, because a plain file cannot refuse a write:
 * {@code sriov_numvfs} parses with kstrtou16 (EINVAL), refuses more than {@code sriov_totalvfs} (ERANGE) and N while
 * M &gt; 0 are enabled (EBUSY), and creates or removes the VFs (binding their default driver when
 * {@code sriov_drivers_autoprobe} is 1); {@code sriov_drivers_autoprobe} parses with kstrtobool;
 * {@code driver_override} stores the name without its newline, {@code "\n"} clears it; {@code drivers/X/unbind}
 * detaches X (ENODEV when X is not bound); {@code drivers/X/bind} attaches X when it matches (the override, or the
 * device's own driver); {@code drivers_probe} binds the override driver, else the device's own driver, when that
 * driver is loaded (its directory exists). Binding a network driver creates the netdev, unbinding removes it.
 * {@link #failWrites(String, Errno)} makes writes to one file fail with a chosen errno, as the kernel would when a
 * VF is assigned to a VM; {@link #failNextWrite} does it once.
 */
public final class FakeSysfs implements AttributeWriter {
    /** The root port all devices hang under. */
    private static final String PARENT = "devices/pci0000:00/0000:00:02.0";
    private static final String VFIO_PCI = "vfio-pci";

    /** A card: PCI IDs, class and the drivers the kernel would pick for its PF and VFs. */
    public enum Model {
        /** NVIDIA/Mellanox ConnectX-5 in Ethernet mode: mlx5_core for PF and VFs. */
        CONNECTX5(0x15b3, 0x1017, 0x1018, 0x020000, "mlx5_core", "mlx5_core", 2),
        /** ConnectX-5 in InfiniBand mode: class 0x020700, IPoIB netdevs. */
        CONNECTX5_IB(0x15b3, 0x1017, 0x1018, 0x020700, "mlx5_core", "mlx5_core", 2),
        /** Intel XL710: i40e PF, iavf VFs (device 0x154c), VFs from device 2 on. */
        XL710(0x8086, 0x1572, 0x154c, 0x020000, "i40e", "iavf", 16),
        /** An SR-IOV NVMe SSD (class 0x010802): not a network function, to be ignored by discovery. */
        NVME(0x144d, 0xa824, 0xa824, 0x010802, "nvme", "nvme", 1);

        final int vendor;
        final int device;
        final int vfDevice;
        final int classCode;
        final String pfDriver;
        final String vfDriver;
        /** The routing-ID offset of VF 0 from the PF (First VF Offset); stride is 1. */
        final int vfOffset;

        Model(int vendor, int device, int vfDevice, int classCode, String pfDriver, String vfDriver, int vfOffset) {
            this.vendor = vendor;
            this.device = device;
            this.vfDevice = vfDevice;
            this.classCode = classCode;
            this.pfDriver = pfDriver;
            this.vfDriver = vfDriver;
            this.vfOffset = vfOffset;
        }

        boolean network() {
            return (classCode >>> 16) == 0x02;
        }

        /** @return the VF's PCI ID */
        public PciId vfId() {
            return new PciId(vendor, vfDevice);
        }

        /** @return the PF's PCI ID */
        public PciId pfId() {
            return new PciId(vendor, device);
        }

        /** @return the driver the kernel binds to a VF by default */
        public String vfDriverName() {
            return vfDriver;
        }

        /** @return the driver of the PF */
        public String pfDriverName() {
            return pfDriver;
        }

        /** @return the class code */
        public int classCode() {
            return classCode;
        }

        /**
         * @param pf the PF's address
         * @param index a VF number
         * @return the VF's address: PF routing ID + offset + index (stride 1)
         */
        public PciAddress vfAddress(PciAddress pf, int index) {
            int rid = (pf.bus() << 8 | pf.device() << 3 | pf.function()) + vfOffset + index;
            return PciAddress.of(pf.domain(), rid >>> 8, (rid >>> 3) & 0x1f, rid & 7);
        }
    }

    /**
     * One write as the code under test made it.
     *
     * @param file the path written, relative to the root, as given ({@code bus/pci/devices/<bdf>/sriov_numvfs})
     * @param value the bytes written, as text
     */
    public record Write(String file, String value) {
        @Override
        public String toString() {
            return file + " <- '" + value.replace("\n", "\\n") + "'";
        }
    }

    /** What the kernel knows about one device beyond its files. */
    private static final class Device {
        final String bdf;
        final Model model;
        final boolean physical;
        /** The driver whose ID table matches the device; null when none would. */
        final String ownDriver;
        /** The netdev its own driver creates; null for none. */
        final String netdev;
        /** For a PF: how it names the netdevs of VFs it creates; null when its VFs get none. */
        final String vfNetdevPrefix;
        final int numaNode;
        final int totalVfs;

        Device(String bdf, Model model, boolean physical, String ownDriver, String netdev, String vfNetdevPrefix,
                int numaNode, int totalVfs) {
            this.bdf = bdf;
            this.model = model;
            this.physical = physical;
            this.ownDriver = ownDriver;
            this.netdev = netdev;
            this.vfNetdevPrefix = vfNetdevPrefix;
            this.numaNode = numaNode;
            this.totalVfs = totalVfs;
        }
    }

    private final Path root;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<Write> writes = new ArrayList<>();
    /** Injected refusals: file -> (value or "" for any value) -> errno. */
    private final Map<String, Map<String, Errno>> failures = new HashMap<>();
    /** Injected one-time refusals: file -> errno, removed when it fires. */
    private final Map<String, Errno> failOnce = new HashMap<>();
    private final Sysfs sysfs;

    private FakeSysfs(Path root) {
        this.root = root;
        this.sysfs = Sysfs.at(root, this);
    }

    /** @return a builder for a tree */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the directory that plays {@code /sys} */
    public Path root() {
        return root;
    }

    /** @return sysfs on this tree, writing through it (recorded, answered like the kernel) */
    public Sysfs sysfs() {
        return sysfs;
    }

    /** @return every write attempted so far, refused ones included, in order */
    public List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Forgets the recorded writes. */
    public void clearWrites() {
        writes.clear();
    }

    /**
     * Makes every later write to one file fail with {@code errno}, as a kernel handler returning {@code -errno} does.
     *
     * @param relativeFile the file, relative to the root, as the code under test names it
     * @param errno the error
     */
    public void failWrites(String relativeFile, Errno errno) {
        failWrites(relativeFile, "", errno);
    }

    /**
     * Makes later writes of one value to one file fail with {@code errno}.
     *
     * @param relativeFile the file, relative to the root, as the code under test names it
     * @param value the value that fails; {@code ""} for any value
     * @param errno the error
     */
    public void failWrites(String relativeFile, String value, Errno errno) {
        failures.computeIfAbsent(relativeFile, f -> new HashMap<>()).put(value, errno);
    }

    /**
     * Makes only the next write to one file fail with {@code errno}; later writes are answered as usual.
     *
     * @param relativeFile the file, relative to the root, as the code under test names it
     * @param errno the error
     */
    public void failNextWrite(String relativeFile, Errno errno) {
        failOnce.put(relativeFile, errno);
    }

    /**
     * @param relative a file below the root
     * @return its content, as the kernel would show it (newline included)
     */
    public String content(String relative) {
        try {
            return Files.readString(root.resolve(relative), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param bdf a device
     * @return the driver bound to it, empty when none
     */
    public Optional<String> driverOf(String bdf) {
        Path link = deviceDir(bdf).resolve("driver");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- the kernel's answers to writes

    @Override
    public int write(Path file, byte[] bytes) throws IOException {
        String relative = root.relativize(file).toString();
        String value = new String(bytes, StandardCharsets.US_ASCII);
        writes.add(new Write(relative, value));
        Map<String, Errno> forFile = failures.getOrDefault(relative, Map.of());
        Errno injected = failOnce.containsKey(relative) ? failOnce.remove(relative)
                : forFile.getOrDefault(value, forFile.get(""));
        if (injected != null) {
            throw refusal(file, injected);
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        String name = file.getFileName().toString();
        String parent = file.getParent().getFileName().toString();
        Path grandParent = file.getParent().getParent();
        boolean driverAttribute = grandParent != null && grandParent.getFileName().toString().equals("drivers");
        if (driverAttribute && name.equals("unbind")) {
            unbindStore(file, parent, value.strip());
        } else if (driverAttribute && name.equals("bind")) {
            bindStore(file, parent, value.strip());
        } else if (name.equals("drivers_probe")) {
            driversProbeStore(file, value.strip());
        } else if (name.equals("sriov_numvfs")) {
            numVfsStore(file, parent, value);
        } else if (name.equals("sriov_drivers_autoprobe")) {
            Files.writeString(file, kstrtobool(file, value) ? "1\n" : "0\n");
        } else if (name.equals("driver_override")) {
            String override = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            Files.writeString(file, override.isEmpty() ? "(null)\n" : override + "\n");
        } else {
            return AttributeWriter.DIRECT.write(file, bytes);
        }
        return bytes.length;
    }

    /** A refused write as the JDK reports it: open errors as typed exceptions, write errors as strerror text. */
    private static IOException refusal(Path file, Errno errno) {
        switch (errno) {
            case ENOENT:
                return new NoSuchFileException(file.toString());
            case EACCES:
                return new java.nio.file.AccessDeniedException(file.toString());
            default:
                return new IOException(errno.message());
        }
    }

    private void unbindStore(Path file, String driver, String bdf) throws IOException {
        if (!devices.containsKey(bdf) || !driverOf(bdf).equals(Optional.of(driver))) {
            throw refusal(file, Errno.ENODEV);
        }
        unbind(bdf);
    }

    private void bindStore(Path file, String driver, String bdf) throws IOException {
        Device device = devices.get(bdf);
        if (device == null || !matches(device, driver)) {
            throw refusal(file, Errno.ENODEV);
        }
        if (driverOf(bdf).isPresent()) {
            throw refusal(file, Errno.EBUSY);
        }
        bind(bdf, driver);
    }

    private void driversProbeStore(Path file, String bdf) throws IOException {
        Device device = devices.get(bdf);
        if (device == null) {
            throw refusal(file, Errno.ENODEV);
        }
        if (driverOf(bdf).isEmpty()) {
            probe(device);
        }
    }

    private void numVfsStore(Path file, String pfBdf, String value) throws IOException {
        Device pf = devices.get(pfBdf);
        int requested;
        try {
            requested = Integer.decode(value.strip()); // kstrtou16(buf, 0, ...): decimal, 0x hex, 0 octal
        } catch (NumberFormatException e) {
            throw refusal(file, Errno.EINVAL);
        }
        if (requested < 0 || requested > 0xffff) {
            throw refusal(file, Errno.ERANGE);
        }
        if (requested > pf.totalVfs) {
            throw refusal(file, Errno.ERANGE);
        }
        int current = Integer.parseInt(Files.readString(file).strip());
        if (requested == current) {
            return;
        }
        if (requested != 0 && current != 0) {
            throw refusal(file, Errno.EBUSY);
        }
        if (requested == 0) {
            for (int i = current - 1; i >= 0; i--) {
                removeVf(pf, i);
            }
        } else {
            boolean autoprobe = content(deviceRel(pfBdf) + "/sriov_drivers_autoprobe").strip().equals("1");
            for (int i = 0; i < requested; i++) {
                String vfBdf = addVf(pf, i, pf.vfNetdevPrefix == null ? null : pf.vfNetdevPrefix + i);
                if (autoprobe) {
                    probe(devices.get(vfBdf));
                }
            }
        }
        Files.writeString(file, requested + "\n");
    }

    private static boolean kstrtobool(Path file, String value) throws IOException {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.startsWith("1") || v.startsWith("y") || v.equals("on")) {
            return true;
        }
        if (v.startsWith("0") || v.startsWith("n") || v.equals("off")) {
            return false;
        }
        throw refusal(file, Errno.EINVAL);
    }

    /** pci_bus_match: with an override only that driver matches, without one the driver whose ID table does. */
    private boolean matches(Device device, String driver) {
        String override = content(deviceRel(device.bdf) + "/driver_override").strip();
        return override.equals("(null)") ? driver.equals(device.ownDriver) : driver.equals(override);
    }

    private void probe(Device device) throws IOException {
        String override = content(deviceRel(device.bdf) + "/driver_override").strip();
        String candidate = override.equals("(null)") ? device.ownDriver : override;
        if (candidate != null && Files.isDirectory(root.resolve("bus/pci/drivers/" + candidate))) {
            bind(device.bdf, candidate);
        }
    }

    private void bind(String bdf, String driver) throws IOException {
        Device device = devices.get(bdf);
        Path dir = deviceDir(bdf);
        Files.createSymbolicLink(dir.resolve("driver"), Path.of("../../../../bus/pci/drivers/" + driver));
        Files.createSymbolicLink(root.resolve("bus/pci/drivers/" + driver + "/" + bdf),
                Path.of("../../../../" + PARENT + "/" + bdf));
        if (driver.equals(device.ownDriver) && device.netdev != null) {
            Path net = Files.createDirectories(dir.resolve("net/" + device.netdev));
            Files.createSymbolicLink(net.resolve("device"), Path.of("../../../" + bdf));
            Files.createSymbolicLink(root.resolve("class/net/" + device.netdev),
                    Path.of("../../" + PARENT + "/" + bdf + "/net/" + device.netdev));
        }
    }

    private void unbind(String bdf) throws IOException {
        Path dir = deviceDir(bdf);
        String driver = driverOf(bdf).orElseThrow();
        Files.delete(dir.resolve("driver"));
        Files.delete(root.resolve("bus/pci/drivers/" + driver + "/" + bdf));
        for (String netdev : names(dir.resolve("net"))) {
            Files.delete(root.resolve("class/net/" + netdev));
            deleteTree(dir.resolve("net/" + netdev));
        }
        Files.deleteIfExists(dir.resolve("net"));
    }

    // ---------------------------------------------------------------- building

    private Path deviceDir(String bdf) {
        return root.resolve(PARENT).resolve(bdf);
    }

    private static String deviceRel(String bdf) {
        return PARENT + "/" + bdf;
    }

    private void addDevice(Device device, PciId id, int classCode, String driver) throws IOException {
        String bdf = device.bdf;
        Path dir = Files.createDirectories(deviceDir(bdf));
        devices.put(bdf, device);
        Files.writeString(dir.resolve("vendor"), String.format("0x%04x\n", id.vendor()));
        Files.writeString(dir.resolve("device"), String.format("0x%04x\n", id.device()));
        Files.writeString(dir.resolve("class"), String.format("0x%06x\n", classCode));
        Files.writeString(dir.resolve("numa_node"), device.numaNode + "\n");
        Files.writeString(dir.resolve("driver_override"), "(null)\n");
        Files.createSymbolicLink(dir.resolve("subsystem"), Path.of("../../../bus/pci"));
        Files.createSymbolicLink(root.resolve("bus/pci/devices/" + bdf), Path.of("../../../" + PARENT + "/" + bdf));
        if (driver != null) {
            if (!Files.isDirectory(root.resolve("bus/pci/drivers/" + driver))) {
                throw new IllegalStateException(bdf + " is built bound to " + driver + ", which is not loaded");
            }
            bind(bdf, driver);
        }
    }

    private String addVf(Device pf, int index, String netdev) throws IOException {
        String bdf = pf.model.vfAddress(PciAddress.parse(pf.bdf), index).toString();
        if (devices.containsKey(bdf)) {
            throw new IllegalStateException("VF " + index + " of " + pf.bdf + " would be at " + bdf + ", taken");
        }
        Device vf = new Device(bdf, pf.model, false, pf.model.vfDriver, pf.model.network() ? netdev : null, null,
                pf.numaNode, 0);
        addDevice(vf, pf.model.vfId(), pf.model.classCode, null);
        Files.createSymbolicLink(deviceDir(pf.bdf).resolve("virtfn" + index), Path.of("../" + bdf));
        Files.createSymbolicLink(deviceDir(bdf).resolve("physfn"), Path.of("../" + pf.bdf));
        return bdf;
    }

    private void removeVf(Device pf, int index) throws IOException {
        Path link = deviceDir(pf.bdf).resolve("virtfn" + index);
        String bdf = Files.readSymbolicLink(link).getFileName().toString();
        if (driverOf(bdf).isPresent()) {
            unbind(bdf);
        }
        Files.delete(link);
        Files.delete(root.resolve("bus/pci/devices/" + bdf));
        deleteTree(deviceDir(bdf));
        devices.remove(bdf);
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** Builds a tree: PFs with their VFs, plain PCI devices, and which drivers are loaded. */
    public static final class Builder {
        private final List<PfBuilder> pfs = new ArrayList<>();
        private final List<String[]> plainDevices = new ArrayList<>();
        private final Set<String> unloaded = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Adds a physical function; configure it on the returned builder, {@link PfBuilder#and()} comes back here.
         *
         * @param bdf its address, e.g. {@code 0000:3b:00.0}
         * @param model the card
         * @return the PF's builder
         */
        public PfBuilder pf(String bdf, Model model) {
            PfBuilder pf = new PfBuilder(this, bdf, model);
            pfs.add(pf);
            return pf;
        }

        /**
         * Adds a PCI function without SR-IOV.
         *
         * @param bdf its address
         * @param id vendor and device
         * @param classCode its class
         * @param driver the bound driver, or null
         * @param netdev its netdev, or null
         * @return this builder
         */
        public Builder device(String bdf, PciId id, int classCode, String driver, String netdev) {
            plainDevices.add(new String[] {bdf, Integer.toString(id.vendor()), Integer.toString(id.device()),
                Integer.toString(classCode), driver, netdev});
            return this;
        }

        /**
         * Leaves a driver's module unloaded: no {@code bus/pci/drivers/<name>}, so nothing binds to it.
         *
         * @param driver e.g. {@code vfio-pci}
         * @return this builder
         */
        public Builder unloaded(String driver) {
            unloaded.add(driver);
            return this;
        }

        /**
         * Creates the tree.
         *
         * @param root an empty directory that plays {@code /sys}
         * @return the tree
         */
        public FakeSysfs build(Path root) {
            FakeSysfs fake = new FakeSysfs(root);
            try {
                for (String dir : List.of("bus/pci/devices", "class/net", PARENT)) {
                    Files.createDirectories(root.resolve(dir));
                }
                Files.writeString(root.resolve("bus/pci/drivers_probe"), "");
                Files.writeString(root.resolve("bus/pci/drivers_autoprobe"), "1\n");
                Set<String> drivers = new LinkedHashSet<>(List.of(VFIO_PCI));
                for (PfBuilder pf : pfs) {
                    drivers.add(pf.model.pfDriver);
                    drivers.add(pf.model.vfDriver);
                }
                plainDevices.stream().filter(d -> d[4] != null).forEach(d -> drivers.add(d[4]));
                drivers.removeAll(unloaded);
                for (String driver : drivers) {
                    Path dir = Files.createDirectories(root.resolve("bus/pci/drivers/" + driver));
                    for (String attribute : List.of("bind", "unbind", "new_id")) {
                        Files.writeString(dir.resolve(attribute), "");
                    }
                }
                for (String[] d : plainDevices) {
                    Device device = new Device(d[0], null, false, d[4], d[5], null, -1, 0);
                    fake.addDevice(device, new PciId(Integer.parseInt(d[1]), Integer.parseInt(d[2])),
                            Integer.parseInt(d[3]), d[4]);
                }
                for (PfBuilder pf : pfs) {
                    pf.create(fake);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return fake;
        }
    }

    /** Configures one physical function and its enabled VFs. */
    public static final class PfBuilder {
        private final Builder parent;
        private final String bdf;
        private final Model model;
        private String driver;
        private String netdev;
        private int numaNode = -1;
        private int totalVfs = 8;
        private boolean autoprobe = true;
        /** Per enabled VF: its driver (null: unbound). */
        private final List<String> vfDrivers = new ArrayList<>();

        private PfBuilder(Builder parent, String bdf, Model model) {
            this.parent = parent;
            this.bdf = bdf;
            this.model = model;
            this.driver = model.pfDriver;
        }

        /**
         * @param name the PF's netdev; its VFs' netdevs are named {@code <name>v<index>}
         * @return this builder
         */
        public PfBuilder netdev(String name) {
            this.netdev = name;
            return this;
        }

        /** @return this builder, with the PF bound to no driver (and so without a netdev) */
        public PfBuilder noDriver() {
            this.driver = null;
            return this;
        }

        /**
         * @param node the NUMA node, -1 for unknown
         * @return this builder
         */
        public PfBuilder numaNode(int node) {
            this.numaNode = node;
            return this;
        }

        /**
         * @param total {@code sriov_totalvfs}
         * @return this builder
         */
        public PfBuilder totalVfs(int total) {
            this.totalVfs = total;
            return this;
        }

        /**
         * @param enabled {@code sriov_drivers_autoprobe}
         * @return this builder
         */
        public PfBuilder autoprobe(boolean enabled) {
            this.autoprobe = enabled;
            return this;
        }

        /**
         * Enables VFs, each bound to the model's VF driver.
         *
         * @param count how many ({@code sriov_numvfs})
         * @return this builder
         */
        public PfBuilder vfs(int count) {
            vfDrivers.clear();
            for (int i = 0; i < count; i++) {
                vfDrivers.add(model.vfDriver);
            }
            return this;
        }

        /**
         * @param index an enabled VF
         * @param vfDriver the driver bound to it, {@code vfio-pci} (which also sets its driver_override), or null for
         *     none
         * @return this builder
         */
        public PfBuilder vfDriver(int index, String vfDriver) {
            vfDrivers.set(index, vfDriver);
            return this;
        }

        /** @return the tree's builder */
        public Builder and() {
            return parent;
        }

        private void create(FakeSysfs fake) throws IOException {
            String vfPrefix = netdev != null ? netdev + "v" : null;
            Device pf = new Device(bdf, model, true, model.pfDriver, driver != null ? netdev : null, vfPrefix,
                    numaNode, totalVfs);
            fake.addDevice(pf, model.pfId(), model.classCode, driver);
            Path dir = fake.deviceDir(bdf);
            Files.writeString(dir.resolve("sriov_totalvfs"), totalVfs + "\n");
            Files.writeString(dir.resolve("sriov_numvfs"), vfDrivers.size() + "\n");
            Files.writeString(dir.resolve("sriov_drivers_autoprobe"), (autoprobe ? 1 : 0) + "\n");
            Files.writeString(dir.resolve("sriov_vf_device"), Integer.toHexString(model.vfDevice) + "\n");
            Files.writeString(dir.resolve("sriov_offset"), model.vfOffset + "\n");
            Files.writeString(dir.resolve("sriov_stride"), "1\n");
            for (int i = 0; i < vfDrivers.size(); i++) {
                String vfBdf = fake.addVf(pf, i, vfPrefix != null ? vfPrefix + i : null);
                String vfDriver = vfDrivers.get(i);
                if (vfDriver != null) {
                    if (vfDriver.equals(VFIO_PCI)) {
                        Files.writeString(fake.deviceDir(vfBdf).resolve("driver_override"), VFIO_PCI + "\n");
                    }
                    fake.bind(vfBdf, vfDriver);
                }
            }
        }
    }
}
