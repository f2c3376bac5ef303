package dev.iov.sriov.vf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.InterfaceName;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading snapshot files (the bytes on disk), before anything is sent to the kernel. */
class VfSnapshotsReadTest {

    @TempDir
    Path dir;

    @Test
    void aCharacterDeviceIsRefusedAtTheLimitNotReadToExhaustion() {
        assertThatThrownBy(() -> VfSnapshots.read(Path.of("/dev/zero")))
                .isInstanceOf(VfSnapshotFormatException.class)
                .hasMessage("/dev/zero: larger than the 16 MiB limit for a VF snapshot");
    }

    @Test
    void aHugeSparseFileIsRefused() throws IOException {
        Path sparse = dir.resolve("vfs.json");
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(10L << 30);
        }

        assertThatThrownBy(() -> VfSnapshots.read(sparse)).isInstanceOf(VfSnapshotFormatException.class)
                .hasMessageContaining("larger than the 16 MiB limit");
    }

    @Test
    void bytesThatAreNotUtf8AreNamedByLineColumnAndOffset() throws IOException {
        byte[] text = "{\n  \"format\": \"iov-vf-snapshot/1\",\n  \"pf\": \"caf\u00e9x\"\n}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("latin1.json"), text);

        assertThatThrownBy(() -> VfSnapshots.read(file)).isInstanceOf(VfSnapshotFormatException.class)
                .hasMessage(file + ":3:13: byte offset 47: 0xe9 is not valid UTF-8")
                .satisfies(e -> assertThat(((VfSnapshotFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void aValidFileIsRead() throws IOException {
        VfSnapshot snapshot = new VfSnapshot(InterfaceName.of("ens1f0"), List.of());
        Path file = Files.writeString(dir.resolve("ok.json"), VfSnapshotJson.write(snapshot));

        assertThat(VfSnapshots.read(file)).isEqualTo(snapshot);
        assertThatThrownBy(() -> VfSnapshots.read(dir.resolve("missing.json")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.json");
    }
}
