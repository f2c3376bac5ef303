package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Signals} against real processes: the signal arrives, a gone process is reported as gone. */
class SignalsTest {

    @Test
    void hupReachesAProcessThatTrapsIt() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "trap 'echo got-hup; exit 0' HUP; echo ready; "
                + "while :; do sleep 0.05; done").start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(shell.getInputStream())).readLine())
                    .isEqualTo("ready");
            assertThat(Signals.send(shell.pid(), Signals.SIGHUP)).isTrue();
            assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(shell.getInputStream().readAllBytes())).contains("got-hup");
            assertThat(shell.exitValue()).isZero();
        } finally {
            shell.destroyForcibly();
        }
    }

    @Test
    void aProcessThatHasExitedIsReportedAsGone() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        assertThat(Signals.send(done.pid(), 0)).isFalse();
    }

    @Test
    void groupsAndBadSignalsAreRefusedBeforeTheKernelSeesThem() {
        assertThatThrownBy(() -> Signals.send(0, Signals.SIGTERM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("process id 0");
        assertThatThrownBy(() -> Signals.send(-1, Signals.SIGKILL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Signals.send(ProcessHandle.current().pid(), 65))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signal 65");
    }
}
