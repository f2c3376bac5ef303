package dev.iov.cli;

import static dev.iov.cli.SriovCommandTest.assertInputError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code iov sriov vf set}: the options become one {@link VfConfig}, and every invalid input is refused before a
 * request is sent. The PF named here does not exist, so a request that went out would be answered ENODEV ("no such
 * network interface"); an input error naming the option proves it did not.
 */
class SriovVfCommandTest {

    private static final String MISSING_PF = "iov-nope0";

    static Stream<Arguments> invalidInputs() {
        return Stream.of(
                Arguments.of(List.of("--vf", "-1", "--mac", "02:00:00:00:00:01"), "--vf '-1' is negative"),
                Arguments.of(List.of("--vf", "x", "--mac", "02:00:00:00:00:01"), "--vf"),
                Arguments.of(List.of("--mac", "02:00:00:00:00:01"), "--vf"),
                Arguments.of(List.of("--vf", "0"), "nothing to set for VF 0"),
                Arguments.of(List.of("--vf", "0", "--mac", "zz:00:00:00:00:01"), "--mac: invalid MAC"),
                Arguments.of(List.of("--vf", "0", "--mac", "02:00:00:00:01"), "'02:00:00:00:01'"),
                Arguments.of(List.of("--vf", "0", "--mac", "01:00:5e:00:00:01"),
                        "--mac: MAC 01:00:5e:00:00:01 is multicast; a VF needs a unicast address"),
                Arguments.of(List.of("--vf", "0", "--mac", "FF:FF:FF:FF:FF:FF"),
                        "--mac: MAC ff:ff:ff:ff:ff:ff is the broadcast address; a VF needs a unicast address"),
                Arguments.of(List.of("--vf", "0", "--mac", "00:00:00:00:00:00"),
                        "--mac: MAC 00:00:00:00:00:00 is the all-zero address; a VF needs a unicast address"),
                Arguments.of(List.of("--vf", "0", "--min-rate", "500", "--max-rate", "100"),
                        "VF 0: min_tx_rate 500Mbit/s is above max_tx_rate 100Mbit/s"),
                Arguments.of(List.of("--vf", "0", "--vlan", "4095"), "--vlan: invalid VLAN ID '4095'"),
                Arguments.of(List.of("--vf", "0", "--vlan", "4096"), "--vlan '4096' is out of range 0-4095"),
                Arguments.of(List.of("--vf", "0", "--vlan", "-3"), "--vlan '-3' is not a decimal number"),
                Arguments.of(List.of("--vf", "0", "--qos", "3"), "--qos '3' needs --vlan"),
                Arguments.of(List.of("--vf", "0", "--proto", "802.1ad"), "--proto '802.1ad' needs --vlan"),
                Arguments.of(List.of("--vf", "0", "--vlan", "10", "--qos", "8"), "--qos '8' is out of range 0-7"),
                Arguments.of(List.of("--vf", "0", "--vlan", "10", "--proto", "802.1x"), "--proto '802.1x'"),
                Arguments.of(List.of("--vf", "0", "--vlan", "0", "--qos", "1"), "--vlan 0 takes the VF out"),
                Arguments.of(List.of("--vf", "0", "--min-rate", "-5"), "--min-rate '-5'"),
                Arguments.of(List.of("--vf", "0", "--max-rate", "1.5"), "--max-rate '1.5'"),
                Arguments.of(List.of("--vf", "0", "--max-rate", "4294967296"), "--max-rate '4294967296'"),
                Arguments.of(List.of("--vf", "0", "--spoofchk", "yes"), "--spoofchk 'yes' is not 'on' or 'off'"),
                Arguments.of(List.of("--vf", "0", "--trust", "1"), "--trust '1' is not 'on' or 'off'"),
                Arguments.of(List.of("--vf", "0", "--link-state", "up"), "--link-state"));
    }

    @ParameterizedTest
    @MethodSource("invalidInputs")
    void invalidInputExitsTwoBeforeAnythingIsSent(List<String> options, String expected) {
        List<String> args = new ArrayList<>(List.of("sriov", "vf", "set", MISSING_PF));
        args.addAll(options);

        CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));

        assertInputError(result, expected);
        assertThat(result.err()).doesNotContain("No such device", "ENODEV");
    }

    @Test
    void anInvalidPfNameIsAnInputError() {
        CliRunner.Result result = CliRunner.run("sriov", "vf", "set", "a-name-far-too-long-for-linux", "--vf", "0",
                "--trust", "on");

        assertInputError(result, "PF_NETDEV: invalid interface name 'a-name-far-too-long-for-linux'");
    }

    @Test
    void everyOptionGoesIntoOneConfig() {
        VfConfig config = parse("--vf", "3", "--mac", "02:00:00:00:00:03", "--vlan", "100", "--qos", "5",
                "--proto", "802.1ad", "--min-rate", "100", "--max-rate", "2500", "--spoofchk", "off",
                "--trust", "on", "--link-state", "enable");

        assertThat(config).isEqualTo(VfConfig.forVf(3).mac(MacAddress.parse("02:00:00:00:00:03"))
                .vlan(VlanId.of(100), 5, VlanProtocol.IEEE_802_1AD).minTxRate(Bandwidth.ofMbps(100))
                .maxTxRate(Bandwidth.ofMbps(2500)).spoofCheck(false).trust(true).linkState(VfLinkState.ENABLE)
                .build());
    }

    @Test
    void vlanZeroMeansNoVlanAsIpLink() {
        VfConfig config = parse("--vf", "0", "--vlan", "0");

        assertThat(config).isEqualTo(VfConfig.forVf(0).noVlan().build());
        assertThat(config.isVlanSet()).isTrue();
        assertThat(config.vlan()).isEmpty();
    }

    @Test
    void protocolDefaultsTo8021QAndIsCaseInsensitive() {
        assertThat(parse("--vf", "0", "--vlan", "7").vlanProtocol()).isEqualTo(VlanProtocol.IEEE_802_1Q);
        assertThat(parse("--vf", "0", "--vlan", "7", "--proto", "802.1AD").vlanProtocol())
                .isEqualTo(VlanProtocol.IEEE_802_1AD);
    }

    @Test
    void oneRateAloneLeavesTheOtherToTheKernelsCurrentValue() {
        VfConfig config = parse("--vf", "1", "--max-rate", "1000");

        assertThat(config.maxTxRate()).contains(Bandwidth.ofMbps(1000));
        assertThat(config.minTxRate()).isEmpty();
        assertThat(config.needsCurrentRates()).isTrue();
    }

    private static VfConfig parse(String... options) {
        SriovVfCommand.SetCommand command = new SriovVfCommand.SetCommand();
        List<String> args = new ArrayList<>(List.of(MISSING_PF));
        args.addAll(List.of(options));
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
        return command.config();
    }
}
