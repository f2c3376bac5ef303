package dev.iov.api.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether an acknowledged write is really on disk, seen through a channel that tracks what was forced. A SIGKILL
 * (see {@link JournalCrashTest}) cannot tell a written-but-unsynced record from a synced one; a power failure can,
 * and this simulates one by keeping only the forced part of the journal.
 */
class JournalDurabilityTest {

    @TempDir
    Path directory;

    @TempDir
    Path powerLossImage;

    private final List<ForceTrackingChannel> channels = new CopyOnWriteArrayList<>();

    @Test
    void everyAcknowledgedWriteWasForcedBeforeItsAck() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger puts = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        byte[] image;
        Set<String> acknowledgedBeforeImage;
        try (JournalStateStore store = trackedStore()) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                running.add(writers.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "durable/" + thread + "/" + i;
                        store.put(key, value(key), StateStore.ABSENT);
                        puts.incrementAndGet();
                        acknowledged.add(key);
                    }
                    return null;
                }));
            }
            while (acknowledged.size() < 400) {
                Thread.sleep(1);
            }
            // The order matters: whatever was acknowledged before we look at the forced size must lie within it.
            acknowledgedBeforeImage = Set.copyOf(acknowledged);
            long forced = channels.get(0).forcedSize();
            image = Arrays.copyOf(Files.readAllBytes(JournalFiles.journal(directory)), (int) forced);
            stop.set(true);
            for (Future<?> writer : running) {
                writer.get(30, TimeUnit.SECONDS);
            }
            assertThat(channels.get(0).forces()).as("writers shared fsyncs").isLessThan(puts.get());
        } finally {
            writers.shutdownNow();
        }

        Files.write(powerLossImage.resolve("journal-000000.log"), image);
        try (JournalStateStore survivor = JournalStateStore.open(powerLossImage)) {
            for (String key : acknowledgedBeforeImage) {
                assertThat(survivor.get(key)).as(key).contains(new VersionedValue(1, value(key)));
            }
        }
    }

    @Test
    void failedSyncFailsTheWriteAndLaterWritesButKeepsReads() throws Exception {
        try (JournalStateStore store = trackedStore()) {
            store.put("before", value("before"), StateStore.ABSENT);
            channels.get(0).failForces();

            assertThatThrownBy(() -> store.put("during", value("during"), StateStore.ABSENT))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("failed to write or sync")
                    .hasMessageContaining("reopen");
            assertThatThrownBy(() -> store.put("after", value("after"), StateStore.ABSENT))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("failed earlier");
            assertThat(store.get("before")).contains(new VersionedValue(1, value("before")));
            assertThat(store.get("during")).as("never acknowledged, so never visible").isEmpty();
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.get("before")).contains(new VersionedValue(1, value("before")));
            store.put("after", value("after"), StateStore.ABSENT);
        }
    }

    @Test
    void trackingChannelSeesEveryJournalIncludingAfterCompaction() throws Exception {
        // Guards the seam itself: a journal opened around it would escape the other tests.
        try (JournalStateStore store = trackedStore()) {
            store.put("k", value("k"), StateStore.ABSENT);
            store.compact();
            store.put("k", value("k2"), 1);
        }
        assertThat(channels).hasSize(2);
        assertThat(channels.get(1).forcedSize()).isEqualTo(Files.size(JournalFiles.journal(directory)));
    }

    private JournalStateStore trackedStore() {
        return JournalStateStore.builder(directory).journalChannelOpener(file -> {
            ForceTrackingChannel channel = new ForceTrackingChannel(JournalChannelOpener.DEFAULT.open(file));
            channels.add(channel);
            return channel;
        }).open();
    }

    private static byte[] value(String key) {
        return ("value of " + key).getBytes(StandardCharsets.UTF_8);
    }
}
