package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class CliTest {

    @Test
    void debugIsFoundAnywhereBeforeTheTerminator() {
        assertThat(Cli.debugRequested("--debug", "env")).isTrue();
        assertThat(Cli.debugRequested("env", "--json", "--debug")).isTrue();
        assertThat(Cli.debugRequested("env", "--json")).isFalse();
        assertThat(Cli.debugRequested("env", "--", "--debug")).isFalse();
        assertThat(Cli.debugRequested()).isFalse();
    }

    @Test
    void loggingDefaultsToWarnAndDebugRaisesIt() {
        String saved = System.getProperty(Cli.LOG_LEVEL_PROPERTY);
        try {
            System.clearProperty(Cli.LOG_LEVEL_PROPERTY);
            Cli.configureLogging(false);
            assertThat(System.getProperty(Cli.LOG_LEVEL_PROPERTY)).isEqualTo("warn");
            Cli.configureLogging(true);
            assertThat(System.getProperty(Cli.LOG_LEVEL_PROPERTY)).isEqualTo("debug");

            System.setProperty(Cli.LOG_LEVEL_PROPERTY, "info");
            Cli.configureLogging(false);
            assertThat(System.getProperty(Cli.LOG_LEVEL_PROPERTY)).as("a -D from the user wins").isEqualTo("info");
        } finally {
            if (saved == null) {
                System.clearProperty(Cli.LOG_LEVEL_PROPERTY);
            } else {
                System.setProperty(Cli.LOG_LEVEL_PROPERTY, saved);
            }
        }
    }

    @Test
    void exitCodesFollowTheConvention() {
        assertThat(ExitCodes.MAPPER.getExitCode(new IllegalArgumentException("x"))).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.MAPPER.getExitCode(new NumberFormatException("x"))).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.MAPPER.getExitCode(new UserInputException("x"))).isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.MAPPER.getExitCode(new ExecutionException(new IllegalArgumentException("x"))))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(ExitCodes.MAPPER.getExitCode(new IllegalStateException("x"))).isEqualTo(ExitCodes.FAILURE);
        assertThat(ExitCodes.MAPPER.getExitCode(new CompletionException(new IllegalStateException("x"))))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(ExitCodes.MAPPER.getExitCode(new OutOfMemoryError())).isEqualTo(ExitCodes.FAILURE);
    }

    @Test
    void messagesAreOneLineAndNeverEmpty() {
        assertThat(ErrorHandler.describe(new IllegalStateException("a\n  b\r\nc"))).isEqualTo("a b c");
        assertThat(ErrorHandler.describe(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(ErrorHandler.describe(new RuntimeException(new IOException("disk gone"))))
                .isEqualTo("disk gone");
        assertThat(ErrorHandler.describe(new CompletionException(new IllegalStateException("inner"))))
                .isEqualTo("inner");
    }
}
