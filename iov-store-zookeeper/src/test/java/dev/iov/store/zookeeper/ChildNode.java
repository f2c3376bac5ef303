package dev.iov.store.zookeeper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * A management node in a child JVM ({@link ChildJvm}): opens a {@link ZooKeeperStateStore}, joins its membership and
 * answers commands, one per line on standard input. Arguments: {@code <connect string> <namespace>
 * <session timeout ms> <node id>}.
 *
 * <p>Prints {@code SESSION 0x<id> TIMEOUT <negotiated ms>} and {@code JOINED <id> MEMBERS <a,b>} once a member,
 * then {@code CHANGED <a,b>} after each change of the member set. Commands: {@code members} prints
 * {@code MEMBERS <a,b>}; {@code put <key> <value>} writes a record and prints {@code PUT <key> <version>};
 * {@code leave} closes the membership and prints {@code LEFT}; {@code exit} closes everything and exits with 0, as
 * does the end of standard input (the test JVM died). A failure prints {@code ERROR <message>}.
 */
public final class ChildNode {

    private ChildNode() {
    }

    /**
     * Runs the node.
     *
     * @param args connect string, namespace, session timeout in ms, node id
     * @throws Exception when the node cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ChildNode <connect string> <namespace> <session timeout ms> <node id>");
            System.exit(2);
        }
        try (ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(args[0]).namespace(args[1])
                .sessionTimeout(Duration.ofMillis(Long.parseLong(args[2])))
                .connectionTimeout(Duration.ofMillis(Math.min(Long.parseLong(args[2]), 5000)))
                .build()) {
            var zooKeeper = store.curator().getZookeeperClient().getZooKeeper();
            print("SESSION 0x" + Long.toHexString(zooKeeper.getSessionId()) + " TIMEOUT "
                    + zooKeeper.getSessionTimeout());
            ZooKeeperMembership membership = store.membership(args[3]);
            membership.subscribe(members -> print("CHANGED " + join(members)));
            print("JOINED " + membership.self() + " MEMBERS " + join(membership.members()));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                try {
                    switch (words[0]) {
                        case "members" -> print("MEMBERS " + join(membership.members()));
                        case "put" -> print("PUT " + words[1] + " " + store.put(words[1],
                                words[2].getBytes(StandardCharsets.UTF_8), ZooKeeperStateStore.ANY_VERSION));
                        case "leave" -> {
                            membership.close();
                            print("LEFT");
                        }
                        case "exit" -> {
                            membership.close();
                            return;
                        }
                        default -> print("ERROR unknown command '" + line + "'");
                    }
                } catch (RuntimeException e) {
                    print("ERROR " + e.getMessage());
                }
            }
            membership.close();
        }
    }

    private static String join(Set<String> members) {
        return String.join(",", members);
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
