package dev.iov.api.store.journal;

import dev.iov.api.store.StateStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * The process {@link JournalCrashTest} kills: opens a journal store and writes new keys from several threads as
 * fast as it can, printing {@code ACK <key>;} for each write strictly after {@code put} returned, until it is
 * killed. The trailing {@code ;} lets the parent ignore a line cut short by the kill.
 */
public final class JournalCrashChild {

    /** Ends the process if the parent never kills it, so that no test leaves a writer behind. */
    private static final long LIFETIME_MILLIS = 60_000;

    private JournalCrashChild() {
    }

    /**
     * Runs the writers.
     *
     * @param args the store directory, the number of writer threads, the round's name (part of every key) and
     *     the compaction threshold in bytes
     */
    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        String round = args[2];
        long compactionThreshold = Long.parseLong(args[3]);
        PrintStream out = System.out;

        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(LIFETIME_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "crash-child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        JournalStateStore store = JournalStateStore.builder(directory).compactionThresholdBytes(compactionThreshold)
                .open();
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                for (int i = 0; ; i++) {
                    String key = key(round, thread, i);
                    store.put(key, value(key), StateStore.ABSENT);
                    // Only now is the write acknowledged.
                    synchronized (out) {
                        out.println("ACK " + key + ";");
                        out.flush();
                    }
                }
            }, "crash-writer-" + t).start();
        }
    }

    /**
     * The key a writer writes.
     *
     * @param round the round's name
     * @param thread the writer's number
     * @param index the write's number
     * @return the key
     */
    static String key(String round, int thread, int index) {
        return "crash/" + round + "/" + thread + "/" + index;
    }

    /**
     * The value written under a key: derived from the key alone, so that the parent can check it, and of varying
     * length (20 to 531 bytes), so that records straddle blocks differently.
     *
     * @param key the key
     * @return its value
     */
    static byte[] value(String key) {
        Random random = new Random(key.hashCode());
        byte[] value = new byte[20 + random.nextInt(512)];
        random.nextBytes(value);
        return value;
    }
}
