package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.MacAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class MacPoolConcurrencyTest {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 10_000;

    @Test
    @Timeout(60)
    void concurrentAllocationsNeverCollideAndReleasesRestoreEverything() throws Exception {
        MacPool pool = MacPool.defaultPool();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<List<MacAddress>> perThread = runOnAll(executor, () -> {
                List<MacAddress> mine = new ArrayList<>(PER_THREAD);
                for (int i = 0; i < PER_THREAD; i++) {
                    mine.add(pool.allocate());
                }
                return mine;
            });
            assertAllDistinctAndAllocated(pool, perThread);
            assertThat(pool.available()).isEqualTo(pool.capacity() - THREADS * PER_THREAD);

            List<List<Boolean>> released = runOnAll(executor, new Callable<>() {
                private int next;

                @Override
                public List<Boolean> call() {
                    List<MacAddress> mine;
                    synchronized (this) {
                        mine = perThread.get(next++);
                    }
                    List<Boolean> results = new ArrayList<>(PER_THREAD);
                    for (MacAddress mac : mine) {
                        results.add(pool.release(mac));
                    }
                    return results;
                }
            });
            assertThat(released).allSatisfy(results -> assertThat(results).hasSize(PER_THREAD).containsOnly(true));
            assertThat(pool.available()).isEqualTo(pool.capacity());

            // Second round comes from the shared free stack: still no value twice.
            List<List<MacAddress>> reused = runOnAll(executor, () -> {
                List<MacAddress> mine = new ArrayList<>(PER_THREAD);
                for (int i = 0; i < PER_THREAD; i++) {
                    MacAddress mac = pool.allocate();
                    mine.add(mac);
                    if (i % 3 == 0) {
                        pool.release(mac);
                        mine.remove(mine.size() - 1);
                    }
                }
                return mine;
            });
            int kept = assertAllDistinctAndAllocated(pool, reused);
            assertThat(pool.available()).isEqualTo(pool.capacity() - kept);
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Starts the task on every thread at once, so they contend, and returns each thread's result. */
    private static <T> List<T> runOnAll(ExecutorService executor, Callable<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<T>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(executor.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static int assertAllDistinctAndAllocated(MacPool pool, List<List<MacAddress>> perThread) {
        Set<MacAddress> all = new HashSet<>();
        int total = 0;
        for (List<MacAddress> mine : perThread) {
            for (MacAddress mac : mine) {
                assertThat(all.add(mac)).as("%s handed out twice", mac).isTrue();
                assertThat(pool.contains(mac)).isTrue();
                assertThat(pool.isAllocated(mac)).isTrue();
            }
            total += mine.size();
        }
        return total;
    }
}
