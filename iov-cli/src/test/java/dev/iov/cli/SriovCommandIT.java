package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.api.net.InterfaceName;
import dev.iov.sriov.VethNamespace;
import dev.iov.sriov.vf.VfSnapshot;
import dev.iov.sriov.vf.VfSnapshotJson;
import dev.iov.testing.Privileged;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov sriov vf/save/restore} against the real kernel: the CLI runs in-process on a thread inside a network
 * namespace this test creates, where a veth pair stands in for a PF. A veth has no VFs, so the kernel itself
 * refuses VF settings with EOPNOTSUPP, and a snapshot of it is empty. Host interfaces are never touched.
 */
@Privileged(tools = "ip")
class SriovCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InterfaceName VETH = InterfaceName.of("iov-x0");

    @TempDir
    Path dir;

    private VethNamespace veth;

    @BeforeEach
    void createVeth() {
        veth = VethNamespace.create(VETH.value());
    }

    @AfterEach
    void deleteNamespace() {
        if (veth != null) {
            veth.close();
        }
    }

    @Test
    void ibVfGuidSetReachesTheKernelWhichRefusesItForAVeth() {
        // InfiniBand VF GUIDs go through the same IFLA_VFINFO_LIST request, so the same veth proves the call is made.
        CliRunner.Result result = inNamespace("ib", "vf-guid", "set", "iov-x0", "--vf", "0", "--node-guid",
                "0x0002c90300000001", "--port-guid", "0002:c903:0000:0002");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains("'iov-x0'").contains("Operation not supported");
    }

    @Test
    void vfSetReachesTheKernelWhichRefusesItForAVeth() {
        CliRunner.Result result = inNamespace("sriov", "vf", "set", "iov-x0", "--vf", "0", "--mac",
                "02:00:00:00:00:01");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("iov: ").contains("'iov-x0'", "Operation not supported")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void vfSetOnAMissingPfIsAnInputErrorNamingIt() {
        CliRunner.Result result = inNamespace("sriov", "vf", "set", "iov-nope0", "--vf", "0", "--trust", "on");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("iov: PF_NETDEV 'iov-nope0': no such network interface");
    }

    @Test
    void vfShowOfAVethListsNoVfs() throws Exception {
        CliRunner.Result json = inNamespace("sriov", "vf", "show", "iov-x0", "--json");
        CliRunner.Result text = inNamespace("sriov", "vf", "show", "iov-x0");

        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(JSON.readTree(json.out())).isEqualTo(JSON.readTree("{\"pf\":\"iov-x0\",\"vfs\":[]}"));
        assertThat(text.out()).isEqualTo("iov-x0: no VFs\n");
    }

    @Test
    void saveWritesAValidEmptySnapshotAndRestoreAppliesIt() throws Exception {
        Path file = dir.resolve("iov-x0.json");

        CliRunner.Result saved = inNamespace("sriov", "save", "iov-x0", file.toString(), "--json");

        assertThat(saved.exitCode()).as(saved.err()).isZero();
        VfSnapshot snapshot = VfSnapshotJson.read(Files.readString(file), file.toString());
        assertThat(snapshot.pf()).isEqualTo(VETH);
        assertThat(snapshot.vfs()).isEmpty();
        JsonNode document = JSON.readTree(saved.out());
        assertThat(document.get("pf").asText()).isEqualTo("iov-x0");
        assertThat(document.get("vfs").asInt()).isZero();

        CliRunner.Result restored = inNamespace("sriov", "restore", "iov-x0", file.toString());

        assertThat(restored.exitCode()).as(restored.err()).isZero();
        assertThat(restored.out()).isEqualTo("restored the settings of 0 VFs of iov-x0 from " + file + "\n");
    }

    @Test
    void saveOfAMissingPfIsAnInputErrorAndWritesNoFile() {
        Path file = dir.resolve("missing.json");

        CliRunner.Result result = inNamespace("sriov", "save", "iov-nope0", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("iov-nope0");
        assertThat(file).doesNotExist();
    }

    private CliRunner.Result inNamespace(String... args) {
        return veth.namespace().call(() -> CliRunner.run(args));
    }
}
