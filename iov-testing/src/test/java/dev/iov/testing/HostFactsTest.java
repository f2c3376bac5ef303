package dev.iov.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {

    @Test
    void effectiveUidIsTheSecondFieldOfTheUidLine() {
        List<String> status = List.of("Name:\tjava", "Umask:\t0022", "State:\tR (running)",
                "Uid:\t1000\t0\t1000\t1000", "Gid:\t1000\t1000\t1000\t1000");
        assertThat(HostFacts.parseEffectiveUid(status)).isEqualTo(OptionalLong.of(0));
    }

    @Test
    void malformedOrMissingUidLineIsUnknown() {
        assertThat(HostFacts.parseEffectiveUid(List.of("Name:\tjava"))).isEmpty();
        assertThat(HostFacts.parseEffectiveUid(List.of("Uid:\t1000"))).isEmpty();
        assertThat(HostFacts.parseEffectiveUid(List.of("Uid:\t1000\tabc\t0\t0"))).isEmpty();
    }

    @Test
    void unreadableStatusFileIsUnknown(@TempDir Path dir) {
        assertThat(HostFacts.readEffectiveUid(dir.resolve("no-such-status"))).isEmpty();
    }

    @Test
    void liveStatusFileHasAnEffectiveUid() {
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertThat(HostFacts.SYSTEM.effectiveUid()).isPresent();
        }
    }

    @Test
    void toolsAreExecutableRegularFilesOnPath(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("ovsdb-server"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path notExecutable = Files.writeString(bin.resolve("tshark"), "");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectory(bin.resolve("ip"));
        String path = dir.resolve("empty") + ":" + bin + "::";

        assertThat(HostFacts.isOnPath("ovsdb-server", path)).isTrue();
        assertThat(HostFacts.isOnPath("ip", path)).as("a directory is not a tool").isFalse();
        assertThat(HostFacts.isOnPath("iperf3", path)).isFalse();
        assertThat(HostFacts.isOnPath("ovsdb-server", null)).isFalse();
        assertThat(HostFacts.isOnPath("", path)).isFalse();
        assertThat(HostFacts.isOnPath(tool.toString(), null)).as("a path is checked as is").isTrue();
        // Even for root, access(X_OK) needs at least one x bit on a regular file.
        assertThat(HostFacts.isOnPath("tshark", path)).as("no x bit").isFalse();
    }

    @Test
    void systemFactsSeeThisHost() {
        assertThat(HostFacts.SYSTEM.onPath("sh")).isTrue();
        assertThat(HostFacts.SYSTEM.onPath("iov-no-such-tool-4711")).isFalse();
        assertThat(HostFacts.SYSTEM.exists("/")).isTrue();
        assertThat(HostFacts.SYSTEM.exists("/no/such/device/4711")).isFalse();
        assertThat(HostFacts.SYSTEM.exists("bad\0path")).isFalse();
    }
}
