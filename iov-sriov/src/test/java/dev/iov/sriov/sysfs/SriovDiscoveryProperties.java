package dev.iov.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.SysfsException;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

class SriovDiscoveryProperties {
    /** What a VF is bound to. */
    enum VfDriver { OWN, VFIO, NONE }

    /** The shape of one PF: everything the generator varies. */
    record PfShape(Model model, int totalVfs, List<VfDriver> vfs, boolean bound, boolean named, int numaNode) {
    }

    @Provide
    Arbitrary<List<PfShape>> hosts() {
        Arbitrary<PfShape> pf = Arbitraries.integers().between(1, 64).flatMap(total -> Combinators.combine(
                Arbitraries.of(Model.class), Arbitraries.of(VfDriver.class).list().ofMaxSize(total),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(-1, 0, 1))
                .as((model, vfs, bound, named, numa) -> new PfShape(model, total, vfs, bound, named, numa)));
        return pf.list().ofMaxSize(4);
    }

    @Property(tries = 40)
    void aRandomTreeIsDiscoveredExactlyAsBuilt(@ForAll("hosts") List<PfShape> shapes) throws IOException {
        Path root = Files.createTempDirectory("iov-sriov-prop");
        try {
            FakeSysfs.Builder builder = FakeSysfs.builder();
            List<PhysicalFunction> expected = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                expected.addAll(add(builder, PciAddress.of(0, 0x10 + 0x20 * i, 0, 0), shapes.get(i)));
            }
            builder.build(root);

            assertThat(SriovDiscovery.at(root).physicalFunctions()).isEqualTo(expected);
        } finally {
            delete(root);
        }
    }

    /** Adds the PF to the builder and returns what discovery must report for it (nothing for NVMe). */
    private static List<PhysicalFunction> add(FakeSysfs.Builder builder, PciAddress address, PfShape shape) {
        Model model = shape.model();
        String netdev = shape.named() ? "enp" + address.bus() + "s0" : null;
        FakeSysfs.PfBuilder pf = builder.pf(address.toString(), model).totalVfs(shape.totalVfs())
                .numaNode(shape.numaNode()).vfs(shape.vfs().size());
        if (netdev != null) {
            pf.netdev(netdev);
        }
        if (!shape.bound()) {
            pf.noDriver();
        }
        List<VirtualFunction> vfs = new ArrayList<>();
        for (int j = 0; j < shape.vfs().size(); j++) {
            VfDriver choice = shape.vfs().get(j);
            String driver = choice == VfDriver.OWN ? model.vfDriverName() : choice == VfDriver.VFIO ? "vfio-pci" : null;
            pf.vfDriver(j, driver);
            // Routing ID of VF j = PF's + First VF Offset + j (stride 1), written out independently of the fixture.
            int rid = (address.bus() << 8) + firstVfOffset(model) + j;
            Optional<InterfaceName> vfNetdev = choice == VfDriver.OWN && netdev != null
                    ? Optional.of(InterfaceName.of(netdev + "v" + j)) : Optional.empty();
            vfs.add(new VirtualFunction(j, PciAddress.of(0, rid >>> 8, (rid >>> 3) & 0x1f, rid & 7), model.vfId(),
                    Optional.ofNullable(driver), vfNetdev));
        }
        if (model == Model.NVME) {
            return List.of();
        }
        return List.of(new PhysicalFunction(address, model.pfId(), model.classCode(),
                shape.bound() ? Optional.of(model.pfDriverName()) : Optional.empty(),
                shape.bound() && netdev != null ? Optional.of(InterfaceName.of(netdev)) : Optional.empty(),
                shape.numaNode(), shape.totalVfs(), vfs.size(), vfs));
    }

    private static int firstVfOffset(Model model) {
        switch (model) {
            case XL710:
                return 16;
            case NVME:
                return 1;
            default:
                return 2;
        }
    }

    /** A small tree shared by the tries of the content property; each try restores the file it changed. */
    private Path sharedRoot;

    @BeforeProperty
    void buildSharedTree() throws IOException {
        sharedRoot = Files.createTempDirectory("iov-sriov-prop");
        FakeSysfs.builder().pf("0000:3b:00.0", Model.CONNECTX5).netdev("ens1f0").vfs(2).and().build(sharedRoot);
    }

    @AfterProperty
    void deleteSharedTree() throws IOException {
        delete(sharedRoot);
    }

    @Property(tries = 300)
    void anyContentInAnAttributeIsReadOrRefusedNamingTheFile(
            @ForAll("attributes") String attribute, @ForAll byte[] content) throws IOException {
        Path file = sharedRoot.resolve(attribute);
        byte[] original = Files.readAllBytes(file);
        Files.write(file, content);
        try {
            List<PhysicalFunction> found = SriovDiscovery.at(sharedRoot).physicalFunctions();
            assertThat(found).hasSizeLessThanOrEqualTo(1);
        } catch (SysfsException e) {
            assertThat(e.getMessage()).contains(file.toString());
        } finally {
            Files.write(file, original);
        }
    }

    @Provide
    Arbitrary<String> attributes() {
        return Arbitraries.of("vendor", "device", "class", "numa_node", "sriov_totalvfs", "sriov_numvfs")
                .flatMap(name -> Arbitraries.of("bus/pci/devices/0000:3b:00.0/" + name,
                        "bus/pci/devices/0000:3b:00.3/" + name))
                .filter(path -> !path.startsWith("bus/pci/devices/0000:3b:00.3/sriov")
                        && !path.startsWith("bus/pci/devices/0000:3b:00.3/numa_node")
                        && !path.startsWith("bus/pci/devices/0000:3b:00.3/class"));
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
