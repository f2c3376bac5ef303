package dev.iov.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files the user names on the command line, read and written the same way by every command, with the same
 * messages and exit code ({@link ExitCodes#USAGE}): a file that does not exist, a directory, an unreadable, endless
 * or binary file is the user's input, refused with one line that names it and says where it went wrong.
 */
final class UserFiles {

    /** The most an input file may hold: far more than any configuration iov reads, far less than the heap. */
    static final int MAX_INPUT_BYTES = 16 * 1024 * 1024;

    private UserFiles() {
    }

    /**
     * Reads a UTF-8 text file the user named. Regular files and what the shell hands over ({@code /dev/stdin},
     * {@code <(cmd)}: pipes, FIFOs) are read; at most {@value #MAX_INPUT_BYTES} bytes, so {@code /dev/zero} is
     * refused rather than read into the heap.
     *
     * @param what the parameter or option, for messages ({@code FILE})
     * @param file the file
     * @return its text
     * @throws UserInputException {@code FILE 'x' does not exist}, {@code ... is a directory},
     *     {@code ... cannot be read: CAUSE}, {@code ... is larger than 16 MiB}, or
     *     {@code x: not UTF-8 text at byte offset N}
     */
    static String readText(String what, Path file) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(what + " '" + file + "' is a directory");
        }
        if (!Files.exists(file)) {
            throw new UserInputException(what + " '" + file + "' does not exist");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new UserInputException(what + " '" + file + "' does not exist", e);
        } catch (AccessDeniedException e) {
            throw new UserInputException(what + " '" + file + "' cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new UserInputException(what + " '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new UserInputException(what + " '" + file + "' is larger than " + (MAX_INPUT_BYTES >> 20)
                    + " MiB; it is not a file iov reads");
        }
        return decode(file, bytes);
    }

    /** Strict UTF-8: the first malformed or unmappable byte is reported with its offset. */
    static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new UserInputException(file + ": not UTF-8 text at byte offset " + in.position());
        }
        return out.flip().toString();
    }

    /**
     * Checks a file the user named for iov to write (replacing it atomically: a temporary file in the same
     * directory, renamed over it), before anything else happens.
     *
     * @param what the parameter or option, for messages ({@code --pcap})
     * @param file the file
     * @return the path to replace: {@code file}, or where it links to when it is a symbolic link, so that the link
     *     stays and the file it points to is replaced
     * @throws UserInputException when {@code file} is a directory, its directory does not exist, or it exists and
     *     is not a regular file ({@code /dev/null}, a FIFO: renaming over it would replace it)
     */
    static Path checkOutput(String what, Path file) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(what + " '" + file + "' is a directory");
        }
        if (Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw new UserInputException(what + " '" + file + "' is not a regular file (iov replaces the "
                        + "files it writes, so it writes only regular files)");
            }
            try {
                return file.toRealPath();
            } catch (IOException e) {
                throw new UserInputException(what + " '" + file + "' cannot be resolved: " + e.getMessage(), e);
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserInputException(what + " '" + file + "': directory '" + parent + "' does not exist");
        }
        return file;
    }
}
