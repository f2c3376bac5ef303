package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.linux.NetworkNamespace;
import dev.iov.testing.Privileged;
import dev.iov.testing.TestNamespaces;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov switch run} as users run it: the shaded jar in its own process, with its ports on the switch-side ends
 * of veth pairs inside a network namespace this test creates ({@code --netns}); the other ends are the only links
 * of three "VM" namespaces, {@code a} and {@code b} in VLAN 10, {@code c} in VLAN 20. Pings cross the switch within
 * the VLAN and not across; SIGINT or SIGTERM stops it, and it prints counters that match and exits 0. Host
 * interfaces are never touched; addresses are in 198.18.0.0/15.
 */
@Privileged(tools = {"ip", "ping"})
class SwitchRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path jar;

    @TempDir
    Path dir;

    private NetworkNamespace sw;
    private NetworkNamespace a;
    private NetworkNamespace b;
    private NetworkNamespace c;
    private Process process;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("iov.cli.jar", "iov-cli.jar"));
        assertThat(jar).as("system property iov.cli.jar (set by the failsafe configuration)").isRegularFile();
    }

    @BeforeEach
    void createVms() {
        sw = NetworkNamespace.create(TestNamespaces.uniqueName());
        a = vm("s-a", "198.18.7.1/24");
        b = vm("s-b", "198.18.7.2/24");
        c = vm("s-c", "198.18.7.3/24");
    }

    /** A namespace whose eth0 is the peer of {@code switchEnd} in the switch's namespace. */
    private NetworkNamespace vm(String switchEnd, String address) {
        NetworkNamespace vm = NetworkNamespace.create(TestNamespaces.uniqueName());
        run(sw, "ip", "link", "add", switchEnd, "type", "veth", "peer", "name", "eth0", "netns", vm.name());
        run(sw, "ip", "link", "set", switchEnd, "up");
        run(vm, "ip", "addr", "add", address, "dev", "eth0");
        run(vm, "ip", "link", "set", "eth0", "up");
        run(vm, "ip", "link", "set", "lo", "up");
        return vm;
    }

    @AfterEach
    void tearDown() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        for (NetworkNamespace ns : new NetworkNamespace[] {a, b, c, sw}) {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void pingsCrossWithinTheVlanAndSigintPrintsMatchingCounters() throws Exception {
        Path pcap = dir.resolve("sw.pcap");
        Started started = start("switch", "run", "--netns", sw.name(), "--port", "s-a:access=10", "--port",
                "s-b:access=10", "--port", "s-c:access=20", "--pcap", pcap.toString(), "--json");

        assertThat(started.running()).as("progress line on stderr: %s", started.err()).isTrue();
        assertThat(started.err().get(0)).contains("s-a (access 10)", "s-c (access 20)", sw.name(),
                pcap.toString());
        assertThat(exec(a, "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.7.2").exitCode).isZero();
        assertThat(exec(a, "ping", "-c", "2", "-i", "0.2", "-W", "1", "198.18.7.3").exitCode)
                .as("VLAN 10 cannot reach VLAN 20").isNotZero();
        assertThat(exec(new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))).exitCode).isZero();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGINT").isTrue();
        String out = started.out().get(10, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("stderr: %s", started.err()).isZero();
        JsonNode result = JSON.readTree(out);
        assertThat(result.get("stoppedBy").asText()).isEqualTo("SIGINT");
        assertThat(result.get("netns").asText()).isEqualTo(sw.name());
        JsonNode portA = result.get("ports").get(0);
        JsonNode portB = result.get("ports").get(1);
        JsonNode portC = result.get("ports").get(2);
        assertThat(portA.get("name").asText()).isEqualTo("s-a");
        assertThat(portA.get("rxPackets").asLong()).as("3 echo requests (+ARP) from a").isGreaterThanOrEqualTo(3);
        assertThat(portB.get("txPackets").asLong()).as("the requests reached b").isGreaterThanOrEqualTo(3);
        assertThat(portB.get("rxPackets").asLong()).as("3 echo replies from b").isGreaterThanOrEqualTo(3);
        assertThat(portA.get("txPackets").asLong()).as("the replies reached a").isGreaterThanOrEqualTo(3);
        assertThat(portC.get("vlan").asText()).isEqualTo("access 20");
        long toC = portC.get("txPackets").asLong();
        assertThat(toC).as("nothing from VLAN 10 was sent to c, not even a's ARP broadcasts").isZero();
        // A frame the switch drops (e.g. SAME_PORT, VLAN_NOT_ALLOWED) is counted as received but never mirrored.
        long forwarded = 0;
        for (JsonNode port : result.get("ports")) {
            forwarded += port.get("rxPackets").asLong();
            for (JsonNode dropped : port.get("drops")) {
                forwarded -= dropped.asLong();
            }
        }
        assertThat(result.get("pcapFrames").asLong()).as("every received frame that was not dropped mirrored: %s",
                out).isEqualTo(forwarded);
        assertThat(Files.size(pcap)).isGreaterThan(24);
    }

    @Test
    void sigtermStopsItAndTheTablePrintsOnePortPerLine() throws Exception {
        Started started = start("switch", "run", "--netns", sw.name(), "--port", "s-a", "--port", "s-b");

        assertThat(started.running()).as("progress line on stderr: %s", started.err()).isTrue();
        assertThat(exec(b, "ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.7.1").exitCode).isZero();
        // Not Process.destroy(): it sends SIGTERM but also closes our end of the process's output.
        assertThat(exec(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))).exitCode).isZero();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        String out = started.out().get(10, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("stderr: %s", started.err()).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("switch stopped by SIGTERM (network namespace " + sw.name() + ")");
        assertThat(lines.get(1)).startsWith("PORT");
        assertThat(lines.get(2)).startsWith("s-a").contains("trunk all");
        assertThat(lines.get(3)).startsWith("s-b");
        assertThat(lines).hasSize(4);
    }

    @Test
    void inProcessWithoutNetnsItOpensThePortsInTheCallersNamespace() throws Exception {
        StopSignal.Manual stop = StopSignal.manual();
        CompletableFuture<CliRunner.Result> run = CompletableFuture.supplyAsync(() -> sw.call(() -> CliRunner.run(
                commandLine -> ((SwitchCommand.RunCommand) commandLine.getSubcommands().get("switch")
                        .getSubcommands().get("run").getCommand()).stop = stop,
                "switch", "run", "--port", "s-a:trunk", "--port", "s-b", "--json")));
        assertThat(stop.awaiting().await(60, TimeUnit.SECONDS)).as("running").isTrue();

        assertThat(exec(a, "ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.7.2").exitCode).isZero();
        stop.stop();

        CliRunner.Result result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).startsWith("iov: switch running on s-a (trunk all), s-b (trunk all); stop with");
        JsonNode json = JSON.readTree(result.out());
        assertThat(json.get("netns").isNull()).isTrue();
        assertThat(json.get("pcap").isNull()).isTrue();
        assertThat(json.get("ports").get(1).get("rxPackets").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(json.get("ports").get(0).get("txPackets").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void thePcapFileIsReplacedWholeWhenTheSwitchStopsNotWhileItRuns() throws Exception {
        Path pcap = Files.writeString(dir.resolve("sw.pcap"), "the previous capture");
        Started started = start("switch", "run", "--netns", sw.name(), "--port", "s-a", "--port", "s-b", "--pcap",
                pcap.toString());

        assertThat(started.running()).as("progress line on stderr: %s", started.err()).isTrue();
        assertThat(exec(a, "ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.7.2").exitCode).isZero();
        assertThat(pcap).as("untouched while the switch runs").hasContent("the previous capture");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .anyMatch(name -> name.startsWith(".sw.pcap") && name.endsWith(".tmp"));
        }
        assertThat(exec(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))).exitCode).isZero();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        started.out().get(10, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("stderr: %s", started.err()).isZero();
        byte[] capture = Files.readAllBytes(pcap);
        assertThat(capture.length).isGreaterThan(24);
        assertThat(Arrays.copyOf(capture, 4)).as("pcap magic, nanosecond, little-endian")
                .containsExactly(0x4d, 0x3c, 0xb2, 0xa1);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(pcap);
        }
    }

    @Test
    void aLinkMissingFromTheNamespaceIsAnInputErrorAndNothingRuns() throws Exception {
        Result result = exec(new ProcessBuilder(java("switch", "run", "--netns", sw.name(), "--port", "s-a",
                "--port", "eth0")));

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).isEqualTo("iov: --port 'eth0': no link 'eth0' in network namespace '"
                + sw.name() + "'\n");
    }

    private record Started(boolean running, List<String> err, CompletableFuture<String> out) {
    }

    /** Starts iov and waits until it says it runs (or exits). */
    private Started start(String... args) throws Exception {
        process = new ProcessBuilder(java(args)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> err = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    err.add(line);
                    if (line.startsWith("iov: switch running")) {
                        running.countDown();
                    }
                }
            } catch (IOException e) {
                err.add(e.toString());
            }
            running.countDown();
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
        return new Started(process.isAlive() && !err.isEmpty() && err.get(0).startsWith("iov: switch running"),
                err, out);
    }

    private static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(Arrays.asList(args));
        return command;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result exec(NetworkNamespace ns, String... command) throws Exception {
        Process p = ns.exec(command);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static Result exec(ProcessBuilder builder) throws Exception {
        Process p = builder.redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static void run(NetworkNamespace ns, String... command) {
        try {
            Result result = exec(ns, command);
            assertThat(result.exitCode).as("%s: %s", Arrays.toString(command), result.output).isZero();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
