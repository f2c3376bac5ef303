package dev.iov.ethernet.switching;

import static dev.iov.ethernet.switching.SwitchFrames.BROADCAST;
import static dev.iov.ethernet.switching.SwitchFrames.Q;
import static dev.iov.ethernet.switching.SwitchFrames.frame;
import static dev.iov.ethernet.switching.SwitchFrames.mac;
import static dev.iov.ethernet.switching.SwitchFrames.tagged;
import static dev.iov.ethernet.switching.SwitchFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import dev.iov.testing.Privileged;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A switch mirror writes a pcap that the real {@code tshark -r} reads: one record per selected frame, as received,
 * with its MACs and VLAN tags. {@code .ci/run} installs tshark; locally the test skips without it.
 */
@Privileged(tools = "tshark")
class MirrorTsharkTest {
    @TempDir
    Path dir;

    @Test
    void tsharkReadsTheMirrorCapture() throws Exception {
        EmbeddedSwitch sw = new EmbeddedSwitch(4);
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.trunk(VlanSet.of(10, 20)))
                .addPort(2, PortConfig.builder(VlanMode.DOT1Q_TUNNEL).tag(20).build());
        Path file = dir.resolve("mirror.pcap");
        try (PcapWriter pcap = PcapWriter.open(file, TimestampPrecision.MICROSECONDS)) {
            sw.switchUnderTest().pcapClockOffsetNanos(1_700_000_000_000_000_000L);
            sw.switchUnderTest().addMirror(MirrorConfig.builder("all").selectAll().outputPcap(pcap).build());
            sw.send(0, untagged(BROADCAST, mac(1)));
            sw.advanceSeconds(1);
            sw.send(1, tagged(BROADCAST, mac(2), 20));
            sw.advanceSeconds(1);
            sw.send(2, frame(BROADCAST, mac(3), Q, 7));
        }
        Path out = dir.resolve("tshark.out");
        Path err = dir.resolve("tshark.err");
        ProcessBuilder pb = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=/t", "-e", "frame.time_epoch", "-e", "eth.src", "-e", "vlan.id")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", dir.toString());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tshark did not finish within 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("tshark stderr: %s", stderr).isZero();
        List<String> rows = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(rows).containsExactly(
                "1700000000.000000000\t02:00:00:00:00:01\t",
                "1700000001.000000000\t02:00:00:00:00:02\t20",
                "1700000002.000000000\t02:00:00:00:00:03\t7");
    }
}
