package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov ovs show} without a database (a real daemon is in {@code InventoryIT}), and the {@code --ovsdb} parser:
 * valid addresses come back as given, anything else is an input error quoting it, before anything connects.
 */
class OvsCommandTest {

    @TempDir
    Path dir;

    @Test
    void anUnreachableDatabaseIsAFailureNamingItsAddress() {
        String target = "unix:" + dir.resolve("db.sock");

        CliRunner.Result result = CliRunner.run("ovs", "show", "--ovsdb", target, "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("iov: OVS database " + target + " is not reachable: ")
                .doesNotContain("Exception");
    }

    @Test
    void aBadAddressIsAnInputErrorAndAMissingSubcommandToo() {
        CliRunner.Result bad = CliRunner.run("ovs", "show", "--ovsdb", "tcp:127.0.0.1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("iov: --ovsdb 'tcp:127.0.0.1': expected tcp:HOST:PORT");

        CliRunner.Result none = CliRunner.run("ovs");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("choose a subcommand: show");
    }

    @Property
    void validAddressesAreKeptAsGiven(@ForAll("hosts") String host, @ForAll @IntRange(min = 1, max = 65535) int port,
            @ForAll("paths") String path) {
        assertThat(OvsdbTarget.parse("tcp:" + host + ":" + port)).hasToString("tcp:" + host + ":" + port);
        assertThat(OvsdbTarget.parse("unix:" + path)).hasToString("unix:" + path);
    }

    @Property
    void anyTextIsAnAddressOrAnInputErrorQuotingIt(@ForAll("texts") String text) {
        Throwable thrown = catchThrowable(() -> OvsdbTarget.parse(text));

        if (thrown == null) {
            assertThat(text).matches("unix:.+|tcp:.+:[0-9]{1,5}");
        } else {
            assertThat(thrown).isInstanceOf(UserInputException.class)
                    .hasMessageStartingWith("--ovsdb '" + text + "'");
        }
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.oneOf(Arbitraries.of("127.0.0.1", "localhost", "[::1]", "ovs.example"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(60).filter(s -> !s.isEmpty());
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> pieces = Arbitraries.of("unix:", "tcp:", "ssl:", ":", "/run/db.sock", "127.0.0.1", "[::1]",
                "6640", "0", "65536", "x", "", " ");
        return Arbitraries.oneOf(pieces.list().ofMaxSize(5).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(30));
    }
}
