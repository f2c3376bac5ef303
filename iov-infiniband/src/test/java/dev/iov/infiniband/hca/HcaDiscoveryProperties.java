package dev.iov.infiniband.hca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.NumberedState;
import dev.iov.linux.sysfs.SysfsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

class HcaDiscoveryProperties {
    private Path exampleRoot;
    private FakeIbSysfs example;

    private static final String[] STATES = {"NOP", "DOWN", "INIT", "ARMED", "ACTIVE", "ACTIVE_DEFER"};
    private static final String[] PHYS = {"", "Sleep", "Polling", "Disabled", "PortConfigurationTraining", "LinkUp",
        "LinkErrorRecovery", "Phy Test"};
    private static final String[] NODE_TYPES = {"", "CA", "switch", "router", "RNIC", "usNIC", "usNIC UDP",
        "unspecified"};

    /** One port as the generator varies it. */
    record PortShape(int state, int phys, int lid, int smLid, boolean ethernet, List<Integer> pkeys, long gidPrefix,
            long gidId) {
    }

    /** One device as the generator varies it. */
    record HcaShape(boolean pci, long guid, int nodeType, String fw, List<PortShape> ports, List<VfShape> vfs) {
    }

    /** One mlx5 VF entry. */
    record VfShape(long node, long port, VfPortPolicy policy) {
    }

    @Provide
    Arbitrary<List<HcaShape>> hosts() {
        Arbitrary<Integer> pkey = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.just(0x8000),
                Arbitraries.integers().between(0, 0xffff));
        Arbitrary<PortShape> port = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(1, 7), Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 0xffff), Arbitraries.of(true, false), pkey.list().ofMaxSize(40),
                Arbitraries.longs(), Arbitraries.longs())
                .as(PortShape::new);
        Arbitrary<VfShape> vf = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.of(VfPortPolicy.class)).as(VfShape::new);
        Arbitrary<HcaShape> hca = Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs(),
                Arbitraries.integers().between(1, 7),
                Arbitraries.of("", "16.35.2000", "2.42.5000", "1.0"), port.list().ofMinSize(1).ofMaxSize(3),
                vf.list().ofMaxSize(12))
                .as((pci, guid, type, fw, ports, vfs) -> new HcaShape(pci, guid, type, fw, ports, pci ? vfs
                        : List.of()));
        return hca.list().ofMaxSize(4);
    }

    @Property(tries = 60)
    void aRandomTreeIsDiscoveredExactlyAsBuilt(@ForAll("hosts") List<HcaShape> shapes) throws IOException {
        Path root = Files.createTempDirectory("iov-hca-prop");
        try {
            FakeIbSysfs.Builder builder = FakeIbSysfs.builder();
            List<Hca> expected = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                expected.add(add(builder, "mlx5_" + i, PciAddress.of(0, 0x10 + i, 0, 0), shapes.get(i)));
            }
            builder.build(root);

            assertThat(HcaDiscovery.at(root).hcas()).isEqualTo(expected);
        } finally {
            delete(root);
        }
    }

    private static Hca add(FakeIbSysfs.Builder builder, String name, PciAddress pci, HcaShape shape) {
        FakeIbSysfs.HcaBuilder hca = builder.hca(name).nodeGuid(Guid.of(shape.guid())).nodeType(shape.nodeType())
                .fwVer(shape.fw());
        if (shape.pci()) {
            hca.pci(pci.toString());
        }
        List<HcaPort> ports = new ArrayList<>();
        for (int p = 0; p < shape.ports().size(); p++) {
            PortShape ps = shape.ports().get(p);
            Gid gid = new Gid(ps.gidPrefix(), Guid.of(ps.gidId()));
            hca.port(p + 1).state(ps.state()).physState(ps.phys()).lid(ps.lid()).smLid(ps.smLid())
                    .linkLayer(ps.ethernet() ? "Ethernet" : "InfiniBand")
                    .pkeys(ps.pkeys().stream().mapToInt(Integer::intValue).toArray()).pkeyTableSize(ps.pkeys().size() + 2)
                    .gidTableSize(4).gid(3, gid.toString());
            List<PKey> pkeys = ps.pkeys().stream().filter(k -> (k & 0x7fff) != 0).map(PKey::of).toList();
            TreeMap<Integer, Gid> gids = new TreeMap<>();
            if (!gid.isZero()) {
                gids.put(3, gid);
            }
            ports.add(new HcaPort(p + 1, new NumberedState(ps.state(), STATES[ps.state()]),
                    new NumberedState(ps.phys(), PHYS[ps.phys()]), "100 Gb/sec (4X EDR)", ps.lid(), ps.smLid(),
                    ps.ethernet() ? "Ethernet" : "InfiniBand", pkeys, gids));
        }
        List<VfGuidPolicy> vfs = new ArrayList<>();
        for (int v = 0; v < shape.vfs().size(); v++) {
            VfShape vs = shape.vfs().get(v);
            hca.vf(v, Guid.of(vs.node()), Guid.of(vs.port()), vs.policy());
            vfs.add(new VfGuidPolicy(v, Guid.of(vs.node()), Guid.of(vs.port()), vs.policy()));
        }
        return new Hca(name, shape.pci() ? Optional.of(pci) : Optional.empty(), Guid.of(shape.guid()),
                new NumberedState(shape.nodeType(), NODE_TYPES[shape.nodeType()]),
                shape.fw().isEmpty() ? Optional.empty() : Optional.of(shape.fw()), ports, vfs);
    }

    /** Every attribute discovery reads, relative to the root, in the example tree. */
    @Provide
    Arbitrary<String> attributes() {
        return Arbitraries.of("class/infiniband/mlx5_0/node_guid", "class/infiniband/mlx5_0/node_type",
                "class/infiniband/mlx5_0/fw_ver", "class/infiniband/mlx5_0/ports/1/state",
                "class/infiniband/mlx5_0/ports/1/phys_state", "class/infiniband/mlx5_0/ports/1/rate",
                "class/infiniband/mlx5_0/ports/1/lid", "class/infiniband/mlx5_0/ports/1/sm_lid",
                "class/infiniband/mlx5_0/ports/1/link_layer", "class/infiniband/mlx5_0/ports/1/pkeys/1",
                "class/infiniband/mlx5_0/ports/2/gids/0", "class/infiniband/mlx5_1/device/sriov/0/node",
                "class/infiniband/mlx5_1/device/sriov/0/port", "class/infiniband/mlx5_1/device/sriov/1/policy");
    }

    @Provide
    Arbitrary<byte[]> contents() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
        Arbitrary<byte[]> nearValid = Arbitraries.strings().withChars("0123456789abcdefx: \nACTIVEFolwupDn")
                .ofMaxLength(40).map(String::getBytes);
        return Arbitraries.oneOf(random, nearValid);
    }

    @BeforeProperty
    void buildExample() throws IOException {
        exampleRoot = Files.createTempDirectory("iov-hca-bytes");
        example = FakeIbSysfs.example(exampleRoot);
    }

    @AfterProperty
    void deleteExample() throws IOException {
        if (exampleRoot != null) {
            delete(exampleRoot);
        }
    }

    @Property(tries = 400)
    void randomBytesInAnAttributeGiveAValueOrAnExceptionNamingTheFile(@ForAll("attributes") String attribute,
            @ForAll("contents") @Size(max = 48) byte[] content) throws IOException {
        Path file = exampleRoot.resolve(attribute);
        byte[] original = Files.readAllBytes(file);
        example.write(attribute, content);
        try {
            List<Hca> hcas;
            try {
                hcas = HcaDiscovery.at(exampleRoot).hcas();
            } catch (SysfsException e) {
                assertThat(e.getMessage()).contains(file.toString());
                assertThat(e.path()).isEqualTo(file);
                return;
            }
            assertThat(hcas).extracting(Hca::name).containsExactly("mlx5_0", "mlx5_1", "rxe0");
        } finally {
            Files.write(file, original);
        }
    }

    @Property
    void gidTextRoundTrips(@ForAll long prefix, @ForAll long id) {
        Gid gid = new Gid(prefix, Guid.of(id));

        assertThat(gid.toString()).matches("([0-9a-f]{4}:){7}[0-9a-f]{4}");
        assertThat(Gid.parse(gid.toString())).isEqualTo(gid);
        assertThat(Gid.parse(gid.toString().toUpperCase())).isEqualTo(gid);
    }

    @Property
    void gidParseRefusesAnythingElseWithIllegalArgument(@ForAll @Size(max = 50) String text) {
        try {
            Gid gid = Gid.parse(text);
            assertThat(Gid.parse(gid.toString())).isEqualTo(gid);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains("'" + text + "'");
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

}
