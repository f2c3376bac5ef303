package dev.iov.store.zookeeper;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A ZooKeeper ensemble the tests run against: servers numbered {@code 0..size()-1} that a test can stop and restart.
 * {@link InProcessEnsemble} runs them in this JVM (curator-test); {@link RealEnsemble} runs each as its own server
 * process from the Debian {@code zookeeper} package. Both wait for what they claim: {@link #stop} returns when the
 * server no longer answers, {@link #restart} when it serves again.
 */
interface Ensemble extends AutoCloseable {

    /** How long starting, stopping or electing may take on a busy 2-core machine. */
    Duration SETTLE = Duration.ofSeconds(60);

    /** A short name for messages: {@code in-process} or {@code real}. */
    String kind();

    /** The number of servers. */
    int size();

    /** The connect string of the whole ensemble, e.g. {@code 127.0.0.1:41001,127.0.0.1:41003,...}. */
    String connectString();

    /** The client port of server {@code i} (on 127.0.0.1). */
    int clientPort(int i);

    /** The connect string of server {@code i} alone. */
    default String connectString(int i) {
        return "127.0.0.1:" + clientPort(i);
    }

    /** Stops server {@code i} and waits until it no longer answers. */
    void stop(int i) throws Exception;

    /** Starts server {@code i} again (same id and data) and waits until it serves as leader or follower. */
    void restart(int i) throws Exception;

    /** Whether server {@code i} is stopped (by {@link #stop}, not yet {@link #restart restarted}). */
    boolean isStopped(int i);

    /** Server {@code i}'s role as it reports it ({@code srvr}): "leader", "follower", ... or "down". */
    default String mode(int i) {
        return Await.mode(clientPort(i));
    }

    /** The index of the server that reports itself leader, or -1 when none does. */
    default int leaderIndex() {
        return IntStream.range(0, size()).filter(i -> mode(i).equals("leader")).findFirst().orElse(-1);
    }

    /** The index of some running follower, or -1 when none reports itself follower. */
    default int followerIndex() {
        return IntStream.range(0, size()).filter(i -> mode(i).equals("follower")).findFirst().orElse(-1);
    }

    /** E.g. {@code real servers: 0 leader (41001), 1 follower (41003), 2 down (41005)}. */
    default String describe() {
        return kind() + " servers: " + IntStream.range(0, size())
                .mapToObj(i -> i + " " + mode(i) + " (" + clientPort(i) + ")").collect(Collectors.joining(", "));
    }

    /** Restarts every stopped server, then waits until all serve and one leads. */
    default void restoreAndSettle() throws Exception {
        for (int i = 0; i < size(); i++) {
            if (isStopped(i)) {
                restart(i);
            }
        }
        Await.until("all " + size() + " servers serving, one of them leading", SETTLE, () -> {
            long serving = IntStream.range(0, size()).mapToObj(this::mode)
                    .filter(mode -> mode.equals("leader") || mode.equals("follower")).count();
            return serving == size() && leaderIndex() >= 0;
        }, this::describe);
    }

    /** Stops every server and removes what they left behind. */
    @Override
    void close() throws IOException;
}
