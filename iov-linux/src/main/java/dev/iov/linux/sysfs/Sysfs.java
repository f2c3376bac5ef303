package dev.iov.linux.sysfs;

import dev.iov.api.internal.io.BoundedReads;
import dev.iov.api.internal.io.InputTooLargeException;
import dev.iov.linux.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed access to sysfs below a root: {@code /sys} on a host, a prepared tree in tests. Paths are relative to the
 * root ({@code bus/pci/devices/0000:03:00.0/sriov_numvfs}) and may not leave it.
 *
 * <p>Reads trim the trailing newline the kernel appends. A write is one {@code write(2)} of the whole value, as the
 * kernel's attribute handlers expect; when the kernel refuses (EBUSY while VFs are in use, EINVAL for a count above
 * {@code sriov_totalvfs}), the exception names the file, the value and the kernel's reason, and carries the errno
 * ({@link SysfsException#errno()}) so callers can tell "busy" from "invalid".
 *
 * <p>Symbolic links are followed only while they stay inside the root: a sysfs tree links devices, drivers,
 * {@code virtfnN} and {@code physfn} to each other, never to anything outside {@code /sys}, so a path whose real
 * location leaves the root's is refused (a {@link SysfsException} naming the path and where it leads) before anything
 * is read from or written to it. An attribute is read only when it is a regular file, and at most
 * {@value #MAX_ATTRIBUTE_BYTES} bytes of it (the largest page a kernel attribute can fill); a longer one is refused.
 *
 * <p>Writes go through an {@link AttributeWriter}: {@link AttributeWriter#DIRECT} on a host, a recording writer that
 * answers like the kernel in tests ({@link #at(Path, AttributeWriter)}).
 */
public final class Sysfs {
    /** The most bytes an attribute may hold: a sysfs {@code show()} fills at most one page, 64 KiB at the most. */
    public static final int MAX_ATTRIBUTE_BYTES = 64 * 1024;

    private static final Sysfs SYSTEM = new Sysfs(Path.of("/sys"), AttributeWriter.DIRECT);

    private final Path root;
    private final AttributeWriter writer;

    private Sysfs(Path root, AttributeWriter writer) {
        this.root = root;
        this.writer = writer;
    }

    /** @return sysfs of this host, rooted at {@code /sys} */
    public static Sysfs system() {
        return SYSTEM;
    }

    /**
     * @param root the directory that plays {@code /sys}
     * @return sysfs rooted there
     */
    public static Sysfs at(Path root) {
        return at(root, AttributeWriter.DIRECT);
    }

    /**
     * @param root the directory that plays {@code /sys}
     * @param writer performs the writes (a test tree's writer records them and answers like the kernel)
     * @return sysfs rooted there, writing through {@code writer}
     */
    public static Sysfs at(Path root, AttributeWriter writer) {
        return new Sysfs(Objects.requireNonNull(root, "root").toAbsolutePath().normalize(),
                Objects.requireNonNull(writer, "writer"));
    }

    /** @return the root directory */
    public Path root() {
        return root;
    }

    /**
     * @param relative a path below the root
     * @return the absolute path
     * @throws IllegalArgumentException when the path is absolute or climbs out of the root
     */
    public Path resolve(String relative) {
        Path path = root.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !path.startsWith(root)) {
            throw new IllegalArgumentException("sysfs path '" + relative + "' is not below " + root);
        }
        return path;
    }

    /**
     * @param relative a path below the root
     * @return true when it exists (following symlinks)
     */
    public boolean exists(String relative) {
        return Files.exists(resolve(relative));
    }

    /**
     * @param relative a file below the root
     * @return its content without the trailing newline
     * @throws SysfsException when it cannot be read
     */
    public String read(String relative) {
        Path path = resolve(relative);
        Path real = confined(path);
        try {
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.exists(real)) {
                    throw new NoSuchFileException(path.toString());
                }
                throw new SysfsException(path, "sysfs attribute " + path + " is not a regular file", null);
            }
            // The real path has no links left; NOFOLLOW keeps a link swapped in meanwhile from being followed.
            byte[] bytes = BoundedReads.readNoFollow(real, MAX_ATTRIBUTE_BYTES);
            return stripNewline(new String(bytes, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            throw new SysfsException(path, "sysfs file " + path + " does not exist", e);
        } catch (InputTooLargeException e) {
            throw new SysfsException(path, "sysfs attribute " + path + ": more than " + MAX_ATTRIBUTE_BYTES
                    + " bytes", e);
        } catch (IOException e) {
            throw new SysfsException(path, "cannot read " + path + ": " + reason(e), e);
        }
    }

    /**
     * @param relative a file below the root
     * @return its content, or empty when the file does not exist (optional attributes such as {@code net/} names)
     * @throws SysfsException when it exists and cannot be read
     */
    public Optional<String> readIfExists(String relative) {
        return exists(relative) ? Optional.of(read(relative)) : Optional.empty();
    }

    /**
     * @param relative a file holding a decimal integer ({@code sriov_totalvfs}, {@code numa_node} which may be -1)
     * @return the number
     * @throws SysfsException when the file cannot be read or does not hold a decimal integer
     */
    public int readInt(String relative) {
        String text = read(relative).strip();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw malformed(relative, text, "a decimal integer", e);
        }
    }

    /**
     * @param relative a file holding a {@code 0x}-prefixed hex number ({@code vendor} "0x15b3", {@code class}
     *     "0x020000", P_Key entries "0xffff")
     * @return the number
     * @throws SysfsException when the file cannot be read or does not hold such a number
     */
    public long readHex(String relative) {
        String text = read(relative).strip();
        if (!text.startsWith("0x") || text.length() < 3 || text.length() > 18) {
            throw malformed(relative, text, "a 0x-prefixed hex number", null);
        }
        try {
            return Long.parseUnsignedLong(text.substring(2), 16);
        } catch (NumberFormatException e) {
            throw malformed(relative, text, "a 0x-prefixed hex number", e);
        }
    }

    /**
     * @param relative a file holding {@code "N: NAME"}
     * @return the number and name
     * @throws SysfsException when the file cannot be read or is not in that form
     */
    public NumberedState readNumberedState(String relative) {
        String text = read(relative).strip();
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw malformed(relative, text, "\"N: NAME\"", null);
        }
        try {
            return new NumberedState(Integer.parseInt(text.substring(0, colon).strip()),
                    text.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw malformed(relative, text, "\"N: NAME\"", e);
        }
    }

    /**
     * Lists a directory, sorted by name. Numbered entries ({@code virtfn2}, {@code virtfn10}) sort by number, the
     * way the kernel numbers them, not as text.
     *
     * @param relative a directory below the root
     * @return entry names; empty when the directory does not exist
     * @throws SysfsException when it exists and cannot be listed
     */
    public List<String> list(String relative) {
        Path dir = resolve(relative);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        confined(dir);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new SysfsException(dir, "cannot list " + dir + ": " + reason(e), e);
        }
        names.sort(NaturalOrder.INSTANCE);
        return names;
    }

    /**
     * Follows a symlink and names what it points to: {@code driver} → {@code "mlx5_core"}, {@code physfn} →
     * {@code "0000:03:00.0"}.
     *
     * @param relative a symlink below the root
     * @return the last name of its target, or empty when the link does not exist
     * @throws SysfsException when it exists but is not a symlink or cannot be read
     */
    public Optional<String> linkTarget(String relative) {
        Path link = resolve(relative);
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
        } catch (IOException | UnsupportedOperationException e) {
            throw new SysfsException(link, link + " is not a readable symlink: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a value to an attribute with one {@code write(2)}, as sysfs expects.
     *
     * @param relative an attribute below the root
     * @param value the value, without newline
     * @throws SysfsException when the kernel refuses it; the message names the file, the value and the reason
     */
    public void write(String relative, String value) {
        Path path = resolve(relative);
        confined(path);
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        String shown = value.replace("\n", "\\n");
        int written;
        try {
            written = writer.write(path, bytes);
        } catch (NoSuchFileException e) {
            throw new SysfsException(path, "cannot write '" + shown + "' to " + path + ": no such file",
                    Errno.ENOENT, e);
        } catch (IOException e) {
            String reason = reason(e);
            Errno errno = errno(e, reason);
            throw new SysfsException(path, "cannot write '" + shown + "' to " + path + ": " + reason
                    + (errno != null && !reason.contains(errno.name()) ? " (" + errno.name() + ")" : ""), errno, e);
        }
        if (written != bytes.length) {
            throw new SysfsException(path, "short write of '" + shown + "' to " + path + ": " + written + " of "
                    + bytes.length + " bytes", null);
        }
    }

    /**
     * Where a path really leads, after every symbolic link; refused when that is outside the root's real location.
     * A path that does not exist yet is checked through its nearest existing ancestor.
     */
    private Path confined(Path path) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new SysfsException(path, "sysfs root " + root + " cannot be resolved: " + reason(e), e);
        }
        Path existing = path;
        Path rest = Path.of("");
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                if (!real.startsWith(realRoot)) {
                    throw new SysfsException(path, "sysfs path " + path + " leads to " + real + ", outside "
                            + realRoot + "; refusing to follow the link", null);
                }
                return real.resolve(rest);
            } catch (NoSuchFileException e) {
                if (existing.getFileName() == null) {
                    break;
                }
                rest = existing.getFileName().resolve(rest);
                existing = existing.getParent();
            } catch (IOException e) {
                throw new SysfsException(path, "cannot resolve " + path + ": " + reason(e), e);
            }
        }
        return path;
    }

    private SysfsException malformed(String relative, String text, String expected, Throwable cause) {
        Path path = resolve(relative);
        return new SysfsException(path, path + " holds '" + text + "', expected " + expected, cause);
    }

    /** The kernel's reason: for sysfs writes the JDK reports strerror of the write's errno as the message. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied (EACCES)";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * The errno behind a failed open or write. The JDK keeps only {@code strerror(errno)}, so the number is recovered
     * from the exception type and that text, matched against glibc's C-locale texts ({@link Errno#message()}; the
     * JDK's strerror follows the process locale, and test runs set {@code LC_ALL=C}). In a locale with translated
     * texts the errno stays unknown (null) and the message still carries the kernel's reason.
     */
    private static Errno errno(IOException e, String reason) {
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        for (Errno candidate : Errno.values()) {
            if (reason.equals(candidate.message())) {
                return candidate;
            }
        }
        return null;
    }

    private static String stripNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
