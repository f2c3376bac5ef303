package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.api.net.InterfaceName;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import dev.iov.sriov.vf.VfSnapshot;
import dev.iov.sriov.vf.VfSnapshotJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code iov sriov list/numvfs/bind/restore} on kernel-shaped sysfs trees ({@link FakeSysfs}, whose writes are
 * answered as the kernel's store handlers answer them) and on snapshot files; nothing here reaches the kernel.
 */
class SriovCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PF = "0000:3b:00.0";
    private static final String VF0 = "0000:3b:00.2";

    @TempDir
    Path root;

    private FakeSysfs fake;

    @BeforeEach
    void buildTree() {
        fake = FakeSysfs.builder()
                .pf(PF, Model.CONNECTX5).netdev("ens1f0").numaNode(1).totalVfs(8).vfs(2).and()
                .pf("0000:5e:00.0", Model.XL710).netdev("ens2f0").totalVfs(16).vfs(12).and()
                .pf("0000:af:00.0", Model.CONNECTX5).noDriver().totalVfs(4).and()
                .pf("0000:01:00.0", Model.NVME).totalVfs(4).vfs(1).and()
                .build(root);
    }

    // ---------------------------------------------------------------- list

    @Test
    void listPrintsTheContractJsonWithNullsForAbsentValues() throws Exception {
        CliRunner.Result result = sriov("list", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        JsonNode pfs = JSON.readTree(result.out()).get("pfs");
        assertThat(pfs).as("NVMe ignored: %s", result.out()).hasSize(3);
        assertThat(pfs.get(0)).isEqualTo(JSON.readTree("{\"pci\":\"0000:3b:00.0\",\"netdev\":\"ens1f0\","
                + "\"driver\":\"mlx5_core\",\"vendor\":\"0x15b3\",\"device\":\"0x1017\",\"numaNode\":1,"
                + "\"totalVfs\":8,\"numVfs\":2,\"vfs\":["
                + "{\"index\":0,\"pci\":\"0000:3b:00.2\",\"driver\":\"mlx5_core\",\"netdev\":\"ens1f0v0\"},"
                + "{\"index\":1,\"pci\":\"0000:3b:00.3\",\"driver\":\"mlx5_core\",\"netdev\":\"ens1f0v1\"}]}"));
        assertThat(pfs.get(2)).isEqualTo(JSON.readTree("{\"pci\":\"0000:af:00.0\",\"netdev\":null,"
                + "\"driver\":null,\"vendor\":\"0x15b3\",\"device\":\"0x1017\",\"numaNode\":null,"
                + "\"totalVfs\":4,\"numVfs\":0,\"vfs\":[]}"));
        assertThat(result.out()).doesNotContain("0000:01:00.0");
    }

    @Test
    void listOrdersMoreThanTenVfsNumerically() throws Exception {
        CliRunner.Result result = sriov("list", "--json");

        JsonNode xl710 = JSON.readTree(result.out()).get("pfs").get(1);
        assertThat(xl710.get("pci").asText()).isEqualTo("0000:5e:00.0");
        List<Integer> indices = new ArrayList<>();
        xl710.get("vfs").forEach(vf -> indices.add(vf.get("index").asInt()));
        assertThat(indices).isEqualTo(IntStream.range(0, 12).boxed().toList());
        assertThat(xl710.get("vfs").get(10).get("netdev").asText()).isEqualTo("ens2f0v10");
        assertThat(xl710.get("vfs").get(10).get("driver").asText()).isEqualTo("iavf");
    }

    @Test
    void listPrintsATable() {
        CliRunner.Result result = sriov("list");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("PCI").contains("0000:3b:00.0", "ens1f0", "15b3:1017", "2/8",
                "vf 11", "ens2f0v11");
    }

    @Test
    void aMissingRootIsAnInputErrorNamingIt() {
        Path missing = root.resolve("no-such-sys");

        CliRunner.Result result = CliRunner.run("sriov", "list", "--sysfs-root", missing.toString(), "--json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("iov: --sysfs-root '" + missing + "' does not exist");
    }

    // ---------------------------------------------------------------- numvfs

    @Test
    void numvfsGoesThroughZeroToTheNewCount() throws Exception {
        CliRunner.Result result = sriov("numvfs", PF, "4", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(fake.content("bus/pci/devices/" + PF + "/sriov_numvfs")).isEqualTo("4\n");
        assertThat(Files.isSymbolicLink(root.resolve("bus/pci/devices/" + PF + "/virtfn3"))).isTrue();
        assertThat(fake.writes()).extracting(FakeSysfs.Write::value).containsExactly("0", "4");
        assertThat(JSON.readTree(result.out())).isEqualTo(
                JSON.readTree("{\"pci\":\"" + PF + "\",\"numVfsBefore\":2,\"numVfs\":4}"));
    }

    @Test
    void numvfsZeroDisables() {
        CliRunner.Result result = sriov("numvfs", PF, "0");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(fake.content("bus/pci/devices/" + PF + "/sriov_numvfs")).isEqualTo("0\n");
        assertThat(Files.exists(root.resolve("bus/pci/devices/" + PF + "/virtfn0"))).isFalse();
        assertThat(result.out()).contains("0 VFs enabled (was 2)");
    }

    @Test
    void numvfsAboveTotalVfsIsRefusedBeforeAnyWrite() {
        CliRunner.Result result = sriov("numvfs", PF, "9");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains("'9'", "sriov_totalvfs 8", PF);
        assertThat(fake.writes()).isEmpty();
        assertThat(fake.content("bus/pci/devices/" + PF + "/sriov_numvfs")).isEqualTo("2\n");
    }

    @Test
    void numvfsRefusesBadInputBeforeAnyWrite() {
        assertInputError(sriov("numvfs", PF, "-1"), "N '-1'");
        assertInputError(sriov("numvfs", PF, "two"), "two");
        assertInputError(sriov("numvfs", "3b:00.0.1", "2"), "3b:00.0.1");
        assertInputError(sriov("numvfs", "0000:01:00.0", "1"), "'0000:01:00.0' is not an SR-IOV network PF");
        assertInputError(sriov("numvfs", "0000:99:00.0", "1"), "0000:99:00.0");
        assertThat(fake.writes()).isEmpty();
    }

    // ---------------------------------------------------------------- bind

    @Test
    void bindMovesAVfToVfioAndDefaultGivesItBack() throws Exception {
        CliRunner.Result bound = sriov("bind", VF0, "--driver", "vfio-pci", "--json");

        assertThat(bound.exitCode()).as(bound.err()).isZero();
        assertThat(fake.driverOf(VF0)).contains("vfio-pci");
        assertThat(fake.content("bus/pci/devices/" + VF0 + "/driver_override")).isEqualTo("vfio-pci\n");
        assertThat(JSON.readTree(bound.out())).isEqualTo(JSON.readTree(
                "{\"pci\":\"" + VF0 + "\",\"driverBefore\":\"mlx5_core\",\"driver\":\"vfio-pci\"}"));

        CliRunner.Result released = sriov("bind", VF0, "--driver", "default");

        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(fake.driverOf(VF0)).contains("mlx5_core");
        assertThat(fake.content("bus/pci/devices/" + VF0 + "/driver_override")).isEqualTo("(null)\n");
        assertThat(released.out()).isEqualTo(VF0 + ": mlx5_core (was vfio-pci)\n");
    }

    @Test
    void bindRefusesBadInputBeforeAnyWrite() {
        assertInputError(sriov("bind", VF0, "--driver", "ixgbevf"), "--driver 'ixgbevf' is not loaded");
        assertInputError(sriov("bind", "0000:99:00.2", "--driver", "vfio-pci"), "'0000:99:00.2': no such device");
        assertInputError(sriov("bind", "nope", "--driver", "vfio-pci"), "'nope'");
        assertInputError(sriov("bind", VF0), "--driver");
        assertThat(fake.writes()).isEmpty();
        assertThat(fake.driverOf(VF0)).contains("mlx5_core");
    }

    // ---------------------------------------------------------------- restore (file checks; nothing is sent)

    @Test
    void restoreOfABrokenFileNamesFileLineAndColumn() throws Exception {
        Path file = root.resolve("broken.json");
        Files.writeString(file, "{\"format\":\"iov-vf-snapshot/1\",\n \"pf\":\"iov-nope0\",\n \"vfs\":[{\"vf\":0}]}");

        CliRunner.Result result = CliRunner.run("sriov", "restore", "iov-nope0", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).matches("iov: " + java.util.regex.Pattern.quote(file.toString())
                + ":3:\\d+: .*\\R");
    }

    @Test
    void restoreOfACharacterDeviceOrAHugeFileIsRefusedAtTheLimit() throws Exception {
        Path sparse = root.resolve("huge.json");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(10L << 30);
        }

        for (String input : List.of("/dev/zero", sparse.toString())) {
            CliRunner.Result result = CliRunner.run("sriov", "restore", "iov-nope0", input);

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("iov: " + input
                    + ": larger than the 16 MiB limit for a VF snapshot");
        }
    }

    @Test
    void restoreOfAFileThatIsNotUtf8NamesTheByteOffset() throws Exception {
        Path file = root.resolve("latin1.json");
        Files.write(file, "{\"pf\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        CliRunner.Result result = CliRunner.run("sriov", "restore", "iov-nope0", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("iov: " + file + ":1:11: byte offset 10: 0xe9 is not valid UTF-8");
    }

    @Test
    void restoreOfAnotherPfsSnapshotIsRefused() throws Exception {
        Path file = root.resolve("other.json");
        Files.writeString(file, VfSnapshotJson.write(new VfSnapshot(InterfaceName.of("iov-other0"), List.of())));

        CliRunner.Result result = CliRunner.run("sriov", "restore", "iov-nope0", file.toString());

        assertInputError(result, "'iov-other0', not of PF_NETDEV 'iov-nope0'");
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        CliRunner.Result result = CliRunner.run("sriov");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains("list", "numvfs", "bind", "restore");
    }

    @Test
    void helpWorksOnTheGroups() {
        CliRunner.Result sriov = CliRunner.run("sriov", "--help");
        CliRunner.Result vf = CliRunner.run("sriov", "vf", "--help");

        assertThat(sriov.exitCode()).isZero();
        assertThat(sriov.out()).contains("numvfs", "bind", "save", "restore");
        assertThat(vf.exitCode()).isZero();
        assertThat(vf.out()).contains("set", "show");
    }

    // ---------------------------------------------------------------- helpers

    /** Runs {@code iov sriov args --sysfs-root ROOT}, its commands writing through the fake tree. */
    private CliRunner.Result sriov(String... args) {
        List<String> all = new ArrayList<>(List.of("sriov"));
        all.addAll(List.of(args));
        all.add("--sysfs-root");
        all.add(root.toString());
        return CliRunner.run(commandLine -> useFake(commandLine), all.toArray(String[]::new));
    }

    private void useFake(CommandLine commandLine) {
        if (commandLine.getCommand() instanceof SysfsSubcommand command) {
            command.sysfsOpener(dir -> dir.equals(fake.root()) ? fake.sysfs() : Sysfs.at(dir));
        }
        commandLine.getSubcommands().values().forEach(this::useFake);
    }

    static void assertInputError(CliRunner.Result result, String expected) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("iov: ").contains(expected);
    }
}
