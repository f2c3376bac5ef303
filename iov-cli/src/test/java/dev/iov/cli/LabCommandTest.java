package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.testing.Privileged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code iov lab} on the in-process switch (the path taken without root, forced here with the hidden
 * {@code --in-process} so it runs as root too): the JSON lines, the text form, and the options refused before anything
 * is made.
 */
class LabCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void inProcessLabShowsTheWholeScenarioAsJsonLines() throws IOException {
        Path pcap = dir.resolve("vm1.pcap");
        CliRunner.Result result = CliRunner.run("lab", "--in-process", "--json", "--pcap", pcap.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        List<JsonNode> lines = result.out().lines().map(LabCommandTest::parse).toList();
        assertThat(lines.get(0).path("event").asText()).isEqualTo("fallback");
        assertThat(lines.get(0).path("message").asText()).contains("in-process");

        JsonNode fabric = lines.get(1);
        assertThat(fabric.path("vms")).hasSize(6);
        JsonNode vm1 = fabric.path("vms").get(0);
        assertThat(vm1.path("name").asText()).isEqualTo("vm1");
        assertThat(vm1.path("host").asText()).isEqualTo("h1");
        assertThat(vm1.path("ip").asText()).isEqualTo("198.18.1.1/24");
        assertThat(vm1.path("mac").asText()).matches("02(:[0-9a-f]{2}){5}");
        assertThat(vm1.path("network").asText()).isEqualTo("tenant-a");
        assertThat(fabric.path("vms").findValuesAsText("network")).containsOnly("tenant-a", "tenant-b");
        assertThat(fabric.path("vms").findValuesAsText("host")).containsOnly("h1", "h2");

        Map<String, JsonNode> steps = steps(lines);
        assertThat(steps.keySet()).containsExactly("ping-intra", "ping-cross", "tcp", "counters", "mirror",
                "migrate", "drift", "oversub");
        steps.values().forEach(step -> assertThat(step.path("ok").asBoolean()).as(step.toString()).isTrue());
        steps.get("ping-intra").path("pairs").forEach(pair ->
                assertThat(pair.path("received").asLong()).isEqualTo(pair.path("sent").asLong()).isPositive());
        steps.get("ping-cross").path("pairs").forEach(pair ->
                assertThat(pair.path("received").asLong()).as(pair.toString()).isZero());
        assertThat(steps.get("tcp").path("bytes").asLong()).isPositive();
        steps.get("counters").path("vnics").forEach(vnic -> {
            assertThat(vnic.path("rxPackets").asLong()).as(vnic.toString()).isPositive();
            assertThat(vnic.path("txPackets").asLong()).as(vnic.toString()).isPositive();
        });
        JsonNode mirror = steps.get("mirror");
        assertThat(mirror.path("frames").asLong()).isPositive();
        assertThat(pcap).exists();
        assertThat(Files.size(pcap)).isGreaterThan(24);
        JsonNode migrate = steps.get("migrate");
        assertThat(migrate.path("from").asText()).isEqualTo("h1");
        assertThat(migrate.path("to").asText()).isEqualTo("h2");
        assertThat(migrate.path("lost").asLong()).isZero();
        assertThat(migrate.path("answeredAfter").asBoolean()).isTrue();
        JsonNode drift = steps.get("drift");
        assertThat(drift.path("cleanBefore").asBoolean()).isTrue();
        assertThat(drift.path("found").toString()).contains("MISMATCH", "vm2-eth0");
        assertThat(drift.path("repaired").toString()).contains("updated vm2-eth0");
        assertThat(drift.path("cleanAfter").asBoolean()).isTrue();
        assertThat(steps.get("oversub").path("uplinks")).hasSize(2);

        JsonNode summary = lines.get(lines.size() - 1).path("summary");
        assertThat(summary.path("ok").asBoolean()).isTrue();
        assertThat(summary.path("steps")).hasSize(8);
        assertThat(summary.path("pcap").asText()).isEqualTo(pcap.toString());
    }

    @Test
    void textOutputHasAProgressLinePerStepAndASummaryTable() {
        CliRunner.Result result = CliRunner.run("lab", "--in-process", "--hosts", "3", "--vms", "2", "--pcap",
                dir.resolve("m.pcap").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> out = result.out().lines().toList();
        assertThat(out.get(0)).isEqualTo("--in-process given: running the same scenario on the in-process switch "
                + "with generated frames");
        for (int i = 1; i <= 8; i++) {
            String prefix = "[" + i + "/8] ";
            assertThat(out).anyMatch(line -> line.startsWith(prefix) && line.contains(" ok "));
        }
        assertThat(out).contains("torn down: every switch, uplink and iov-lab- namespace removed");
        assertThat(out.get(out.size() - 1)).startsWith("8 of 8 steps ok in ");
        assertThat(result.out()).contains("vm4    h1").contains("h3   uplink0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--vms|0|--vms (VMs per network) must be 2 to 20, got '0'",
        "--vms|1|--vms (VMs per network) must be 2 to 20, got '1'",
        "--vms|21|--vms (VMs per network) must be 2 to 20, got '21'",
        "--hosts|1|--hosts must be 2 to 8 (a migration needs two hosts), got '1'",
        "--hosts|9|--hosts must be 2 to 8 (a migration needs two hosts), got '9'",
        "--backend|vpp|--backend must be java-switch or ovs, got 'vpp'",
        "--vms|x|invalid value for option '--vms': 'x' is not an int"})
    void badOptionsExitTwoBeforeAnythingIsCreated(String option, String value, String message) {
        List<String> before = labNamespaces();

        CliRunner.Result result = CliRunner.run("lab", option, value);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("iov: ").contains(message);
        assertThat(labNamespaces()).isEqualTo(before);
    }

    @Test
    void aFailedStepIsReportedTheRestStillRunsAndTheLabIsTornDownWithExitOne() {
        // The mirror cannot be written into a directory that does not exist.
        Path pcap = dir.resolve("missing").resolve("vm1.pcap");

        CliRunner.Result result = CliRunner.run("lab", "--in-process", "--json", "--pcap", pcap.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("iov: lab: 1 of 8 steps failed: mirror");
        List<JsonNode> lines = result.out().lines().map(LabCommandTest::parse).toList();
        Map<String, JsonNode> steps = steps(lines);
        assertThat(steps.get("mirror").path("ok").asBoolean()).isFalse();
        assertThat(steps.get("mirror").path("error").asText()).contains("missing");
        assertThat(steps.get("migrate").path("ok").asBoolean()).as("later steps still ran").isTrue();
        assertThat(lines.get(lines.size() - 2).path("event").asText()).isEqualTo("teardown");
        assertThat(lines.get(lines.size() - 1).path("summary").path("ok").asBoolean()).isFalse();
    }

    @Test
    void ovsBackendNeedsTheKernelLab() {
        CliRunner.Result result = CliRunner.run("lab", "--in-process", "--backend", "ovs");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains("--backend ovs needs root and the kernel");
    }

    @Test
    void helpHasAnExample() {
        CliRunner.Result result = CliRunner.run("lab", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Examples:", "sudo iov lab --hold", "--vms", "--hosts", "--clean")
                .doesNotContain("--in-process");
    }

    @Test
    void theDefaultPcapGoesToAFreshPrivateDirectoryAndNeverThroughTheOldFixedName() throws IOException {
        Path old = Path.of(System.getProperty("java.io.tmpdir"), "iov-lab-vm1.pcap");
        if (Files.isRegularFile(old, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(old); // what an earlier version left
        }
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Files.createSymbolicLink(old, victim);
        Path pcap = null;
        try {
            CliRunner.Result result = CliRunner.run("lab", "--in-process", "--json");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(Files.readString(victim)).isEqualTo("precious");
            assertThat(Files.readSymbolicLink(old)).isEqualTo(victim);
            List<JsonNode> lines = result.out().lines().map(LabCommandTest::parse).toList();
            pcap = Path.of(lines.get(lines.size() - 1).path("summary").path("pcap").asText());
            assertThat(pcap).isNotEqualTo(old).isRegularFile().hasFileName("iov-lab-vm1.pcap");
            assertThat(Files.size(pcap)).isGreaterThan(24);
            assertThat(pcap.getParent().getParent()).isEqualTo(old.getParent());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pcap.getParent(),
                    LinkOption.NOFOLLOW_LINKS))).isEqualTo("rwx------");
        } finally {
            Files.deleteIfExists(old);
            if (pcap != null && pcap.getFileName().toString().equals("iov-lab-vm1.pcap")) {
                Files.deleteIfExists(pcap);
                Files.deleteIfExists(pcap.getParent());
            }
        }
    }

    @Test
    void aPcapOptionNamingASymlinkIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path link = Files.createSymbolicLink(dir.resolve("vm1.pcap"), victim);

        CliRunner.Result result = CliRunner.run("lab", "--in-process", "--json", "--pcap", link.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("iov: --pcap " + link + ": is a symbolic link; name the file "
                + "itself");
        assertThat(Files.readString(victim)).isEqualTo("precious");
    }

    /** What a local user may have planted where the lab expects a directory of its own. */
    enum Plant {
        RUN_DIRECTORY_OWNED_BY_NOBODY, RUN_DIRECTORY_WORLD_WRITABLE, DAEMONS_DIRECTORY_OWNED_BY_NOBODY,
        DAEMONS_DIRECTORY_A_SYMLINK
    }

    @ParameterizedTest
    @EnumSource(Plant.class)
    @Privileged
    void aReusedDirectoryThatIsNotPrivateToRootIsRefusedAndNothingIsRemoved(Plant plant) throws IOException {
        Path run = Files.createDirectory(dir.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path daemons = plant == Plant.DAEMONS_DIRECTORY_A_SYMLINK
                ? Files.createSymbolicLink(run.resolve("lab-ovs"), elsewhere)
                : Files.createDirectory(run.resolve("lab-ovs"));
        Path precious = Files.writeString(Files.createDirectories(daemons.resolve("iov-ovs-1")).resolve("conf.db"),
                "precious");
        Path refused = switch (plant) {
            case RUN_DIRECTORY_OWNED_BY_NOBODY -> chown(run);
            case RUN_DIRECTORY_WORLD_WRITABLE -> {
                Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
                yield run;
            }
            case DAEMONS_DIRECTORY_OWNED_BY_NOBODY -> chown(daemons);
            case DAEMONS_DIRECTORY_A_SYMLINK -> daemons;
        };
        String expected = switch (plant) {
            case RUN_DIRECTORY_OWNED_BY_NOBODY, DAEMONS_DIRECTORY_OWNED_BY_NOBODY -> "is owned by uid 65534, not 0";
            case RUN_DIRECTORY_WORLD_WRITABLE -> "is writable by group or others (rwxrwxrwx)";
            case DAEMONS_DIRECTORY_A_SYMLINK -> "is a symbolic link";
        };
        List<String> namespaces = labNamespaces();
        System.setProperty("iov.lab.run-dir", run.toString());
        CliRunner.Result result;
        try {
            result = CliRunner.run("lab", "--clean");
        } finally {
            System.clearProperty("iov.lab.run-dir");
        }

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("iov: " + refused + " " + expected
                + "; refusing to use it (it must be a directory of uid 0 that only its owner can write)");
        assertThat(precious).hasContent("precious");
        assertThat(labNamespaces()).isEqualTo(namespaces);
        if (refused.equals(run)) {
            assertThat(run.resolve("lab.lock")).as("nothing made in a refused run directory").doesNotExist();
        }
    }

    private static Path chown(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        return path;
    }

    private static Map<String, JsonNode> steps(List<JsonNode> lines) {
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        lines.stream().filter(l -> l.path("event").asText().equals("step"))
                .forEach(l -> steps.put(l.path("step").asText(), l));
        return steps;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }

    private static List<String> labNamespaces() {
        Path dir = Path.of("/var/run/netns");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("iov-lab-")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
