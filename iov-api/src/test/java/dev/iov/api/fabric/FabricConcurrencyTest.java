package dev.iov.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.MacAddress;
import dev.iov.api.store.InMemoryStateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FabricConcurrencyTest {
    private static final int THREADS = 8;

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final FaultyBackend vs1 = FaultyBackend.vswitch("h1-vs", null);
    private final FaultyBackend vs2 = FaultyBackend.vswitch("h2-vs", null);
    private final FaultyBackend vs3 = FaultyBackend.vswitch("h3-vs", null);
    private final Fabric fabric = Fabric.builder().store(store).oversubscription(OversubscriptionPolicy.warn())
            .host(TestFabrics.H1, vs1).host(TestFabrics.H2, vs2).host(TestFabrics.H3, vs3).build();

    @Test
    void concurrentProvisionReleaseAndMigrateKeepEverythingConsistent() throws Exception {
        fabric.defineNetwork(TestFabrics.TENANT_A);
        HostId[] hosts = {HostId.of("h1"), HostId.of("h2"), HostId.of("h3")};
        Map<MacAddress, VnicId> macOwners = new ConcurrentHashMap<>();
        AtomicInteger duplicateMacs = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Set<VnicId>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                Set<VnicId> kept = new HashSet<>();
                for (int i = 0; i < 400; i++) {
                    VnicSpec spec = VnicSpec.builder("t" + thread + "-" + i, "vm" + thread, "tenant-a").build();
                    Vnic vnic = fabric.provision(hosts[(thread + i) % 3], spec);
                    MacAddress mac = vnic.addresses().mac().orElseThrow();
                    if (macOwners.putIfAbsent(mac, vnic.id()) != null) {
                        duplicateMacs.incrementAndGet();
                    }
                    if (i % 3 == 0) {
                        fabric.migrate(vnic.id(), hosts[(thread + i + 1) % 3]);
                    }
                    if (i % 2 == 0) {
                        macOwners.remove(mac);
                        fabric.release(vnic.id());
                    } else {
                        kept.add(vnic.id());
                    }
                }
                return kept;
            }));
        }
        // Drift repair running alongside must never take away a port an operation is about to record.
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread repairer = new Thread(() -> {
            while (!done.get()) {
                fabric.repair(fabric.driftReport());
            }
        }, "repairer");
        start.countDown();
        repairer.start();
        Set<VnicId> expected = new HashSet<>();
        for (Future<Set<VnicId>> result : results) {
            expected.addAll(result.get(60, TimeUnit.SECONDS));
        }
        done.set(true);
        repairer.join(10_000);
        pool.shutdown();

        assertThat(duplicateMacs).hasValue(0);
        assertThat(fabric.vnics()).extracting(Vnic::id).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(store.list("iov/vnics/")).hasSize(expected.size());
        Map<String, EmbeddedDevice.Port> ports = new TreeMap<>();
        List.of(vs1, vs2, vs3).forEach(b -> ports.putAll(b.ports()));
        assertThat(ports).hasSize(expected.size());
        assertThat(fabric.oversubscriptionReport().uplinks().stream().mapToInt(UplinkLoad::vnics).sum())
                .isEqualTo(expected.size());
        assertThat(fabric.driftReport().isClean()).isTrue();
    }

    @Test
    void racingProvisionsOfOneVnicHaveExactlyOneWinner() throws Exception {
        fabric.defineNetwork(TestFabrics.TENANT_A);
        for (int round = 0; round < 50; round++) {
            VnicSpec spec = VnicSpec.builder("contested-" + round, "vm", "tenant-a").build();
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger winners = new AtomicInteger();
            AtomicInteger refusals = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            for (int t = 0; t < THREADS; t++) {
                HostId host = HostId.of("h" + (1 + t % 3));
                pool.submit(() -> {
                    start.await();
                    try {
                        fabric.provision(host, spec);
                        winners.incrementAndGet();
                    } catch (IllegalArgumentException e) {
                        refusals.incrementAndGet();
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(winners).hasValue(1);
            assertThat(refusals).hasValue(THREADS - 1);
        }
        assertThat(vs1.ports().size() + vs2.ports().size() + vs3.ports().size()).isEqualTo(50);
    }
}
