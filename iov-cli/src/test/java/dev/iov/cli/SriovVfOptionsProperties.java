package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import picocli.CommandLine;

/**
 * The option parser of {@code iov sriov vf set}: valid settings written as options come back as the same
 * {@link VfConfig}; any text for a value either parses to what it says or is an input error (exit 2) naming the
 * option (never another exception, never a silently different value).
 */
class SriovVfOptionsProperties {

    @Property
    void validSettingsRoundTrip(@ForAll @IntRange(max = 10_000) int vf,
            @ForAll Optional<@LongRange(max = 0xffff_ffff_ffffL) Long> mac,
            @ForAll Optional<@IntRange(max = 4094) Integer> vlan, @ForAll @IntRange(max = 7) int qos,
            @ForAll VlanProtocol protocol, @ForAll Optional<@LongRange(max = 0xffff_ffffL) Long> minRate,
            @ForAll Optional<@LongRange(max = 0xffff_ffffL) Long> maxRate, @ForAll Optional<Boolean> spoofCheck,
            @ForAll Optional<Boolean> trust, @ForAll Optional<VfLinkState> linkState) {
        // Valid: a guaranteed rate not above the limit (0 = no limit); the refusal is VfConfigProperties' subject.
        Assume.that(minRate.isEmpty() || maxRate.isEmpty() || maxRate.get() == 0 || minRate.get() <= maxRate.get());
        List<String> args = new ArrayList<>(List.of("--vf=" + vf));
        VfConfig.Builder expected = VfConfig.forVf(vf);
        // Valid: a unicast address (group bit clear), never all-zero (locally administered bit set).
        mac.map(m -> MacAddress.of(m & ~(1L << 40) | 1L << 41)).ifPresent(m -> {
            args.add("--mac=" + m);
            expected.mac(m);
        });
        vlan.ifPresent(v -> {
            args.add("--vlan=" + v);
            if (v == 0) {
                expected.noVlan();
            } else {
                args.add("--qos=" + qos);
                args.add("--proto=" + SriovVfCommand.protocolName(protocol));
                expected.vlan(VlanId.of(v), qos, protocol);
            }
        });
        minRate.ifPresent(r -> {
            args.add("--min-rate=" + r);
            expected.minTxRate(Bandwidth.ofMbps(r));
        });
        maxRate.ifPresent(r -> {
            args.add("--max-rate=" + r);
            expected.maxTxRate(Bandwidth.ofMbps(r));
        });
        spoofCheck.ifPresent(b -> {
            args.add("--spoofchk=" + (b ? "on" : "off"));
            expected.spoofCheck(b);
        });
        trust.ifPresent(b -> {
            args.add("--trust=" + (b ? "on" : "off"));
            expected.trust(b);
        });
        linkState.ifPresent(s -> {
            args.add("--link-state=" + s.name().toLowerCase(Locale.ROOT));
            expected.linkState(s);
        });

        if (args.size() == 1) {
            assertThatThrownBy(() -> parse(args)).isInstanceOf(UserInputException.class)
                    .hasMessageContaining("nothing to set");
        } else {
            assertThat(parse(args)).isEqualTo(expected.build());
        }
    }

    @Property
    void anyVlanTextIsItsValueOrAnInputError(@ForAll("numberish") String text) {
        List<String> args = List.of("--vf=0", "--vlan=" + text);
        boolean valid = text.matches("[0-9]{1,10}") && Long.parseLong(text) <= 4094;
        if (valid) {
            long value = Long.parseLong(text);
            VfConfig config = parse(args);
            assertThat(config.isVlanSet()).isTrue();
            assertThat(config.vlan().map(VlanId::value).orElse(0)).isEqualTo((int) value);
        } else {
            assertInputError(args, "--vlan");
        }
    }

    @Property
    void anyRateTextIsItsValueOrAnInputError(@ForAll("numberish") String text) {
        List<String> args = List.of("--vf=0", "--max-rate=" + text);
        boolean valid = text.matches("[0-9]{1,10}") && Long.parseLong(text) <= 0xffff_ffffL;
        if (valid) {
            assertThat(parse(args).maxTxRate()).contains(Bandwidth.ofMbps(Long.parseLong(text)));
        } else {
            assertInputError(args, "--max-rate");
        }
    }

    @Property
    void anyMacTextIsThatAddressOrAnInputError(@ForAll("macish") String text) {
        List<String> args = List.of("--vf=0", "--mac=" + text);
        MacAddress parsed;
        try {
            parsed = MacAddress.parse(text).requireAssignable("a VF");
        } catch (IllegalArgumentException e) {
            // Not a MAC, or one a VF must not get (multicast, broadcast, all-zero): refused, naming the option.
            assertInputError(args, "--mac");
            return;
        }
        assertThat(parse(args).mac()).contains(parsed);
    }

    @Provide
    Arbitrary<String> numberish() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789-+. x").ofMaxLength(12),
                Arbitraries.longs().between(0, 10_000_000_000L).map(v -> Long.toString(v)),
                Arbitraries.strings().ofMaxLength(8));
    }

    @Provide
    Arbitrary<String> macish() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 0xffff_ffff_ffffL).map(v -> MacAddress.of(v).toString()),
                Arbitraries.strings().withChars("0123456789abcdefABCDEFg:-").ofMaxLength(19),
                Arbitraries.strings().ofMaxLength(20));
    }

    /**
     * The value was refused as input (exit 2) naming the option: by our checks, or by picocli for values it reads
     * itself (a value like {@code --} is taken for the end of options).
     */
    private static void assertInputError(List<String> args, String option) {
        Throwable thrown = catchThrowable(() -> parse(args));
        assertThat(thrown).isNotNull();
        assertThat(ExitCodes.isUserError(thrown)).as("%s", thrown).isTrue();
        assertThat(thrown).hasMessageContaining(option);
    }

    private static VfConfig parse(List<String> options) {
        SriovVfCommand.SetCommand command = new SriovVfCommand.SetCommand();
        List<String> args = new ArrayList<>(List.of("iov-nope0"));
        args.addAll(options);
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args.toArray(String[]::new));
        return command.config();
    }
}
