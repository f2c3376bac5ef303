package dev.iov.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The writers {@code iov} prints through: standard output and standard error as {@link PrintWriter}s (what picocli
 * and commands use) and {@link PrintStream}s (for {@code System.out}/{@code System.err}, where logs go). They add two
 * things to the JDK's:
 *
 * <ul>
 *   <li><b>Failures are kept, with their cause.</b> {@code PrintWriter} and {@code PrintStream} swallow
 *       {@link IOException}s; these remember the first one, so {@link #check} can fail the command with
 *       {@code cannot write standard output: No space left on device} (or {@code Broken pipe}) instead of exiting
 *       0 with a truncated result.
 *   <li><b>Terminal control characters are escaped</b> ({@link TerminalText}) as the encoded bytes pass: C0 controls
 *       except newline and tab and DEL are single bytes in every ASCII-compatible charset; C1 controls are
 *       {@code C2 80}–{@code C2 9F} in UTF-8 and single bytes in ISO-8859-*. JSON the CLI writes contains none of
 *       them ({@link TerminalText#jsonEscapes()}), so this changes only text.
 * </ul>
 */
public final class StandardStreams {

    private StandardStreams() {
    }

    /**
     * A writer to {@code target} that escapes control characters and remembers why writing failed; it flushes on
     * {@code println}. Closing it closes {@code target}.
     *
     * @param target the stream, e.g. {@code new FileOutputStream(FileDescriptor.out)}
     * @param charset how characters are encoded
     * @param name what the stream is, for messages: {@code standard output}
     * @return the writer
     */
    public static PrintWriter writer(OutputStream target, Charset charset, String name) {
        return new CheckedWriter(new Guard(target, charset), charset, name);
    }

    /**
     * A print stream to {@code target} that escapes control characters; for {@code System.setErr}, so that logs and
     * anything else printed there are escaped as well. It flushes on {@code println}.
     *
     * @param target the stream
     * @param charset how characters are encoded
     * @return the print stream
     */
    public static PrintStream printStream(OutputStream target, Charset charset) {
        return new PrintStream(new Guard(target, charset), true, charset);
    }

    /**
     * Flushes {@code out} and fails when anything written to it so far could not be written.
     *
     * @param out a writer from {@link #writer}, or any other (then the cause is not known)
     * @throws OutputFailedException {@code cannot write standard output: CAUSE}
     */
    public static void check(PrintWriter out) {
        if (!out.checkError()) {
            return;
        }
        if (out instanceof CheckedWriter checked) {
            IOException failure = checked.guard.failure;
            String cause = failure == null ? null : failure.getMessage();
            throw new OutputFailedException("cannot write " + checked.name
                    + (cause == null || cause.isBlank() ? "" : ": " + cause), failure);
        }
        throw new OutputFailedException("cannot write standard output", null);
    }

    /** A print writer whose {@link Guard} knows why writing failed. */
    private static final class CheckedWriter extends PrintWriter {
        private final Guard guard;
        private final String name;

        CheckedWriter(Guard guard, Charset charset, String name) {
            super(guard, true, charset);
            this.guard = guard;
            this.name = Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Escapes control characters in encoded bytes and remembers the first {@link IOException} of the stream below.
     * Writes runs of safe bytes in one call. A UTF-8 {@code C2} at the end of a write is held back until the next
     * byte shows whether it starts a C1 control.
     */
    static final class Guard extends FilterOutputStream {
        private final boolean utf8;
        private final boolean latin;
        private boolean pendingC2;
        private IOException failure;

        Guard(OutputStream target, Charset charset) {
            super(Objects.requireNonNull(target, "target"));
            this.utf8 = charset.equals(StandardCharsets.UTF_8);
            this.latin = charset.name().toUpperCase(Locale.ROOT).startsWith("ISO-8859-");
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            try {
                int end = offset + length;
                int start = offset;
                int i = offset;
                if (pendingC2 && i < end) {
                    pendingC2 = false;
                    int next = bytes[i] & 0xff;
                    if (next >= 0x80 && next <= 0x9f) {
                        out.write(ascii(TerminalText.hexEscape(next)));
                        i++;
                        start = i;
                    } else {
                        out.write(0xc2);
                    }
                }
                for (; i < end; i++) {
                    int b = bytes[i] & 0xff;
                    int escaped = -1;
                    int skip = 1;
                    if (b < 0x80 ? TerminalText.isEscaped(b) : latin && b <= 0x9f) {
                        escaped = b;
                    } else if (utf8 && b == 0xc2) {
                        if (i + 1 == end) {
                            out.write(bytes, start, i - start);
                            pendingC2 = true;
                            return;
                        }
                        int next = bytes[i + 1] & 0xff;
                        if (next >= 0x80 && next <= 0x9f) {
                            escaped = next;
                            skip = 2;
                        }
                    }
                    if (escaped >= 0) {
                        out.write(bytes, start, i - start);
                        out.write(ascii(TerminalText.hexEscape(escaped)));
                        i += skip - 1;
                        start = i + 1;
                    }
                }
                out.write(bytes, start, end - start);
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                remember(e);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (pendingC2) {
                    pendingC2 = false;
                    out.write(0xc2);
                }
            } catch (IOException e) {
                remember(e);
                throw e;
            } finally {
                super.close();
            }
        }

        private void remember(IOException e) {
            if (failure == null) {
                failure = e;
            }
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
