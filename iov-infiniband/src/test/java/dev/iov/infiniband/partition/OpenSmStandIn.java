package dev.iov.infiniband.partition;

import dev.iov.linux.Signals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * OpenSM's side of {@code partitions.conf}, for tests on a machine without OpenSM: a real process that writes its
 * pid file as {@code opensm --pidfile} does once it is ready, and on {@code SIGHUP} re-reads the file (it keeps a
 * copy of what it read and counts the signals, so a test can see what OpenSM would have loaded). The plug-in signals
 * it exactly as it signals OpenSM, with the real {@code kill(2)} ({@link Signals#send}).
 *
 * <p>{@link #refuseNextSignal()} makes the next signal fail in the kernel: it goes to a pid that cannot exist
 * (above the kernel's PID_MAX_LIMIT), so {@code kill(2)} answers ESRCH, as when OpenSM died between the plug-in's pid
 * check and its signal. The plug-in then puts the file back and reports the subnet manager
 * unreachable.
 */
public final class OpenSmStandIn implements AutoCloseable {

    /** Re-reads the file on HUP; one sleep at a time, so that no sleeper outlives a signal or the process. */
    private static final String OPENSM = "n=0; s=; trap 'kill $s 2>/dev/null; exit 0' TERM; "
            + "trap 'cp \"$1\" \"$2.tmp\" && mv \"$2.tmp\" \"$2\"; n=$((n+1)); echo $n > \"$3\"' HUP; "
            + "echo $$ > \"$4\"; while :; do sleep 3600 & s=$!; wait $s; kill $s 2>/dev/null; done";
    private static final Duration READY = Duration.ofSeconds(10);

    private final Path partitions;
    private final Path pidFile;
    private final Path seen;
    private final Path count;
    private final Path refuse;
    private final Process process;

    private OpenSmStandIn(Path partitions, Path dir) throws IOException {
        this.partitions = partitions;
        this.pidFile = dir.resolve("opensm.pid");
        this.seen = dir.resolve("opensm-read.conf");
        this.count = dir.resolve("opensm-hangups");
        this.refuse = dir.resolve("opensm-refuse-next-signal");
        this.process = new ProcessBuilder("sh", "-c", OPENSM, "opensm-stand-in", partitions.toString(),
                seen.toString(), count.toString(), pidFile.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Starts the stand-in and waits until it has written its pid file (its HUP handler is in place then).
     *
     * @param partitions the {@code partitions.conf} it reads
     * @param dir a directory for its pid file and its copy of what it read
     * @return the running stand-in
     * @throws IOException when it cannot be started or does not get ready
     */
    public static OpenSmStandIn start(Path partitions, Path dir) throws IOException {
        OpenSmStandIn standIn = new OpenSmStandIn(partitions, dir);
        long deadline = System.nanoTime() + READY.toNanos();
        while (!standIn.ready()) {
            if (System.nanoTime() > deadline || !standIn.process.isAlive()) {
                standIn.close();
                throw new IOException("the OpenSM stand-in did not write " + standIn.pidFile + " within " + READY);
            }
            sleep();
        }
        return standIn;
    }

    private boolean ready() throws IOException {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII);
            return text.endsWith("\n") && text.strip().equals(Long.toString(process.pid()));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** @return iov's managed file as the {@code opensm} plug-in uses it, signalling this process */
    public ManagedPartitionsFile partitionsFile() {
        return ManagedPartitionsFile.withHangUp(partitions, pidFile, pid -> {
            try {
                // Once after refuseNextSignal: to no process.
                long to = Files.deleteIfExists(refuse) ? ManagedPartitionsFileTest.noSuchPid() : pid;
                return Signals.send(to, Signals.SIGHUP);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Makes the next signal the plug-in sends fail (ESRCH), once. */
    public void refuseNextSignal() {
        try {
            Files.writeString(refuse, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return how many SIGHUPs it has handled */
    public int hangUps() {
        try {
            return Integer.parseInt(Files.readString(count, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return what it read at its last SIGHUP; empty before the first */
    public Optional<String> lastRead() {
        try {
            return Optional.of(Files.readString(seen, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until it has read the file as it is now.
     *
     * @param timeout how long to wait
     * @return true when its last read equals the file
     */
    public boolean awaitRead(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (lastRead().equals(Optional.of(Files.readString(partitions, StandardCharsets.UTF_8)))) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sleep();
        }
        return false;
    }

    /** Stops the process (SIGTERM) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
