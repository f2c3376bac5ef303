package dev.iov.store.zookeeper;

import dev.iov.api.cluster.StallingBackend;
import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A management node with a {@link Fabric} in a child JVM ({@link ChildJvm}), for {@link FabricChildKillTest}: it opens
 * a store, joins the membership and builds a fabric on host {@code h1} whose backend stalls its first attach.
 * Arguments: {@code <connect string> <namespace> <session timeout ms> <node id>}. Prints {@code READY <id>}; the
 * command {@code provision-stalled <vnic>} starts that provision and prints {@code STALLED <vnic>} once its intent is
 * in the store and its attach waits, so that the test can kill the JVM in the middle of the operation.
 */
public final class FabricChildNode {

    private FabricChildNode() {
    }

    /**
     * Runs the node.
     *
     * @param args connect string, namespace, session timeout in ms, node id
     * @throws Exception when the node cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FabricChildNode <connect string> <namespace> <session timeout ms> <node id>");
            System.exit(2);
        }
        long timeout = Long.parseLong(args[2]);
        StallingBackend backend = new StallingBackend(EmbeddedBackend.of("h1-vs", BackendKind.VSWITCH_PORT));
        try (ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(args[0]).namespace(args[1])
                .sessionTimeout(Duration.ofMillis(timeout)).connectionTimeout(Duration.ofMillis(Math.min(timeout,
                        5000))).build();
             ZooKeeperMembership membership = store.membership(args[3]);
             Fabric fabric = Fabric.builder().store(store).membership(membership)
                     .macPool(FabricChildKillTest.macs(store)).oversubscription(OversubscriptionPolicy.reject())
                     .host(FabricChildKillTest.HOST, backend).build()) {
            print("READY " + args[3]);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                if (words[0].equals("provision-stalled")) {
                    Thread provision = new Thread(() -> fabric.provision("h1", VnicSpec.builder(words[1], "vm",
                            FabricChildKillTest.TENANT.id().value()).maxRate(Bandwidth.ofGbps(1)).build()));
                    provision.setDaemon(true);
                    provision.start();
                    if (backend.awaitStalled(TimeUnit.SECONDS.toSeconds(30))) {
                        print("STALLED " + words[1]);
                    } else {
                        print("ERROR the provision did not reach its attach");
                    }
                } else if (words[0].equals("exit")) {
                    return;
                } else {
                    print("ERROR unknown command '" + line + "'");
                }
            }
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
