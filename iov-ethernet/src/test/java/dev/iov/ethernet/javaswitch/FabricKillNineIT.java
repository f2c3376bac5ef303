package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.iov.api.event.FabricEvent;
import dev.iov.api.event.FabricListener;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.RecoveryReport;
import dev.iov.api.fabric.UplinkLoad;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.store.journal.JournalStateStore;
import dev.iov.linux.NetworkNamespace;
import dev.iov.testing.Privileged;
import dev.iov.testing.TestNamespaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A management node killed with SIGKILL in the middle of provisioning, releasing and migrating vNICs, restarted on
 * the same journal over the same hosts: the restarted fabric holds every vNIC whose operation was acknowledged, as
 * acknowledged, and nothing else; every TAP on the hosts belongs to exactly one recorded vNIC; nothing is left half
 * done; and the fabric goes on working.
 *
 * <p>The node runs in a child JVM ({@link FabricKillNineChild}) with two hosts, each a real java-switch backend whose
 * persistent TAPs live in a private network namespace (the "host"), over a real {@link JournalStateStore}. Rounds go
 * on over the same store and namespaces, so each child also starts on what earlier rounds left. Two kinds of round:
 *
 * <ul>
 *   <li><b>random</b>: the child runs two worker threads, each changing vNICs of its own, and is killed after a
 *       random number of acknowledgements plus a random delay of up to one and a half times its mean time per
 *       acknowledgement, so the kill lands anywhere, usually inside one or two operations;
 *   <li><b>pause</b>: the child's backends stop for good at one point of an operation (intent durable, before or
 *       after the backend call) and it is killed there, so that every kind of interrupted operation is met every run,
 *       with an exact expected outcome (a provision or migration undone, a release or old-port removal finished);
 *       in some rounds the next child is stopped and killed in turn while its own fabric resolves that operation
 *       (after the backend call of the resolution, before its record is written), and the one after that must still
 *       end it the same way.
 * </ul>
 *
 * <p>After each kill the test's own fabric (new backends, same ids, same node id) is built on the store and checked
 * against the acknowledgements, against {@code ip -d link} in each host namespace, against the backends'
 * {@code discover} and against the uplinks' capacity charges; then it provisions and releases a vNIC on each host.
 * At the end everything is released and no TAP is left.
 *
 * <p>The seed is printed; {@code -Diov.killnine.seed=N} repeats a run's choices (the kill timing stays real).
 */
@Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
class FabricKillNineIT {

    private static final int RANDOM_ROUNDS = 6;
    /** Threads of a child killed at random, each changing vNICs of its own: a kill may cut several operations. */
    private static final int RANDOM_WORKERS = 2;
    private static final int OPERATIONS = 40;
    private static final long WAIT_SECONDS = 60;
    private static final Pattern LINE = Pattern.compile("(BEGIN|ACK) (provision|release|migrate) (\\S+) (h[12])");

    @TempDir
    Path store;

    @TempDir
    Path logs;

    private NetworkNamespace h1;
    private NetworkNamespace h2;
    private String prefix;
    private Process child;
    private final List<JavaSwitchBackend> backends = new ArrayList<>();
    private Fabric fabric;
    private JournalStateStore journal;

    /** What the acknowledged operations say: each vNIC's host. */
    private final Map<VnicId, HostId> model = new TreeMap<>();

    @BeforeEach
    void setUp() {
        h1 = NetworkNamespace.create(TestNamespaces.uniqueName());
        h2 = NetworkNamespace.create(TestNamespaces.uniqueName());
        prefix = String.format("kill-%08x", ThreadLocalRandom.current().nextInt());
    }

    @AfterEach
    void tearDown() throws Exception {
        List<String> names = new ArrayList<>();
        try {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            closeFabric();
        } finally {
            RuntimeException failed = null;
            for (NetworkNamespace ns : new NetworkNamespace[] {h1, h2}) {
                try {
                    if (ns != null) {
                        names.add(ns.name());
                        ns.close();
                    }
                } catch (RuntimeException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
        assertThat(child == null || !child.isAlive()).as("child JVM gone").isTrue();
        String left = Vms.netnsList();
        names.forEach(name -> assertThat(left).as("namespace %s deleted", name).doesNotContain(name));
        assertThat(Vms.hostLinks()).as("no TAP of this run in the test's own namespace").doesNotContain(prefix);
    }

    @Test
    void aNodeKilledMidOperationRestartsWithExactlyWhatItAcknowledgedAndNoOrphanOrSharedPort() throws Exception {
        Random random = seeded();
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < RANDOM_ROUNDS; i++) {
            plans.add(new Plan("none", null));
        }
        FabricKillNineChild.PAUSE_POINTS.forEach(p -> plans.add(new Plan(p, null)));
        // A node killed while it resolves what the previous one left: the next one still ends the operation.
        plans.add(new Plan("provision:after-attach", "recover:after-abandon"));
        plans.add(new Plan("release:before-detach", "recover:after-detach"));
        plans.add(new Plan("migrate:after-attach", "recover:after-abandon"));
        plans.add(new Plan("migrate:before-detach", "recover:after-detach"));
        Collections.shuffle(plans, random);

        List<String> summary = new ArrayList<>();
        int randomKilledInside = 0;
        int randomResolvedIntent = 0;
        for (int round = 0; round < plans.size(); round++) {
            Plan plan = plans.get(round);
            Run run = runAndKill(round, plan.pause(), random);
            if (plan.recoveryPause() != null) {
                runAndKill(round, plan.recoveryPause(), random);
            }
            Outcome outcome = verifyRestart(round, run);
            String line = String.format("round %2d %-50s %2d ACKs, killed %s: adopted %d, resolved %s, missing %s",
                    round, plan, run.acks(), run.inFlight().isEmpty() ? "between operations"
                            : "inside " + run.inFlight() + " -> " + outcome.inFlightResult(),
                    outcome.report().adopted(), outcome.report().resolved(),
                    outcome.report().missing().stream().map(d -> d.toText()).toList());
            System.out.println(line);
            summary.add(line);
            if (plan.pause().equals("none")) {
                randomKilledInside += run.inFlight().isEmpty() ? 0 : 1;
                randomResolvedIntent += outcome.report().resolved().isEmpty() ? 0 : 1;
            }
        }
        System.out.printf("random rounds: %d of %d killed inside an operation, %d left an intent to resolve%n",
                randomKilledInside, RANDOM_ROUNDS, randomResolvedIntent);
        assertThat(randomKilledInside).as("random kills that landed inside an operation:%n%s",
                String.join("\n", summary)).isPositive();

        releaseEverythingAndCheckNothingIsLeft();
    }

    /**
     * A port that the interrupted operation was removing anyway (a release, or a migration's old port, killed after
     * the backend's detach) is gone on restart as it should be; the recovery finishes the operation, and should not
     * report the port {@code MISSING} (advising a repair or release of a vNIC that recovery releases itself) nor
     * publish a {@code DriftFound} for it.
     */
    @Test
    void aPortThatTheInterruptedOperationWasRemovingIsNotReportedMissing() throws Exception {
        Random random = seeded();
        SoftAssertions softly = new SoftAssertions();
        int round = 0;
        for (String pause : List.of("release:after-detach", "migrate:after-detach")) {
            Run run = runAndKill(round++, pause, random);
            List<FabricEvent> events = new CopyOnWriteArrayList<>();
            openFabric(events::add);
            RecoveryReport report = fabric.recoveryReport();
            assertThat(report.resolved()).as("%s: %s", pause, report).singleElement()
                    .satisfies(w -> assertThat(w).contains("finished the interrupted"));
            softly.assertThat(report.missing()).as("%s: missing ports after %s", pause, report.resolved())
                    .isEmpty();
            softly.assertThat(report.isClean()).as("%s: recovery report clean", pause).isTrue();
            softly.assertThat(events).as("%s: events of the restart", pause)
                    .noneMatch(e -> e instanceof FabricEvent.DriftFound);
            checkHosts("after " + pause + ", in flight " + run.inFlight());
            closeFabric();
        }
        softly.assertAll();
    }

    private static Random seeded() {
        long seed = Long.getLong("iov.killnine.seed", System.nanoTime());
        System.out.println("FabricKillNineIT seed " + seed + " (-Diov.killnine.seed=" + seed + " repeats it)");
        return new Random(seed);
    }

    /**
     * One round: where the child is stopped ({@code none}: killed at random), and where the next child is stopped
     * while it resolves what the first left (null: the test's own fabric resolves it).
     */
    private record Plan(String pause, String recoveryPause) {
        @Override
        public String toString() {
            return pause.equals("none") ? "random" : "pause " + pause + (recoveryPause == null ? ""
                    : " + " + recoveryPause);
        }
    }

    // ------------------------------------------------------------------------------------------- the child

    /**
     * What a killed child said: its lines in order, how many operations it acknowledged, and those it had begun but
     * not acknowledged ({@code <op> <vnic> <host>}; one per worker at most).
     */
    private record Run(List<String> lines, int acks, List<String> inFlight) {
    }

    private Run runAndKill(int round, String pause, Random random) throws Exception {
        Path log = logs.resolve("child-" + round + (pause.startsWith("recover:") ? "-recover" : "") + ".log");
        long childSeed = random.nextLong();
        int killAfterAcks = 1 + random.nextInt(12);
        double delayFraction = random.nextDouble() * 1.5;
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FabricKillNineChild.class.getName(), store.toString(), h1.name(), h2.name(), prefix,
                Integer.toString(round), Long.toString(childSeed), Integer.toString(OPERATIONS), pause,
                Integer.toString(pause.equals("none") ? RANDOM_WORKERS : 1)));
        child = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    queue.add(l);
                }
            } catch (IOException e) {
                // the pipe breaks when the child dies; what was read is queued
            }
            queue.add("EOF");
        }, "kill-nine-reader-" + round);
        reader.setDaemon(true);
        reader.start();

        List<String> lines = new ArrayList<>();
        try {
            String ready = next(queue, log);
            if (pause.startsWith("recover:")) {
                // Stopped while its fabric resolved what the previous child left: it never served.
                assertThat(ready).as("child %d stopped in recovery: %s", round, tail(log))
                        .startsWith("PAUSED " + pause + " ");
                return killed(round, reader, queue, new ArrayList<>(List.of(ready)));
            }
            assertThat(ready).as("child's first line").startsWith("READY");
            int acks = 0;
            long firstAck = 0;
            while (true) {
                String line = next(queue, log);
                if (line.equals("EOF")) {
                    fail("child %d exited before it was killed: %s", round, tail(log));
                }
                lines.add(line);
                if (line.startsWith("ACK ") && ++acks == 1) {
                    firstAck = System.nanoTime();
                }
                if (line.equals("DONE")) {
                    assertThat(pause).as("a paused child reaches its pause point:%n%s", String.join("\n", lines))
                            .isEqualTo("none");
                    break;
                }
                if (pause.equals("none") && line.startsWith("ACK ") && acks >= killAfterAcks) {
                    // Anywhere in the next operation: up to 1.5 times the mean time per operation so far.
                    long mean = acks > 1 ? (System.nanoTime() - firstAck) / (acks - 1) : 2_000_000;
                    long until = System.nanoTime() + (long) (mean * delayFraction);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    break;
                }
                if (line.startsWith("PAUSED ")) {
                    assertThat(line).startsWith("PAUSED " + pause + " ");
                    break;
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("child %d died", round).isTrue();
        }
        return killed(round, reader, queue, lines);
    }

    /** After the kill: checks the child died of SIGKILL, collects its last lines and applies its ACKs to the model. */
    private Run killed(int round, Thread reader, BlockingQueue<String> queue, List<String> lines) throws Exception {
        child.destroyForcibly(); // SIGKILL on Linux; nothing if already dead
        assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("child %d died", round).isTrue();
        assertThat(child.exitValue()).as("child %d died of SIGKILL (128 + 9)", round).isEqualTo(137);
        reader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        // Lines written before the kill are acknowledgements too.
        for (String l; (l = queue.poll()) != null; ) {
            if (!l.equals("EOF")) {
                lines.add(l);
            }
        }
        int acks = 0;
        Map<String, String> inFlight = new LinkedHashMap<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                continue;
            }
            String op = m.group(2) + " " + m.group(3) + " " + m.group(4);
            if (m.group(1).equals("BEGIN")) {
                assertThat(inFlight.put(m.group(3), op)).as("one operation at a time on %s", m.group(3)).isNull();
            } else {
                acks++;
                assertThat(inFlight.remove(m.group(3))).as("ACK of the operation begun").isEqualTo(op);
                apply(m.group(2), VnicId.of(m.group(3)), HostId.of(m.group(4)));
            }
        }
        return new Run(lines, acks, List.copyOf(inFlight.values()));
    }

    private void apply(String op, VnicId id, HostId host) {
        switch (op) {
            case "provision", "migrate" -> model.put(id, host);
            case "release" -> model.remove(id);
            default -> throw new IllegalArgumentException(op);
        }
    }

    private static String next(BlockingQueue<String> queue, Path log) throws InterruptedException {
        String line = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            fail("child said nothing for %d s: %s", WAIT_SECONDS, tail(log));
        }
        return line;
    }

    private static String tail(Path log) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ----------------------------------------------------------------------------------------- the restart

    private record Outcome(RecoveryReport report, String inFlightResult) {
    }

    private Outcome verifyRestart(int round, Run run) {
        openFabric(null);
        RecoveryReport report = fabric.recoveryReport();
        String context = "round " + round + ", in flight " + run.inFlight() + ", recovery " + report + "\nchild said:\n"
                + String.join("\n", run.lines());
        assertThat(report.unresolved()).as("nothing left waiting; %s", context).isEmpty();
        // A port reported missing may only be one an interrupted operation was removing (see the next test).
        List<String> removing = run.inFlight().stream().filter(op -> op.startsWith("release ")
                || op.startsWith("migrate ")).map(op -> op.split(" ")[1]).toList();
        assertThat(report.missing()).as("ports missing on restart; %s", context).allSatisfy(drift ->
                assertThat(removing).contains(drift.vnic().orElseThrow().value()));

        // Every acknowledged vNIC, where it was acknowledged; those in flight before or after; nothing else.
        Map<VnicId, HostId> found = fabric.vnics().stream().collect(Collectors.toMap(Vnic::id, Vnic::host));
        Map<VnicId, HostId> expected = new HashMap<>(model);
        List<String> inFlightResult = new ArrayList<>();
        for (String inFlight : run.inFlight()) {
            String[] op = inFlight.split(" ");
            VnicId id = VnicId.of(op[1]);
            HostId host = HostId.of(op[2]);
            Optional<HostId> now = Optional.ofNullable(found.get(id));
            List<Optional<HostId>> allowed = switch (op[0]) {
                case "provision" -> List.of(Optional.empty(), Optional.of(host));
                case "release" -> List.of(Optional.empty(), Optional.of(model.get(id)));
                case "migrate" -> List.of(Optional.of(model.get(id)), Optional.of(host));
                default -> throw new IllegalStateException(op[0]);
            };
            assertThat(allowed).as("%s of %s ended before or after; %s", op[0], id, context).contains(now);
            inFlightResult.add(now.map(h -> "on " + h).orElse("absent"));
            now.ifPresentOrElse(h -> expected.put(id, h), () -> expected.remove(id));
        }
        assertThat(new TreeMap<>(found)).as("vNICs after the restart; %s", context)
                .containsExactlyEntriesOf(new TreeMap<>(expected));
        model.clear();
        model.putAll(expected);

        String pause = run.lines().stream().filter(l -> l.startsWith("PAUSED ")).map(l -> l.split(" ")[1])
                .findFirst().orElse("none");
        checkPausedOutcome(pause, run, report, found, context);

        assertThat(fabric.driftReport().drifts()).as("drift after recovery; %s", context).isEmpty();
        checkHosts(context);

        // The fabric goes on: a new vNIC on each host gets its TAP, and its release removes it.
        for (HostId host : List.of(FabricKillNineChild.H1, FabricKillNineChild.H2)) {
            VnicId probe = VnicId.of("probe-" + round + "-" + host);
            Vnic vnic = fabric.provision(host, VnicSpec.builder(probe.value(), probe.value(),
                    FabricKillNineChild.NETWORK.id().value()).build());
            model.put(probe, host);
            checkHosts(context + "\nafter provisioning " + probe);
            assertThat(fabric.release(probe)).isTrue();
            model.remove(probe);
            checkHosts(context + "\nafter releasing " + probe);
            assertThat(taps(namespace(host))).as("probe TAP gone").extracting(Tap::name)
                    .doesNotContain(vnic.attachment().handle());
        }
        closeFabric();
        return new Outcome(report, inFlightResult.toString());
    }

    /** A paused operation has one outcome: what it changed before the pause is undone or finished. */
    private void checkPausedOutcome(String pause, Run run, RecoveryReport report, Map<VnicId, HostId> found,
            String context) {
        if (pause.equals("none")) {
            return;
        }
        assertThat(run.inFlight()).as("the paused operation; %s", context).hasSize(1);
        String[] op = run.inFlight().get(0).split(" ");
        VnicId id = VnicId.of(op[1]);
        String expectedWords;
        switch (pause) {
            case "provision:before-attach", "provision:after-attach" -> {
                assertThat(found).as("the provision was undone; %s", context).doesNotContainKey(id);
                expectedWords = "undid the interrupted provision on " + op[2];
            }
            case "release:before-detach", "release:after-detach" -> {
                assertThat(found).as("the release was finished; %s", context).doesNotContainKey(id);
                expectedWords = "finished the interrupted release from " + op[2];
            }
            case "migrate:before-attach", "migrate:after-attach" -> {
                assertThat(found.get(id)).as("the migration was undone; %s", context)
                        .isNotEqualTo(HostId.of(op[2])).isNotNull();
                expectedWords = "undid the interrupted migration to " + op[2];
            }
            case "migrate:before-detach", "migrate:after-detach" -> {
                assertThat(found.get(id)).as("the migration was finished; %s", context).isEqualTo(HostId.of(op[2]));
                expectedWords = "finished the interrupted removal of the old port";
            }
            default -> throw new IllegalStateException(pause);
        }
        assertThat(report.resolved()).as("what recovery did; %s", context).singleElement()
                .satisfies(words -> assertThat(words).contains(expectedWords).endsWith(" of " + id));
    }

    /**
     * The hosts hold exactly the recorded vNICs' TAPs: one per vNIC, with its name, MAC and mark, seen both by
     * {@code ip} and by the backend; no TAP without a record (orphan), none marked for another vNIC or host.
     */
    private void checkHosts(String context) {
        List<Vnic> vnics = fabric.vnics();
        Set<String> handles = new HashSet<>();
        Set<String> macs = new HashSet<>();
        for (Vnic vnic : vnics) {
            assertThat(handles.add(vnic.host() + "/" + vnic.attachment().handle()))
                    .as("no two vNICs hold %s on %s; %s", vnic.attachment().handle(), vnic.host(), context).isTrue();
            String mac = vnic.addresses().mac().orElseThrow().toString();
            assertThat(macs.add(mac)).as("no two vNICs hold MAC %s; %s", mac, context).isTrue();
            assertThat(vnic.attachment().handle()).isEqualTo(JavaSwitchBackend.tapName(vnic.id()).value());
        }
        // No capacity charged for a vNIC that is not there (or twice for one that is).
        for (UplinkLoad load : fabric.oversubscriptionReport().uplinks()) {
            long there = vnics.stream().filter(v -> v.host().equals(load.host())).count();
            assertThat(load.vnics()).as("vNICs charged to %s's uplink; %s", load.host(), context).isEqualTo(there);
            assertThat(load.limit()).as("limits charged to %s's uplink; %s", load.host(), context).isEqualTo(
                    Bandwidth.ofBitsPerSecond(there * FabricKillNineChild.NETWORK.defaultMaxRate().orElseThrow()
                            .bitsPerSecond()));
        }
        for (HostId host : List.of(FabricKillNineChild.H1, FabricKillNineChild.H2)) {
            String backendId = FabricKillNineChild.backendId(prefix, host);
            Set<Tap> expected = new TreeSet<>();
            for (Vnic vnic : vnics) {
                if (vnic.host().equals(host)) {
                    expected.add(new Tap(vnic.attachment().handle(), vnic.addresses().mac().orElseThrow().toString(),
                            "iov:" + backendId + ":" + vnic.id()));
                }
            }
            assertThat(new TreeSet<>(taps(namespace(host)))).as("TAPs in %s's namespace (ip -d link); %s", host,
                    context).containsExactlyElementsOf(expected);
            JavaSwitchBackend backend = backends.get(host.equals(FabricKillNineChild.H1) ? 0 : 1);
            Map<String, Optional<VnicId>> discovered = new TreeMap<>();
            for (DiscoveredPort port : backend.discover(host)) {
                assertThat(discovered.put(port.handle(), port.owner())).as("%s reported once", port.handle())
                        .isNull();
            }
            Map<String, Optional<VnicId>> declared = new TreeMap<>();
            vnics.stream().filter(v -> v.host().equals(host))
                    .forEach(v -> declared.put(v.attachment().handle(), Optional.of(v.id())));
            assertThat(discovered).as("%s's backend discovers; %s", host, context).isEqualTo(declared);
        }
    }

    /** A TAP as {@code ip -d link} shows it. */
    private record Tap(String name, String mac, String alias) implements Comparable<Tap> {
        @Override
        public int compareTo(Tap o) {
            return toString().compareTo(o.toString());
        }
    }

    private static final Pattern IP_LINK = Pattern.compile("^\\d+: ([^:@]+)[:@].*?link/ether (\\S+) .*");
    private static final Pattern ALIAS = Pattern.compile("\\s+alias (\\S+)");

    /** Every TUN/TAP device in a namespace, as {@code ip -o -d link show} lists it (independent of iov's netlink). */
    private static List<Tap> taps(NetworkNamespace ns) {
        String out = run("ip", "-n", ns.name(), "-o", "-d", "link", "show");
        List<Tap> taps = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.contains(" tun type ")) {
                continue;
            }
            Matcher m = IP_LINK.matcher(line);
            assertThat(m.matches()).as("parse %s", line).isTrue();
            Matcher alias = ALIAS.matcher(line);
            taps.add(new Tap(m.group(1), m.group(2), alias.find() ? alias.group(1) : "(no alias)"));
        }
        return taps;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private NetworkNamespace namespace(HostId host) {
        return host.equals(FabricKillNineChild.H1) ? h1 : h2;
    }

    private void openFabric(FabricListener listener) {
        journal = JournalStateStore.open(store);
        backends.clear();
        fabric = FabricKillNineChild.fabric(journal, prefix, h1, h2, false, backends, listener);
    }

    private void closeFabric() {
        try {
            if (fabric != null) {
                fabric.close();
            }
            backends.forEach(JavaSwitchBackend::close);
        } finally {
            fabric = null;
            backends.clear();
            if (journal != null) {
                journal.close();
                journal = null;
            }
        }
    }

    /** The end: every vNIC released, and the hosts and the store are empty. */
    private void releaseEverythingAndCheckNothingIsLeft() {
        openFabric(null);
        assertThat(fabric.recoveryReport().resolved()).as("nothing to resolve after a clean close").isEmpty();
        Map<VnicId, HostId> left = new LinkedHashMap<>();
        fabric.vnics().forEach(v -> left.put(v.id(), v.host()));
        assertThat(left).isEqualTo(new LinkedHashMap<>(model));
        for (VnicId id : left.keySet()) {
            assertThat(fabric.release(id)).isTrue();
        }
        assertThat(fabric.vnics()).isEmpty();
        assertThat(fabric.driftReport().drifts()).isEmpty();
        assertThat(taps(h1)).as("no TAP in h1's namespace").isEmpty();
        assertThat(taps(h2)).as("no TAP in h2's namespace").isEmpty();
        assertThat(backends.get(0).discover(FabricKillNineChild.H1)).isEmpty();
        assertThat(backends.get(1).discover(FabricKillNineChild.H2)).isEmpty();
        closeFabric();
        try (JournalStateStore reopened = JournalStateStore.open(store)) {
            assertThat(reopened.list("").keySet()).as("only the network is recorded")
                    .allSatisfy(key -> assertThat(key).doesNotContain("vm-").doesNotContain("probe-"));
        }
    }
}
