package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicOutputFile}: the target changes only on commit, whole; without a commit nothing is left behind. */
class AtomicOutputFileTest {

    @TempDir
    Path dir;

    @Test
    void theTargetKeepsItsOldContentUntilCommitThenHasTheNewAndItsPermissions() throws IOException {
        Path target = Files.writeString(dir.resolve("sw.pcap"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));

        try (AtomicOutputFile file = AtomicOutputFile.create(target)) {
            Files.writeString(file.temp(), "new");
            assertThat(file.temp().getParent()).isEqualTo(dir);
            assertThat(target).hasContent("old");

            file.commit();
        }

        assertThat(target).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        assertThat(entries()).containsExactly(target);
    }

    @Test
    void closingWithoutCommitLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("sw.pcap"), "old");

        try (AtomicOutputFile file = AtomicOutputFile.create(target)) {
            Files.writeString(file.temp(), "half a capture");
        }

        assertThat(target).hasContent("old");
        assertThat(entries()).containsExactly(target);
    }

    @Test
    void aNewFileAppearsOnlyOnCommit() throws IOException {
        Path target = dir.resolve("new.pcap");

        try (AtomicOutputFile file = AtomicOutputFile.create(target)) {
            Files.writeString(file.temp(), "x");
            assertThat(target).doesNotExist();
            file.commit();
        }

        assertThat(target).hasContent("x");
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
