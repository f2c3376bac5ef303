package dev.iov.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
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

/**
 * Random sequences of control operations against a model of what the kernel does: after each step, discovery
 * reports exactly the model's state, and refused steps change nothing.
 */
class SriovControlProperties {
    private static final PciAddress PF = PciAddress.parse("0000:3b:00.0");
    private static final int TOTAL = 8;

    /** One operation; {@code n} is a VF count or a VF index (possibly out of range), {@code on} the autoprobe flag. */
    record Step(String op, int n, boolean on) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of("numvfs", "vfio", "release", "autoprobe"),
                Arbitraries.integers().between(0, TOTAL + 1), Arbitraries.of(true, false)).as(Step::new);
        return step.list().ofMaxSize(12);
    }

    @Property(tries = 50)
    void controlKeepsSysfsExactlyWhereTheModelSays(@ForAll("steps") List<Step> steps,
            @ForAll("initialVfs") int initialVfs) throws IOException {
        Path root = Files.createTempDirectory("iov-sriov-prop");
        try {
            FakeSysfs fake = FakeSysfs.builder().pf(PF.toString(), Model.CONNECTX5).netdev("ens1f0").totalVfs(TOTAL)
                    .vfs(initialVfs).and().build(root);
            SriovControl control = SriovControl.on(fake.sysfs());
            SriovDiscovery discovery = SriovDiscovery.on(fake.sysfs());
            boolean autoprobe = true;
            List<String> drivers = new ArrayList<>();
            for (int i = 0; i < initialVfs; i++) {
                drivers.add("mlx5_core");
            }
            for (Step step : steps) {
                switch (step.op()) {
                    case "numvfs":
                        if (step.n() > TOTAL) {
                            assertThatThrownBy(() -> control.setNumVfs(PF, step.n()))
                                    .isInstanceOf(SriovException.class);
                        } else {
                            control.setNumVfs(PF, step.n());
                            if (step.n() != drivers.size()) {
                                drivers.clear();
                                for (int i = 0; i < step.n(); i++) {
                                    drivers.add(autoprobe ? "mlx5_core" : null);
                                }
                            }
                        }
                        break;
                    case "vfio":
                    case "release":
                        PciAddress vf = Model.CONNECTX5.vfAddress(PF, step.n());
                        if (step.n() >= drivers.size()) {
                            assertThatThrownBy(() -> control.bindToVfio(vf)).isInstanceOf(SriovException.class)
                                    .hasMessageContaining(vf.toString());
                        } else if (step.op().equals("vfio")) {
                            control.bindToVfio(vf);
                            drivers.set(step.n(), "vfio-pci");
                        } else {
                            assertThat(control.releaseToDefaultDriver(vf)).contains("mlx5_core");
                            drivers.set(step.n(), "mlx5_core");
                        }
                        break;
                    default:
                        control.setDriversAutoprobe(PF, step.on());
                        autoprobe = step.on();
                        break;
                }
                PhysicalFunction pf = discovery.physicalFunction(PF).orElseThrow();
                assertThat(pf.numVfs()).isEqualTo(drivers.size());
                assertThat(control.driversAutoprobe(PF)).isEqualTo(autoprobe);
                List<VirtualFunction> expected = new ArrayList<>();
                for (int i = 0; i < drivers.size(); i++) {
                    String driver = drivers.get(i);
                    expected.add(new VirtualFunction(i, Model.CONNECTX5.vfAddress(PF, i), Model.CONNECTX5.vfId(),
                            Optional.ofNullable(driver), "mlx5_core".equals(driver)
                                    ? Optional.of(InterfaceName.of("ens1f0v" + i)) : Optional.empty()));
                }
                assertThat(pf.virtualFunctions()).as("after %s", step).isEqualTo(expected);
            }
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    @Provide
    Arbitrary<Integer> initialVfs() {
        return Arbitraries.integers().between(0, TOTAL);
    }
}
