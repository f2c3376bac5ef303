package dev.iov.api.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.iov.api.store.StoreException;
import dev.iov.api.store.VersionedValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL ({@link Process#destroyForcibly()}) in mid-stream, several times over the
 * same directory, and checks that every write it acknowledged survived with its value, that the reopen copes with
 * whatever the kill left (a torn record, an interrupted compaction) and that nothing else appeared.
 *
 * <p>A kill keeps what reached the kernel, so this catches acknowledging a write before it was written (a record
 * still in a user-space buffer dies with the process), losing records in compaction or recovery, and rejecting a
 * torn tail. It cannot catch acknowledging before the fsync; {@link JournalDurabilityTest} covers that.
 */
class JournalCrashTest {

    private static final int ROUNDS = 3;
    private static final int WRITER_THREADS = 8;
    private static final int ACKS_PER_ROUND = 2000;
    /** Small, so that compactions happen during the run and a kill can land in one. */
    private static final long COMPACTION_THRESHOLD = 64 * 1024;
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path directory;

    @TempDir
    Path logs;

    @Test
    void acknowledgedWritesSurviveKillNine() throws Exception {
        Set<String> acknowledged = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<String> acks = runAndKill("r" + round, ACKS_PER_ROUND + 300 * round);
            acknowledged.addAll(acks);
            assertThat(acks).hasSizeGreaterThanOrEqualTo(ACKS_PER_ROUND + 300 * round);

            try (JournalStateStore store = JournalStateStore.open(directory)) {
                for (String key : acknowledged) {
                    assertThat(store.get(key)).as("acknowledged %s", key)
                            .contains(new VersionedValue(1, JournalCrashChild.value(key)));
                }
                // Unacknowledged writes may or may not have survived, but nothing that was never written.
                Map<String, VersionedValue> all = store.list("");
                assertThat(all.keySet()).containsAll(acknowledged);
                all.forEach((key, record) -> assertThat(record).as(key)
                        .isEqualTo(new VersionedValue(1, JournalCrashChild.value(key))));
            }
        }
    }

    /** Starts a child, collects acknowledgements until it has {@code wanted}, kills it and returns them all. */
    private List<String> runAndKill(String round, int wanted) throws Exception {
        Path log = logs.resolve("child-" + round + ".log");
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                JournalCrashChild.class.getName(),
                directory.toString(), Integer.toString(WRITER_THREADS), round, Long.toString(COMPACTION_THRESHOLD))
                .redirectError(log.toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The pipe breaks when the child dies; what was read is in the queue.
            }
        }, "crash-test-reader-" + round);
        reader.start();
        List<String> acks = new ArrayList<>();
        try {
            String first = next(lines, child, log);
            assertThat(first).isEqualTo("READY");
            // While the child holds the directory, this process must not get in.
            assertThatThrownBy(() -> JournalStateStore.open(directory))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another store");
            while (acks.size() < wanted) {
                ack(next(lines, child, log), acks);
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("child died").isTrue();
        }
        // Lines the child printed before it died are acknowledgements too.
        reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        for (String line; (line = lines.poll()) != null; ) {
            ack(line, acks);
        }
        return acks;
    }

    private static void ack(String line, List<String> acks) {
        if (line.startsWith("ACK ") && line.endsWith(";")) {
            acks.add(line.substring(4, line.length() - 1));
        }
    }

    private static String next(BlockingQueue<String> lines, Process child, Path log) throws Exception {
        String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            fail("child " + (child.isAlive() ? "silent" : "exited with " + child.exitValue()) + " for "
                    + WAIT_SECONDS + " s; its stderr:\n" + Files.readString(log));
        }
        return line;
    }
}
