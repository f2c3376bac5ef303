package dev.iov.api.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads whole files with a limit: at most {@code limit + 1} bytes are read through a stream, so a character device
 * ({@code /dev/zero}, {@code /dev/urandom}), a huge sparse file or a pipe that never ends costs at most the limit in
 * memory and is refused with an {@link InputTooLargeException} naming the file and the limit. The file's size is
 * never trusted ({@code stat} says 0 for a character device and for sysfs attributes).
 *
 * <p>Other failures are the {@link IOException}s the JDK throws ({@link java.nio.file.NoSuchFileException} and so
 * on), for the caller to map to its documented exception.
 */
public final class BoundedReads {

    /** One mebibyte. */
    public static final int MIB = 1 << 20;

    /** The largest array the JDK will allocate. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private BoundedReads() {
    }

    /**
     * Reads a whole file.
     *
     * @param file the file
     * @param limit the most bytes the file may hold
     * @return its bytes
     * @throws InputTooLargeException when it holds more than {@code limit} bytes; nothing past {@code limit + 1} is read
     * @throws IOException when it cannot be opened or read
     */
    public static byte[] read(Path file, long limit) throws IOException {
        return read(file, limit, false);
    }

    /**
     * Reads a whole file that must not be a symbolic link (sysfs attributes are regular files; a link there is not
     * the kernel's).
     *
     * @param file the file
     * @param limit the most bytes the file may hold
     * @return its bytes
     * @throws InputTooLargeException when it holds more than {@code limit} bytes
     * @throws java.nio.file.FileSystemException when the file is a symbolic link (ELOOP), or cannot be opened
     * @throws IOException when it cannot be read
     */
    public static byte[] readNoFollow(Path file, long limit) throws IOException {
        return read(file, limit, true);
    }

    private static byte[] read(Path file, long limit, boolean noFollow) throws IOException {
        OpenOption[] options = noFollow ? new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS}
                : new OpenOption[] {StandardOpenOption.READ};
        try (InputStream in = Files.newInputStream(file, options)) {
            return read(in, limit, file, file.toString());
        }
    }

    /**
     * Reads a stream to its end.
     *
     * @param in the stream; not closed
     * @param limit the most bytes it may hold
     * @param source how to name the stream in the message
     * @return its bytes
     * @throws InputTooLargeException when it holds more than {@code limit} bytes; nothing past {@code limit + 1} is read
     * @throws IOException when it cannot be read
     */
    public static byte[] read(InputStream in, long limit, String source) throws IOException {
        return read(in, limit, null, source);
    }

    private static byte[] read(InputStream in, long limit, Path file, String source) throws IOException {
        if (limit < 0 || limit >= MAX_ARRAY) {
            throw new IllegalArgumentException("limit " + limit + " is not between 0 and " + (MAX_ARRAY - 1));
        }
        // readNBytes(n) grows its buffer as data arrives, so a large limit allocates nothing up front.
        byte[] bytes = in.readNBytes((int) limit + 1);
        if (bytes.length > limit) {
            throw new InputTooLargeException(file, source, limit);
        }
        return bytes;
    }

    /**
     * Reads a whole UTF-8 text file.
     *
     * @param file the file
     * @param limit the most bytes the file may hold
     * @return its text
     * @throws InputTooLargeException when it holds more than {@code limit} bytes
     * @throws MalformedTextException when it is not UTF-8, naming the byte offset
     * @throws IOException when it cannot be opened or read
     */
    public static String readUtf8(Path file, long limit) throws IOException {
        return decodeUtf8(read(file, limit), file.toString());
    }

    /**
     * Decodes UTF-8 strictly.
     *
     * @param bytes the bytes
     * @param source what they were read from, for the message
     * @return the text
     * @throws MalformedTextException naming the offset of the first byte that is not UTF-8
     */
    public static String decodeUtf8(byte[] bytes, String source) throws MalformedTextException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            StringBuilder shown = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + result.length()); i++) {
                shown.append(shown.length() == 0 ? "" : " ").append(String.format("0x%02x", bytes[i] & 0xff));
            }
            throw new MalformedTextException(source, at, shown.toString(), "UTF-8");
        }
        return out.flip().toString();
    }

    /**
     * @param bytes a size
     * @return it for a message: {@code "16 MiB"} when a whole number of MiB, else {@code "4096 bytes"}
     */
    public static String describe(long bytes) {
        if (bytes >= MIB && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    /**
     * Whether an exception from a read is the refusal of an over-long file, so callers can tell it from an I/O error.
     *
     * @param e what a read threw
     * @return true for an {@link InputTooLargeException} or a {@link CharacterCodingException}: the content is bad
     */
    public static boolean isBadContent(IOException e) {
        return e instanceof InputTooLargeException || e instanceof CharacterCodingException;
    }
}
