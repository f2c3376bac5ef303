package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.testing.Privileged;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov lab} against the real kernel, run from the shaded jar as a user runs it: namespaces as VMs, TAP ports on
 * java-switch hosts, veth trunks. Asserts on the JSON lines, then that nothing named {@code iov-lab-} is left. Also:
 * {@code --clean} and the next run remove a lab left behind, and SIGTERM during {@code --hold} tears the lab down.
 */
@Privileged(tools = {"ip", "ping", "iperf3", "tshark"}, devices = "/dev/net/tun")
class LabCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("iov.cli.jar"));
        assertThat(jar).isRegularFile();
    }

    @AfterEach
    void nothingIsLeft() throws Exception {
        assertThat(labNamespaces()).as("iov-lab- namespaces after the test").isEmpty();
        assertThat(hostLinks()).as("iov-lab- links in the host namespace").noneMatch(l -> l.contains("iov-lab-"));
    }

    @Test
    void theLabProvesIsolationCountersMigrationAndDriftRepairAndLeavesNothingBehind() throws Exception {
        Path pcap = dir.resolve("vm1.pcap");
        long start = System.nanoTime();
        Run run = iov(90, "lab", "--json", "--pcap", pcap.toString());
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(seconds).as("whole run in under a minute").isLessThan(60);
        List<JsonNode> lines = run.out().lines().map(LabCommandIT::parse).toList();
        JsonNode fabric = lines.get(0);
        assertThat(fabric.path("vms")).hasSize(6);
        fabric.path("vms").forEach(vm -> {
            assertThat(vm.path("netns").asText()).startsWith("iov-lab-vm");
            assertThat(vm.path("ip").asText()).startsWith("198.18.1.");
        });
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        lines.stream().filter(l -> l.path("event").asText().equals("step"))
                .forEach(l -> steps.put(l.path("step").asText(), l));
        assertThat(steps).hasSize(8);
        steps.values().forEach(step -> assertThat(step.path("ok").asBoolean()).as(step.toString()).isTrue());

        steps.get("ping-intra").path("pairs").forEach(pair -> {
            assertThat(pair.path("sent").asLong()).isEqualTo(3);
            assertThat(pair.path("received").asLong()).as(pair.toString()).isPositive();
        });
        steps.get("ping-cross").path("pairs").forEach(pair -> {
            assertThat(pair.path("sent").asLong()).isPositive();
            assertThat(pair.path("received").asLong()).as(pair.toString()).isZero();
        });
        assertThat(steps.get("tcp").path("tool").asText()).isEqualTo("iperf3");
        assertThat(steps.get("tcp").path("bytes").asLong()).isGreaterThan(1_000_000);
        steps.get("counters").path("vnics").forEach(vnic -> {
            assertThat(vnic.path("rxPackets").asLong()).as(vnic.toString()).isPositive();
            assertThat(vnic.path("txBytes").asLong()).as(vnic.toString()).isPositive();
        });
        assertThat(steps.get("mirror").path("tshark").asText()).isEqualTo("ok");
        assertThat(steps.get("mirror").path("frames").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(tsharkEchoRequests(pcap)).as("echo requests to vm1 in the pcap").isGreaterThanOrEqualTo(3);

        JsonNode migrate = steps.get("migrate");
        assertThat(migrate.path("to").asText()).isNotEqualTo(migrate.path("from").asText());
        assertThat(migrate.path("netns").asText()).isEqualTo("iov-lab-vm1-" + migrate.path("to").asText());
        assertThat(migrate.path("answeredAfter").asBoolean()).isTrue();
        assertThat(migrate.path("sent").asLong()).isEqualTo(40);
        assertThat(migrate.path("lost").asLong()).as("pings lost during the move").isLessThanOrEqualTo(5);

        JsonNode drift = steps.get("drift");
        assertThat(drift.path("cleanBefore").asBoolean()).isTrue();
        assertThat(drift.path("found")).hasSize(1);
        assertThat(drift.path("found").get(0).asText()).contains("MISMATCH", "vm2-eth0", "VLAN");
        assertThat(drift.path("cleanAfter").asBoolean()).isTrue();
        assertThat(steps.get("oversub").path("uplinks")).hasSize(2);

        assertThat(lines.get(lines.size() - 2).path("event").asText()).isEqualTo("teardown");
        assertThat(lines.get(lines.size() - 1).path("summary").path("ok").asBoolean()).isTrue();
    }

    @Test
    @Privileged(tools = {"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl", "ethtool"})
    void theOvsBackendRunsTheSameScenarioAndStopsItsDaemons() throws Exception {
        List<String> daemonsBefore = ovsDaemons();
        Run run = iov(90, "lab", "--json", "--backend", "ovs", "--pcap", dir.resolve("ovs.pcap").toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        List<JsonNode> lines = run.out().lines().map(LabCommandIT::parse).toList();
        assertThat(lines.get(0).path("plane").asText()).contains("Open vSwitch");
        assertThat(lines.get(0).path("vms")).hasSize(6);
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        lines.stream().filter(l -> l.path("event").asText().equals("step"))
                .forEach(l -> steps.put(l.path("step").asText(), l));
        steps.values().forEach(step -> assertThat(step.path("ok").asBoolean()).as(step.toString()).isTrue());
        steps.get("ping-cross").path("pairs").forEach(pair ->
                assertThat(pair.path("received").asLong()).as(pair.toString()).isZero());
        assertThat(steps.get("drift").path("found").get(0).asText()).contains("h2/ovs", "MISMATCH");
        assertThat(steps.get("migrate").path("netns").asText()).as("an OVS VM keeps its namespace")
                .isEqualTo("iov-lab-vm1");
        // Other runs on this machine may have daemons of their own: only new ones would be the lab's.
        assertThat(ovsDaemons()).as("no ovsdb-server or ovs-vswitchd of the lab left")
                .isSubsetOf(daemonsBefore);
        assertThat(Path.of("/run/iov/lab-ovs")).as("the daemons' parent directory is removed with them")
                .doesNotExist();
        assertThat(Path.of(System.getProperty("java.io.tmpdir"), "iov-lab-ovs")).as("nothing in the temporary "
                + "directory").doesNotExist();
    }

    private static List<String> ovsDaemons() throws Exception {
        return pgrep("-f", "iov-ovs-.*/db.sock");
    }

    private static List<String> pgrep(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("pgrep"));
        command.addAll(List.of(args));
        Process pgrep = new ProcessBuilder(command).start();
        String out = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pgrep.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.lines().toList();
    }

    @Test
    void aStaleLabIsRemovedByCleanAndByTheNextRun() throws Exception {
        host("ip", "netns", "add", "iov-lab-vm9");
        assertThat(labNamespaces()).contains("iov-lab-vm9");

        Run clean = iov(30, "lab", "--clean");

        assertThat(clean.exit()).as(clean.err()).isZero();
        assertThat(clean.out()).isEqualTo("removed a stale lab: iov-lab-vm9\n");
        assertThat(labNamespaces()).isEmpty();

        host("ip", "netns", "add", "iov-lab-tor");
        Run run = iov(90, "lab", "--vms", "2", "--pcap", dir.resolve("m.pcap").toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("removed a lab left by a killed run: iov-lab-tor\n");
    }

    @Test
    void sigtermWhileHoldingTearsTheLabDown() throws Exception {
        Process lab = start("lab", "--json", "--hold", "--vms", "2", "--pcap", dir.resolve("h.pcap").toString());
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(lab.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("\"event\":\"hold\"")) {
                    assertThat(labNamespaces()).contains("iov-lab-vm2", "iov-lab-tor");
                    // Process.destroy() would close our end of its stdout; kill(1) sends SIGTERM and nothing else.
                    host("kill", "-TERM", Long.toString(lab.pid()));
                }
            }
        } finally {
            if (!lab.waitFor(30, TimeUnit.SECONDS)) {
                lab.destroyForcibly();
            }
        }
        assertThat(lines).anyMatch(l -> l.contains("\"event\":\"hold\""));
        assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"teardown\"");
    }

    @Test
    void aSecondLabOrCleanWhileOneRunsSaysWhichProcessHoldsItAndTouchesNothing() throws Exception {
        Process first = startLogging("first.err", "lab", "--json", "--hold", "--vms", "2", "--pcap",
                dir.resolve("first.pcap").toString());
        try {
            awaitHold(first);
            List<String> before = labNamespaces();
            assertThat(before).contains("iov-lab-vm2", "iov-lab-tor");

            Run second = iov(90, "lab", "--vms", "2", "--pcap", dir.resolve("second.pcap").toString());
            Run clean = iov(30, "lab", "--clean");

            for (Run run : List.of(second, clean)) {
                assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
                assertThat(run.out()).isEmpty();
                assertThat(run.err()).isEqualTo("iov: another lab is running (pid " + first.pid() + "); stop it "
                        + "(Ctrl-C, or kill " + first.pid() + ") or wait for it to end\n");
            }
            assertThat(labNamespaces()).as("the first lab's namespaces").isEqualTo(before);
            assertThat(first.isAlive()).isTrue();
            assertThat(dir.resolve("second.pcap")).doesNotExist();
        } finally {
            terminate(first);
        }
    }

    @Test
    void cleanAfterAKilledLabEndsEveryProcessLeftInItsNamespaces() throws Exception {
        Process lab = startLogging("lab.err", "lab", "--json", "--hold", "--vms", "2", "--pcap",
                dir.resolve("k.pcap").toString());
        Process sleeper = null;
        try {
            awaitHold(lab);
            // What a person (or a traffic generator) started in a VM while the lab was held.
            sleeper = new ProcessBuilder("ip", "netns", "exec", "iov-lab-vm2", "sleep", "1000").start();
            String ns = Files.readSymbolicLink(Path.of("/proc", Long.toString(awaitNetnsOf(sleeper, "iov-lab-vm2")),
                    "ns", "net")).toString();
            host("kill", "-KILL", Long.toString(lab.pid()));
            assertThat(lab.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(sleeper.isAlive()).as("a SIGKILLed lab cannot end what runs in its namespaces").isTrue();

            Run clean = iov(30, "lab", "--clean");

            assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
            assertThat(clean.out()).contains("iov-lab-vm2");
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).as("the sleep in iov-lab-vm2 ended").isTrue();
            assertThat(processesIn(ns)).as("processes left in " + ns).isEmpty();
            assertThat(labNamespaces()).isEmpty();
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();
            }
            lab.destroyForcibly();
            lab.waitFor(30, TimeUnit.SECONDS);
            iov(30, "lab", "--clean");
        }
    }

    @Test
    @Privileged(tools = {"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl", "ethtool"})
    void sigtermOnAnOvsLabStopsItsDaemonsAndRemovesTheirDirectory() throws Exception {
        List<String> daemonsBefore = ovsDaemons();
        Process lab = startLogging("ovs.err", "lab", "--json", "--hold", "--vms", "2", "--backend", "ovs", "--pcap",
                dir.resolve("o.pcap").toString());
        List<String> lines;
        List<Path> directories = new ArrayList<>();
        try {
            lines = readUntilExit(lab, () -> {
                // pgrep -a: "PID COMMAND LINE"; the daemons started since the test began are the lab's.
                List<String> daemons = pgrep("-af", "iov-ovs-.*/db.sock").stream()
                        .filter(l -> !daemonsBefore.contains(l.substring(0, l.indexOf(' ')))).toList();
                assertThat(daemons).as("the lab's daemons").hasSizeGreaterThanOrEqualTo(4);
                daemons.stream().map(LabCommandIT::daemonDirectory).distinct().forEach(directories::add);
                host("kill", "-TERM", Long.toString(lab.pid()));
            });
        } finally {
            terminate(lab);
        }
        assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"teardown\"");
        assertThat(directories).isNotEmpty().allSatisfy(d -> {
            assertThat(d).as("a daemon directory").doesNotExist();
            assertThat(d.getParent()).as("the daemons' parent directory").doesNotExist();
        });
        assertThat(ovsDaemons()).as("no ovsdb-server or ovs-vswitchd of the lab left").isSubsetOf(daemonsBefore);
        assertThat(Files.readString(dir.resolve("ovs.err"))).as("stderr").isEmpty();
    }

    @Test
    void cleanDoesNotFollowASymlinkWhereTheDaemonsParentUsedToBe() throws Exception {
        Path old = Path.of(System.getProperty("java.io.tmpdir"), "iov-lab-ovs");
        Path victim = Files.createDirectories(dir.resolve("victim").resolve("iov-ovs-x"));
        Files.writeString(victim.resolve("ovsdb-server.pid"), "1\n");
        Files.writeString(victim.resolve("precious"), "keep me");
        assertThat(old).doesNotExist();
        Files.createSymbolicLink(old, victim.getParent());
        try {
            Run clean = iov(30, "lab", "--clean");

            assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
            assertThat(Files.readString(victim.resolve("precious"))).isEqualTo("keep me");
            assertThat(Files.readString(victim.resolve("ovsdb-server.pid"))).isEqualTo("1\n");
            assertThat(Files.isSymbolicLink(old)).isTrue();
        } finally {
            Files.deleteIfExists(old);
        }
    }

    /** The directory of an OVS daemon, from the {@code db.sock} path on its command line. */
    private static Path daemonDirectory(String pgrepLine) {
        Matcher m = Pattern.compile("(/\\S+/iov-ovs-[^/\\s]+)/db\\.sock").matcher(pgrepLine);
        assertThat(m.find()).as(pgrepLine).isTrue();
        return Path.of(m.group(1));
    }

    /** Waits until {@code ip netns exec} has entered the namespace and exec'd its command. */
    private static long awaitNetnsOf(Process process, String namespace) throws Exception {
        Path target = Path.of("/var/run/netns", namespace);
        Object want = Files.getAttribute(target, "unix:ino");
        Path ns = Path.of("/proc", Long.toString(process.pid()), "ns", "net");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // ip netns exec enters the namespace before it execs; the only way to see that is to look.
        while (!want.equals(Files.getAttribute(ns, "unix:ino"))) {
            assertThat(System.nanoTime()).as("ip netns exec entered " + namespace).isLessThan(deadline);
            Thread.onSpinWait();
        }
        return process.pid();
    }

    /** Pids whose network namespace is {@code ns} ({@code net:[N]}). */
    private static List<Long> processesIn(String ns) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            for (Path p : proc.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("ns").resolve("net")).toString().equals(ns)) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited, or a zombie
                }
            }
        }
        return pids;
    }

    private static void awaitHold(Process lab) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("\"event\":\"hold\"")) {
                return;
            }
        }
        throw new AssertionError("the lab ended before holding (exit " + lab.exitValue() + ")");
    }

    /** Reads a lab's JSON lines to its end, running {@code atHold} once it holds. */
    private static List<String> readUntilExit(Process lab, ThrowingRunnable atHold) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(lab.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("\"event\":\"hold\"")) {
                    atHold.run();
                }
            }
        }
        assertThat(lines).anyMatch(l -> l.contains("\"event\":\"hold\""));
        return lines;
    }

    /** SIGTERM (a no-op once it has ended; its output is not read any more) and wait for the teardown. */
    private static void terminate(Process lab) throws Exception {
        lab.destroy();
        if (!lab.waitFor(60, TimeUnit.SECONDS)) {
            lab.destroyForcibly();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static long tsharkEchoRequests(Path pcap) throws Exception {
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-Y",
                "icmp.type == 8 && ip.dst == 198.18.1.1", "-T", "fields", "-e", "frame.number")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.isBlank()).count();
    }

    private Process start(String... args) throws IOException {
        return startLogging("stderr.txt", args);
    }

    private Process startLogging(String stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve(stderr).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private Run iov(int timeoutSeconds, String... args) throws Exception {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroy();
            throw new AssertionError("iov " + String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Run(p.exitValue(), out, Files.readString(dir.resolve("stderr.txt")));
    }

    private static void host(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static List<String> hostLinks() throws Exception {
        Process p = new ProcessBuilder("ip", "-o", "link", "show").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.lines().toList();
    }

    private static List<String> labNamespaces() {
        Path netns = Path.of("/var/run/netns");
        if (!Files.isDirectory(netns)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(netns)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("iov-lab-")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }

    private record Run(int exit, String out, String err) {
    }
}
