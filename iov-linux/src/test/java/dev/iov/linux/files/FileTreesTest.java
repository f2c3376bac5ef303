package dev.iov.linux.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileTrees#delete}: the tree goes, what its links point to stays. */
class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void deletesTheTreeButNeverWhatALinkInItPointsTo() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path victim = Files.writeString(outside.resolve("victim"), "keep me");
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.writeString(tree.resolve("pid"), "1");
        Files.createSymbolicLink(tree.resolve("to-victim"), victim);
        Files.createSymbolicLink(dir.resolve("tree/to-outside"), outside);

        FileTrees.delete(dir.resolve("tree"));

        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(victim).hasContent("keep me");
        assertThat(outside).isDirectory();
    }

    @Test
    void aTreeThatIsAlreadyGoneIsFine() throws Exception {
        FileTrees.delete(dir.resolve("never-was"));
        assertThat(dir.resolve("never-was")).doesNotExist();
    }
}
