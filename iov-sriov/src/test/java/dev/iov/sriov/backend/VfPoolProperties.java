package dev.iov.sriov.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.sriov.sysfs.PciId;
import dev.iov.sriov.sysfs.PhysicalFunction;
import dev.iov.sriov.sysfs.VirtualFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class VfPoolProperties {

    @Property(tries = 50)
    void concurrentAllocationNeverHandsOutAVfTwice(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 40) Integer> vfCounts,
            @ForAll @IntRange(min = 2, max = 8) int threads) throws Exception {
        VfPool pool = VfPool.of(pfs(vfCounts, List.of()), VfSelector.any());
        Set<String> handed = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            executor.submit(() -> {
                start.await();
                Optional<VfLease> lease;
                while ((lease = pool.allocate()).isPresent()) {
                    if (!handed.add(lease.get().handle())) {
                        synchronized (duplicates) {
                            duplicates.add(lease.get().handle());
                        }
                    }
                }
                return null;
            });
        }
        start.countDown();
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(duplicates).isEmpty();
        assertThat(handed).hasSize(vfCounts.stream().mapToInt(Integer::intValue).sum());
        assertThat(pool.free()).isZero();
    }

    @Property
    void onlySelectedPfsAreUsedAndReleasedVfsComeBack(@ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 9) Integer> vfCounts,
            @ForAll @Size(min = 6, max = 6) List<@IntRange(min = 0, max = 1) Integer> numa,
            @ForAll @IntRange(min = 0, max = 1) int wanted) {
        List<PhysicalFunction> pfs = pfs(vfCounts, numa);
        VfPool pool = VfPool.of(pfs, new VfSelector(OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.of(wanted)));
        List<VfLease> leases = new ArrayList<>();
        Optional<VfLease> lease;
        while ((lease = pool.allocate()).isPresent()) {
            leases.add(lease.get());
        }
        int expected = 0;
        for (int i = 0; i < vfCounts.size(); i++) {
            expected += numa.get(i) == wanted ? vfCounts.get(i) : 0;
        }

        assertThat(leases).hasSize(expected);
        for (VfLease l : leases) {
            PhysicalFunction pf = pfs.stream().filter(p -> p.address().equals(l.pf())).findFirst().orElseThrow();
            assertThat(pf.numaNode()).isEqualTo(wanted);
            assertThat(pool.release(l)).isTrue();
            assertThat(pool.release(l)).as("a second release is refused").isFalse();
        }
        assertThat(pool.free()).isEqualTo(expected);
    }

    private static List<PhysicalFunction> pfs(List<Integer> vfCounts, List<Integer> numa) {
        List<PhysicalFunction> pfs = new ArrayList<>();
        for (int p = 0; p < vfCounts.size(); p++) {
            List<VirtualFunction> vfs = new ArrayList<>();
            for (int v = 0; v < vfCounts.get(p); v++) {
                vfs.add(new VirtualFunction(v, PciAddress.of(0, 0x10 + p, 1 + v / 8, v % 8), new PciId(0x15b3, 0x1018),
                        Optional.of("mlx5_core"), Optional.empty()));
            }
            pfs.add(new PhysicalFunction(PciAddress.of(0, 0x10 + p, 0, 0), new PciId(0x15b3, 0x1017), 0x020000,
                    Optional.of("mlx5_core"), Optional.of(InterfaceName.of("ens" + p)),
                    numa.isEmpty() ? -1 : numa.get(p), Math.max(1, vfCounts.get(p)), vfCounts.get(p), vfs));
        }
        return pfs;
    }
}
