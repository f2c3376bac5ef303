package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.infiniband.hca.FakeIbSysfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov ib list} on kernel-shaped sysfs trees ({@link FakeIbSysfs#example}) and {@code iov ib pkey explain};
 * nothing here reaches the kernel.
 */
class IbCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private FakeIbSysfs fake;

    @BeforeEach
    void buildTree() {
        fake = FakeIbSysfs.example(root);
    }

    // ---------------------------------------------------------------- list

    @Test
    void listPrintsTheContractJson() throws Exception {
        CliRunner.Result result = ib("list", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        JsonNode hcas = JSON.readTree(result.out()).get("hcas");
        assertThat(hcas).hasSize(3);
        assertThat(hcas.get(0)).isEqualTo(JSON.readTree("{\"name\":\"mlx5_0\",\"pci\":\"0000:86:00.0\","
                + "\"nodeGuid\":\"0xb8599f0300d41a2c\",\"nodeType\":\"CA\",\"fwVer\":\"20.39.1002\",\"ports\":["
                + "{\"port\":1,\"state\":\"ACTIVE\",\"physState\":\"LinkUp\",\"rate\":\"200 Gb/sec (4X HDR)\","
                + "\"lid\":23,\"smLid\":1,\"linkLayer\":\"InfiniBand\",\"pkeys\":[\"0xffff\",\"0x8001\"]},"
                + "{\"port\":2,\"state\":\"DOWN\",\"physState\":\"Disabled\",\"rate\":\"40 Gb/sec (4X QDR)\","
                + "\"lid\":0,\"smLid\":0,\"linkLayer\":\"Ethernet\",\"pkeys\":[\"0xffff\"]}]}"));
    }

    @Test
    void listGivesNullForWhatASoftwareDeviceLacks() throws Exception {
        JsonNode rxe = JSON.readTree(ib("list", "--json").out()).get("hcas").get(2);

        assertThat(rxe.get("name").asText()).isEqualTo("rxe0");
        assertThat(rxe.get("pci").isNull()).isTrue();
        assertThat(rxe.get("fwVer").isNull()).isTrue();
        assertThat(rxe.get("nodeGuid").asText()).isEqualTo("0x505400fffe123456");
    }

    @Test
    void listPrintsATable() {
        CliRunner.Result result = ib("list");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("DEVICE").contains("mlx5_0", "0000:86:00.0", "0xb8599f0300d41a2c",
                "20.39.1002", "ACTIVE/LinkUp", "200 Gb/sec (4X HDR)", "lid 0x0017", "0xffff,0x8001", "rxe0");
    }

    @Test
    void anEmptyTreeListsNothing() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));

        CliRunner.Result json = CliRunner.run("ib", "list", "--sysfs-root", empty.toString(), "--json");
        CliRunner.Result text = CliRunner.run("ib", "list", "--sysfs-root", empty.toString());

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(JSON.readTree(json.out())).isEqualTo(JSON.readTree("{\"hcas\":[]}"));
        assertThat(text.out()).isEqualTo("no InfiniBand/RDMA devices" + System.lineSeparator());
    }

    @Test
    void aMalformedAttributeIsAFailureNamingTheFile() {
        fake.write("class/infiniband/mlx5_0/ports/1/lid", "0xzz\n".getBytes(StandardCharsets.US_ASCII));

        CliRunner.Result result = ib("list", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("iov: ").contains("ports/1/lid", "'0xzz'");
    }

    @Test
    void aMissingRootIsAnInputErrorNamingIt() {
        Path missing = root.resolve("no-such-sys");

        CliRunner.Result result = CliRunner.run("ib", "list", "--sysfs-root", missing.toString());

        SriovCommandTest.assertInputError(result, "--sysfs-root '" + missing + "' does not exist");
    }

    // ---------------------------------------------------------------- pkey explain

    @Test
    void explainAFullKey() throws Exception {
        CliRunner.Result text = CliRunner.run("ib", "pkey", "explain", "0x8001");
        CliRunner.Result json = CliRunner.run("ib", "pkey", "explain", "0x8001", "--json");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("partition 0x0001", "full membership",
                "can talk to every member of partition 0x0001: full (0x8001) and limited (0x0001)");
        assertThat(JSON.readTree(json.out())).isEqualTo(JSON.readTree("{\"pkey\":\"0x8001\",\"partition\":\"0x0001\","
                + "\"membership\":\"full\",\"fullKey\":\"0x8001\",\"limitedKey\":\"0x0001\","
                + "\"defaultPartition\":false,\"canTalkTo\":[\"0x8001\",\"0x0001\"]}"));
    }

    @Test
    void explainALimitedKeyGivenInDecimal() throws Exception {
        CliRunner.Result text = CliRunner.run("ib", "pkey", "explain", "2");
        JsonNode json = JSON.readTree(CliRunner.run("ib", "pkey", "explain", "2", "--json").out());

        assertThat(text.out()).contains("P_Key 0x0002: partition 0x0002, limited membership",
                "full members of partition 0x0002 only (0x8002), not to other limited members (0x0002)");
        assertThat(json.get("membership").asText()).isEqualTo("limited");
        assertThat(json.get("canTalkTo")).hasSize(1);
        assertThat(json.get("canTalkTo").get(0).asText()).isEqualTo("0x8002");
    }

    @Test
    void explainTheDefaultPartition() throws Exception {
        CliRunner.Result text = CliRunner.run("ib", "pkey", "explain", "0x7fff");

        assertThat(text.out()).contains("partition 0x7fff (the default partition), limited membership");
        assertThat(JSON.readTree(CliRunner.run("ib", "pkey", "explain", "0xffff", "--json").out())
                .get("defaultPartition").asBoolean()).isTrue();
    }

    @Test
    void explainRefusesBadKeys() {
        SriovCommandTest.assertInputError(CliRunner.run("ib", "pkey", "explain", "0x8000"), "'0x8000'");
        SriovCommandTest.assertInputError(CliRunner.run("ib", "pkey", "explain", "0x10000"), "'0x10000'");
        SriovCommandTest.assertInputError(CliRunner.run("ib", "pkey", "explain", "fish"), "'fish'");
        SriovCommandTest.assertInputError(CliRunner.run("ib", "pkey", "explain", "0", "--json"), "'0'");
    }

    // ---------------------------------------------------------------- groups

    @Test
    void missingSubcommandsAreUsageErrors() {
        CliRunner.Result ib = CliRunner.run("ib");
        CliRunner.Result pkey = CliRunner.run("ib", "pkey");

        assertThat(ib.exitCode()).isEqualTo(2);
        assertThat(ib.err()).contains("list", "pkey");
        assertThat(pkey.exitCode()).isEqualTo(2);
        assertThat(pkey.err()).contains("explain");
    }

    @Test
    void helpWorksOnTheGroups() {
        CliRunner.Result ib = CliRunner.run("ib", "--help");
        CliRunner.Result pkey = CliRunner.run("ib", "pkey", "--help");

        assertThat(ib.exitCode()).isZero();
        assertThat(ib.out()).contains("Usage: iov ib", "list", "pkey");
        assertThat(pkey.exitCode()).isZero();
        assertThat(pkey.out()).contains("explain");
    }

    /** Runs {@code iov ib args --sysfs-root ROOT}. */
    private CliRunner.Result ib(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "ib";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--sysfs-root";
        all[args.length + 2] = root.toString();
        return CliRunner.run(all);
    }
}
