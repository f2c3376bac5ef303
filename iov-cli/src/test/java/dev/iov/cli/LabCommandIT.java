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
        assertThat(Path.of(System.getProperty("java.io.tmpdir"), "iov-lab-ovs"))
                .as("the daemons' parent directory is removed with them").doesNotExist();
    }

    private static List<String> ovsDaemons() throws Exception {
        Process pgrep = new ProcessBuilder("pgrep", "-f", "iov-ovs-.*/db.sock").start();
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

    private static long tsharkEchoRequests(Path pcap) throws Exception {
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-Y",
                "icmp.type == 8 && ip.dst == 198.18.1.1", "-T", "fields", "-e", "frame.number")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.isBlank()).count();
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile())
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
