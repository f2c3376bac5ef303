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
 * Files the user names on the command line for iov to write, checked the same way by every command, with the same
 * messages and exit code ({@link ExitCodes#USAGE}). (Input files are read by their parsers, bounded and strict:
 * {@code PartitionConfigParser.readFile}, {@code VfSnapshots.read}, both on {@code BoundedReads}.)
 */
final class UserFiles {

    private UserFiles() {
    }

    /**
     * Checks a file the user named for iov to read, before it is read: the same words and exit code for every
     * command. What it holds is the parser's business (bounded, strict, with line and byte offset).
     *
     * @param what the parameter or option, for messages ({@code FILE})
     * @param file the file
     * @throws UserInputException {@code FILE 'x' does not exist} or {@code FILE 'x' is a directory}
     */
    static void checkInput(String what, Path file) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(what + " '" + file + "' is a directory");
        }
        if (!Files.exists(file)) {
            throw new UserInputException(what + " '" + file + "' does not exist");
        }
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
