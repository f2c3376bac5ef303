package dev.iov.ethernet.javaswitch;

import dev.iov.api.event.FabricListener;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.FabricBuilder;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.ForwardingIoBackend;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.store.journal.JournalStateStore;
import dev.iov.linux.NetworkNamespace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The process {@link FabricKillNineIT} kills: a management node ({@code node-a}) with two hosts, each a java-switch
 * backend whose TAPs live in a namespace the test made, on a journal store. It provisions, releases and migrates
 * vNICs in a loop chosen by a seed, and prints on stdout, flushed, {@code BEGIN <op> <vnic> <host>} before each call
 * and {@code ACK <op> <vnic> <host>} after it returns (the host is the target of a provision or migration, the
 * vNIC's host for a release). With a pause point it also stops for good at that point of one operation, after
 * printing {@code PAUSED <point> <vnic>}, so that the kill lands exactly there.
 *
 * <p>Arguments: store directory, namespace of h1, namespace of h2, backend id prefix, round, seed, operations per
 * worker, pause point ({@code none}, one of {@link #PAUSE_POINTS}, or one of {@link #RECOVERY_PAUSE_POINTS}, where the
 * child stops while its fabric is being built and so prints no {@code READY}), worker threads (each changes only
 * vNICs of its own, so that operations on different vNICs overlap; 1 with a pause point).
 */
public final class FabricKillNineChild {

    static final String NODE = "node-a";
    static final HostId H1 = HostId.of("h1");
    static final HostId H2 = HostId.of("h2");
    /** With a default rate limit, so that admission (which counts limits against the uplink) takes many vNICs. */
    static final Network NETWORK = Network.vlan("tenant-k", VlanId.of(100)).withDefaultMaxRate(Bandwidth.ofMbps(20));
    /**
     * Where a paused run stops: {@code <operation>:<before|after>-<backend call>}. "before" is after the intent is
     * durable (the fabric writes it before it calls the backend), "after" is after the backend returned and before the
     * fabric records the outcome.
     */
    static final List<String> PAUSE_POINTS = List.of("provision:before-attach", "provision:after-attach",
            "release:before-detach", "release:after-detach", "migrate:before-attach", "migrate:after-attach",
            "migrate:before-detach", "migrate:after-detach");
    /**
     * Where a child stops while it resolves what a killed one left, before it serves anything: after the backend
     * call of the resolution, before the record says it is done.
     */
    static final List<String> RECOVERY_PAUSE_POINTS = List.of("recover:after-abandon", "recover:after-detach");

    private static final PrintStream OUT = System.out;
    /** The operation the calling thread runs, and the armed pause point; read by the pausing backends. */
    private static final ThreadLocal<String> CURRENT_OP = ThreadLocal.withInitial(() -> "");
    private static volatile String armed = "";

    private FabricKillNineChild() {
    }

    /** @return the backend id of a host's java-switch, unique per test run */
    static String backendId(String prefix, HostId host) {
        return host + "/" + prefix;
    }

    /**
     * Builds the fabric both processes use: same hosts, uplinks, backend ids, node id; TAPs of host h in its namespace.
     *
     * @param store the journal
     * @param prefix the backend id prefix
     * @param h1 host h1's namespace
     * @param h2 host h2's namespace
     * @param pausing whether the backends stop at the armed pause point (the child only)
     * @param made receives the backends made, h1's first
     * @param listener receives the fabric's events from the start, or null
     * @return the fabric, recovered
     */
    static Fabric fabric(JournalStateStore store, String prefix, NetworkNamespace h1, NetworkNamespace h2,
            boolean pausing, List<JavaSwitchBackend> made, FabricListener listener) {
        FabricBuilder builder = Fabric.builder().store(store).nodeId(NODE);
        if (listener != null) {
            builder.listener(listener);
        }
        for (HostId host : List.of(H1, H2)) {
            NetworkNamespace ns = host.equals(H1) ? h1 : h2;
            JavaSwitchBackend backend = JavaSwitchBackend.builder(backendId(prefix, host)).maxPorts(256)
                    .tapPlacement(request -> Optional.of(ns)).build();
            made.add(backend);
            builder.host(Host.of(host.value(), Uplink.ethernet("uplink0", Bandwidth.ofGbps(10),
                    BackendKind.VSWITCH_PORT)), pausing ? new Pausing(backend) : backend);
        }
        return builder.build();
    }

    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args[0]);
        String prefix = args[3];
        String round = args[4];
        long seed = Long.parseLong(args[5]);
        int operations = Integer.parseInt(args[6]);
        String pause = args[7];
        int threads = Integer.parseInt(args[8]);
        // Opened by name, as a manager enters namespaces someone else made; never deleted here.
        NetworkNamespace h1 = NetworkNamespace.open(args[1]);
        NetworkNamespace h2 = NetworkNamespace.open(args[2]);
        JournalStateStore store = JournalStateStore.open(storeDir);
        if (pause.startsWith("recover:")) {
            CURRENT_OP.set("recover");
            armed = pause;
        }
        Fabric fabric = fabric(store, prefix, h1, h2, true, new ArrayList<>(), null);
        CURRENT_OP.set("");
        fabric.defineNetwork(NETWORK);
        List<VnicId> existing = fabric.vnics().stream().map(Vnic::id).toList();
        println("READY " + existing.size() + " " + fabric.recoveryReport());

        // Each worker changes only its own vNICs: the operations overlap, but none waits for another's vNIC.
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            List<VnicId> own = new ArrayList<>();
            for (int i = w; i < existing.size(); i += threads) {
                own.add(existing.get(i));
            }
            String ids = "vm-" + round + "-" + (threads == 1 ? "" : w + "-");
            Random random = new Random(seed + w);
            Thread worker = new Thread(() -> {
                try {
                    work(fabric, ids, random, operations, pause, own);
                } catch (Throwable e) {
                    println("FAILED " + e);
                    e.printStackTrace();
                    System.exit(2);
                }
            }, "worker-" + w);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        println("DONE");
        // The test kills this process; it never closes anything (a SIGKILL gives no chance to).
        while (true) {
            LockSupport.park();
        }
    }

    private static void work(Fabric fabric, String ids, Random random, int operations, String pause,
            List<VnicId> live) {
        int warmup = pause.equals("none") || pause.startsWith("recover:") ? Integer.MAX_VALUE : 2 + random.nextInt(5);
        int next = 0;
        for (int step = 0; step < operations; step++) {
            String op;
            if (step == warmup) {
                op = pause.substring(0, pause.indexOf(':'));
                armed = pause;
            } else {
                double r = random.nextDouble();
                op = live.size() < 3 || r < (live.size() > 12 ? 0.3 : 0.6) ? "provision" : r < 0.8 ? "release"
                        : "migrate";
            }
            if (!op.equals("provision") && live.isEmpty()) {
                op = "provision";
            }
            switch (op) {
                case "provision" -> {
                    VnicId id = VnicId.of(ids + next++);
                    HostId host = random.nextBoolean() ? H1 : H2;
                    run(op, id, host, () -> fabric.provision(host, VnicSpec.builder(id.value(), id.value(),
                            NETWORK.id().value()).build()));
                    live.add(id);
                }
                case "release" -> {
                    VnicId id = live.remove(random.nextInt(live.size()));
                    HostId host = fabric.vnic(id).orElseThrow().host();
                    run(op, id, host, () -> fabric.release(id));
                }
                case "migrate" -> {
                    VnicId id = live.get(random.nextInt(live.size()));
                    HostId target = fabric.vnic(id).orElseThrow().host().equals(H1) ? H2 : H1;
                    run(op, id, target, () -> fabric.migrate(id, target));
                }
                default -> throw new IllegalStateException(op);
            }
        }
    }

    private static void run(String op, VnicId id, HostId host, Runnable call) {
        CURRENT_OP.set(op);
        println("BEGIN " + op + " " + id + " " + host);
        call.run();
        println("ACK " + op + " " + id + " " + host);
        CURRENT_OP.set("");
    }

    private static synchronized void println(String line) {
        OUT.println(line);
        OUT.flush();
    }

    /** Stops this thread for good at the armed pause point, after saying so. */
    private static void pauseAt(String when, String call, VnicId vnic) {
        String point = CURRENT_OP.get() + ":" + when + "-" + call;
        if (!armed.isEmpty() && armed.equals(point)) {
            armed = "";
            println("PAUSED " + point + " " + vnic);
            while (true) {
                LockSupport.park();
            }
        }
    }

    /** The real backend, with a place to stop before and after the calls that change the host. */
    private static final class Pausing extends ForwardingIoBackend {
        Pausing(IoBackend real) {
            super(real);
        }

        @Override
        public Attachment attach(AttachRequest request) {
            pauseAt("before", "attach", request.spec().id());
            Attachment attachment = delegate().attach(request);
            pauseAt("after", "attach", request.spec().id());
            return attachment;
        }

        @Override
        public void detach(Attachment attachment) {
            pauseAt("before", "detach", attachment.vnic());
            delegate().detach(attachment);
            pauseAt("after", "detach", attachment.vnic());
        }

        @Override
        public void abandon(AttachRequest request) {
            pauseAt("before", "abandon", request.spec().id());
            delegate().abandon(request);
            pauseAt("after", "abandon", request.spec().id());
        }
    }
}
