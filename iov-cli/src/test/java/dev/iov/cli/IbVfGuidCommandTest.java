package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.Guid;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.testing.Privileged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code iov ib vf-guid set}: every bad value exits 2 before a socket is opened. The PF named does not exist, so a
 * request that went out would be answered ENODEV, reported as "no such network interface" instead of the option.
 */
class IbVfGuidCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--vf=-1|--node-guid=0x1|'-1' is negative",
        "--vf=0|--node-guid=0x0|the zero GUID",
        "--vf=0|--port-guid=0000:0000:0000:0000|the zero GUID",
        "--vf=0|--node-guid=zz|--node-guid:",
        "--vf=0|--port-guid=0x12345678901234567|--port-guid:",
        "--vf=0|--json|nothing to set for VF 0",
    })
    void badInputExitsTwoBeforeAnythingIsSent(String vf, String option, String message) {
        CliRunner.Result result = CliRunner.run("ib", "vf-guid", "set", "iov-nope0", vf, option);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains(message).doesNotContain("No such device");
    }

    @Test
    void bothGuidFormsBecomeOneVfRequest() {
        IbVfGuidCommand.SetCommand set = new IbVfGuidCommand.SetCommand();
        new CommandLine(set).parseArgs("ib0", "--vf", "3", "--node-guid", "0x0002c90300000001", "--port-guid",
                "0002:c903:0000:0002");

        VfConfig config = set.config();

        assertThat(config.vf()).isEqualTo(3);
        assertThat(config.nodeGuid()).contains(Guid.of(0x0002c90300000001L));
        assertThat(config.portGuid()).contains(Guid.of(0x0002c90300000002L));
        assertThat(config.mac()).isEmpty();
        assertThat(config.isVlanSet()).isFalse();
    }

    @Test
    @Privileged // without CAP_NET_ADMIN the kernel answers EPERM before it looks the name up
    void aRealRequestToAMissingPfIsTheKernelsNoSuchDeviceAndAnInputError() {
        CliRunner.Result result = CliRunner.run("ib", "vf-guid", "set", "iov-nope0", "--vf", "0", "--node-guid",
                "0x1", "--json");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("iov: PF_NETDEV 'iov-nope0': no such network interface\n");
    }
}
