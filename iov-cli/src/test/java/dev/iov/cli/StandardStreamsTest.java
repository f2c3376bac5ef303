package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StandardStreams} and {@link TerminalText}: control characters become {@code \xNN} however the encoded bytes
 * are split, other text passes unchanged, JSON escapes them itself, and a failed write is kept with its cause.
 */
class StandardStreamsTest {

    @Test
    void escapeReplacesC0ExceptNewlineAndTabDelAndC1() {
        assertThat(TerminalText.escape("a\u0000b\u001b[31m\tc\nd\u007fe\u0080f\u009bg\u00a0h\u00e9€"))
                .isEqualTo("a\\x00b\\x1b[31m\tc\nd\\x7fe\\x80f\\x9bg\u00a0h\u00e9€");
        String plain = "plain text, ümlauts, 日本";
        assertThat(TerminalText.escape(plain)).isSameAs(plain);
    }

    @Test
    void theWriterEscapesWhatTerminalTextEscapes() {
        String text = "x\u001b]0;t\u0007y\r\n\u0085\u009f\u00a0é\u007f\u0001";

        assertThat(written(text, StandardCharsets.UTF_8)).isEqualTo(TerminalText.escape(text));
        assertThat(written(text, StandardCharsets.ISO_8859_1)).isEqualTo(TerminalText.escape(text));
    }

    /** A C1 control is two bytes in UTF-8; one byte at a time, the first write ends in the middle of it. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void aUtf8C1ControlSplitAcrossWritesIsStillEscaped(int chunk) throws IOException {
        byte[] bytes = "a\u009bb\u00c2\u00e9\u0085".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream guard = new StandardStreams.Guard(sink, StandardCharsets.UTF_8)) {
            for (int i = 0; i < bytes.length; i += chunk) {
                guard.write(bytes, i, Math.min(chunk, bytes.length - i));
            }
        }
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("a\\x9bb\u00c2\u00e9\\x85");
    }

    @Test
    void jsonEscapesControlCharactersItselfSoTheWriterLeavesItAlone() {
        String json = Json.toString(Map.of("v", "a\u001b\u007f\u0085\u009b\u00e9"));

        assertThat(json).contains("a\\u001B\\u007F\\u0085\\u009B\u00e9");
        assertThat(written(json, StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void aFullDeviceIsAFailureWithTheKernelsReason() throws IOException {
        try (FileOutputStream full = new FileOutputStream("/dev/full")) {
            PrintWriter out = StandardStreams.writer(full, StandardCharsets.UTF_8, "standard output");
            out.println("lost");

            assertThatThrownBy(() -> StandardStreams.check(out)).isInstanceOf(OutputFailedException.class)
                    .hasMessage("cannot write standard output: No space left on device")
                    .hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void aWriterThatDidNotFailPassesAndAnyOtherWriterGivesAGenericMessage() {
        PrintWriter ok = StandardStreams.writer(new ByteArrayOutputStream(), StandardCharsets.UTF_8, "x");
        ok.println("fine");
        StandardStreams.check(ok);

        PrintWriter other = new PrintWriter(new StringWriter()) {
            @Override
            public boolean checkError() {
                return true;
            }
        };
        assertThatThrownBy(() -> StandardStreams.check(other)).hasMessage("cannot write standard output");
    }

    @Test
    void aCommandWhoseOutputCannotBeWrittenExitsOneInProcess() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (FileOutputStream full = new FileOutputStream("/dev/full")) {
            exit = CliRunner.run(c -> { }, full, err, "rss", "hash", "--src", "198.18.0.1", "--dst", "198.18.0.2");
        }

        assertThat(exit).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("iov: cannot write standard output: No space left on device\n");
    }

    private static String written(String text, Charset charset) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintWriter out = StandardStreams.writer(sink, charset, "test");
        out.print(text);
        out.flush();
        return sink.toString(charset);
    }
}
