package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iov completion}: the script loads in a real bash and completes iov's commands and options. */
class CompletionCommandTest {

    @TempDir
    Path dir;

    @Test
    void theBashScriptRegistersACompletionForIov() throws Exception {
        CliRunner.Result result = CliRunner.run("completion", "bash");
        assertThat(result.exitCode()).as(result.err()).isZero();
        Path script = dir.resolve("iov-completion.bash");
        Files.writeString(script, result.out());

        String out = bash("source '" + script + "' && complete -p iov");

        assertThat(out).startsWith("complete ").contains(" iov").contains("-F ");
    }

    @Test
    void theScriptCompletesSubcommandsAndOptions() throws Exception {
        Path script = dir.resolve("iov-completion.bash");
        Files.writeString(script, CliRunner.run("completion").out());

        // What bash does on "iov inv<TAB>" and "iov switch run --p<TAB>".
        String commands = bash("source '" + script + "'; COMP_WORDS=(iov inv); COMP_CWORD=1; COMP_LINE='iov inv'; "
                + "COMP_POINT=${#COMP_LINE}; $(complete -p iov | sed 's/.*-F \\([^ ]*\\).*/\\1/'); "
                + "printf '%s\\n' \"${COMPREPLY[@]}\"");
        String options = bash("source '" + script + "'; COMP_WORDS=(iov switch run --p); COMP_CWORD=3; "
                + "COMP_LINE='iov switch run --p'; COMP_POINT=${#COMP_LINE}; "
                + "$(complete -p iov | sed 's/.*-F \\([^ ]*\\).*/\\1/'); printf '%s\\n' \"${COMPREPLY[@]}\"");

        assertThat(commands.lines()).contains("inventory");
        assertThat(options.lines()).contains("--port", "--pcap");
    }

    @Test
    void zshGetsTheSameScriptAndAnotherShellIsAnInputError() {
        assertThat(CliRunner.run("completion", "zsh").out()).isEqualTo(CliRunner.run("completion", "bash").out())
                .contains("bashcompinit");

        CliRunner.Result fish = CliRunner.run("completion", "fish");
        assertThat(fish.exitCode()).isEqualTo(2);
        assertThat(fish.out()).isEmpty();
        assertThat(fish.err()).contains("'fish'");
    }

    private static String bash(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", command)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
