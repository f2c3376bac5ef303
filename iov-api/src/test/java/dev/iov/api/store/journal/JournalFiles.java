package dev.iov.api.store.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers that look at and damage a store's files directly. */
final class JournalFiles {

    private JournalFiles() {
    }

    /** The directory's single journal file. */
    static Path journal(Path directory) {
        return single(directory, "journal-", ".log");
    }

    /** The directory's single snapshot file. */
    static Path snapshot(Path directory) {
        return single(directory, "snapshot-", ".snap");
    }

    /** The names of the directory's files other than the lock, sorted. */
    static List<String> names(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> !name.equals(StoreDirectory.LOCK_FILE)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where each record of a journal or snapshot starts, plus the end of the last one. */
    static List<Long> recordBoundaries(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Long> boundaries = new ArrayList<>();
        int position = JournalFormat.HEADER_SIZE;
        boundaries.add((long) position);
        while (position < bytes.length) {
            position += JournalFormat.FRAME_SIZE + ByteBuffer.wrap(bytes, position, 4).getInt();
            boundaries.add((long) position);
        }
        assertThat(position).as("records of %s fill it exactly", file).isEqualTo(bytes.length);
        return boundaries;
    }

    static void truncate(Path file, long size) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, (int) size));
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= (byte) 0x5a;
        Files.write(file, bytes);
    }

    static boolean isAllZero(Path file, long from, long to) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (long i = from; i < to; i++) {
            if (bytes[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    static void overwrite(Path file, long offset, byte[] replacement) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int length = (int) Math.min(replacement.length, bytes.length - offset);
        System.arraycopy(replacement, 0, bytes, (int) offset, length);
        Files.write(file, bytes);
    }

    static void append(Path file, byte[] extra) throws IOException {
        Files.write(file, extra, StandardOpenOption.APPEND);
    }

    static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path single(Path directory, String prefix, String suffix) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> matching = files.filter(file -> {
                String name = file.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(suffix);
            }).toList();
            assertThat(matching).as("%s*%s in %s", prefix, suffix, directory).hasSize(1);
            return matching.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
