package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.curator.test.InstanceSpec;

/** Waiting for a condition with a deadline (never a bare sleep as synchronisation), and ensemble probes. */
public final class Await {

    /** Long enough for a ZooKeeper election or a session to time out on a busy 2-core machine. */
    public static final Duration LONG = Duration.ofSeconds(30);

    private Await() {
    }

    /**
     * Polls {@code condition} every 10 ms until it holds, failing the test after {@code timeout}.
     *
     * @param what the condition, for the failure message
     * @param timeout the deadline
     * @param condition the condition; exceptions count as "not yet"
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Like {@link #until(String, Duration, BooleanSupplier)}, adding {@code state} (read at the deadline) to the
     * failure message, so that a timeout says what the system looked like.
     *
     * @param what the condition, for the failure message
     * @param timeout the deadline
     * @param condition the condition; exceptions count as "not yet"
     * @param state a description of the state, for the failure message
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(10);
        }
        String now = state.get();
        fail("not within " + timeout + ": " + what + (now.isEmpty() ? "" : "; " + now)
                + (last == null ? "" : " (last failure: " + last + ")"));
    }

    /**
     * Asks a server for its role with the {@code srvr} four-letter command (allowed by default).
     *
     * @return "leader", "follower", "standalone", or "down"
     */
    public static String mode(InstanceSpec server) {
        return mode(server.getPort());
    }

    /**
     * Asks the server on {@code 127.0.0.1:clientPort} for its role with the {@code srvr} four-letter command.
     *
     * @return "leader", "follower", "standalone", or "down" (also when it answers without a mode: not serving yet)
     */
    public static String mode(int clientPort) {
        try (Socket socket = new Socket("127.0.0.1", clientPort)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("Mode: ")) {
                    return line.substring("Mode: ".length()).trim();
                }
            }
            return "down";
        } catch (java.io.IOException e) {
            return "down";
        }
    }
}
