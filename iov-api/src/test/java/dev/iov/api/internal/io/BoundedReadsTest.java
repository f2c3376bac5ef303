package dev.iov.api.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedReadsTest {

    @TempDir
    Path dir;

    @Test
    void aCharacterDeviceIsReadOnlyUpToTheLimit() {
        // stat says 0 bytes for /dev/zero; a read that trusted it, or read to the end, would never stop.
        assertThatThrownBy(() -> BoundedReads.read(Path.of("/dev/zero"), 16 * BoundedReads.MIB))
                .isInstanceOf(InputTooLargeException.class)
                .hasMessage("/dev/zero: larger than the 16 MiB limit for this file")
                .satisfies(e -> assertThat(((InputTooLargeException) e).limit()).isEqualTo(16 * BoundedReads.MIB));
        assertThatThrownBy(() -> BoundedReads.read(Path.of("/dev/urandom"), 4096))
                .isInstanceOf(InputTooLargeException.class).hasMessageContaining("4096 bytes limit");
    }

    @Test
    void aHugeSparseFileIsRefused() throws IOException {
        Path sparse = dir.resolve("sparse");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(10L << 30);
        }

        assertThatThrownBy(() -> BoundedReads.readUtf8(sparse, BoundedReads.MIB))
                .isInstanceOf(InputTooLargeException.class).hasMessageContaining(sparse + ": larger than the 1 MiB");
    }

    @Test
    void aFileOfExactlyTheLimitIsRead() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[100]);

        assertThat(BoundedReads.read(file, 100)).hasSize(100);
        assertThatThrownBy(() -> BoundedReads.read(file, 99)).isInstanceOf(InputTooLargeException.class);
        assertThat(BoundedReads.read(new ByteArrayInputStream(new byte[0]), 0, "empty")).isEmpty();
        assertThatThrownBy(() -> BoundedReads.read(dir.resolve("missing"), 1))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void readNoFollowRefusesASymbolicLink() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertThat(BoundedReads.read(link, 10)).containsExactly('x');
        assertThatThrownBy(() -> BoundedReads.readNoFollow(link, 10)).isInstanceOf(IOException.class)
                .isNotInstanceOf(InputTooLargeException.class);
    }

    @Test
    void textThatIsNotUtf8NamesTheByteOffsetAndTheBytes() throws IOException {
        byte[] bytes = "{\"pf\": \"caf".getBytes(StandardCharsets.US_ASCII);
        Path file = Files.write(dir.resolve("latin1.json"),
                concat(bytes, new byte[] {(byte) 0xe9, '"', '}'}));

        assertThatThrownBy(() -> BoundedReads.readUtf8(file, 100)).isInstanceOf(MalformedTextException.class)
                .hasMessage(file + ": byte offset 11: 0xe9 is not valid UTF-8")
                .satisfies(e -> assertThat(((MalformedTextException) e).offset()).isEqualTo(11));
        assertThat(BoundedReads.decodeUtf8("h\u00e9\u20ac".getBytes(StandardCharsets.UTF_8), "s"))
                .isEqualTo("h\u00e9\u20ac");
    }

    @Test
    void limitsAreDescribedInTheirNaturalUnit() {
        assertThat(BoundedReads.describe(16 * BoundedReads.MIB)).isEqualTo("16 MiB");
        assertThat(BoundedReads.describe(4096)).isEqualTo("4096 bytes");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
