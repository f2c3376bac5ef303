package dev.iov.linux.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsANewFile() throws Exception {
        Path file = dir.resolve("partitions.conf");

        AtomicFiles.write(file, "Default=0x7fff : ALL=full ;\n");

        assertThat(Files.readString(file)).isEqualTo("Default=0x7fff : ALL=full ;\n");
        assertThat(leftovers()).isZero();
    }

    @Test
    void replacesAnExistingFileKeepingItsPermissions() throws Exception {
        Path file = dir.resolve("vfs.json");
        Files.writeString(file, "old and longer content");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        AtomicFiles.write(file, "new");

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(leftovers()).isZero();
    }

    @Test
    void aFailureNamesTheFileAndLeavesTheTargetAlone() throws Exception {
        Path target = dir.resolve("a-directory");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");

        assertThatThrownBy(() -> AtomicFiles.write(target, "text")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(target.toString());
        assertThat(Files.isDirectory(target)).isTrue();
        assertThat(leftovers()).isZero();
    }

    @Test
    void aMissingDirectoryIsReported() {
        Path file = dir.resolve("missing/partitions.conf");

        assertThatThrownBy(() -> AtomicFiles.write(file, "x")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("missing/partitions.conf");
    }

    private long leftovers() throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }
}
