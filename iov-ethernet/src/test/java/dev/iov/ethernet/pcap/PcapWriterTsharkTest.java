package dev.iov.ethernet.pcap;

import static dev.iov.ethernet.frame.TestFrames.bytes;
import static dev.iov.ethernet.frame.TestFrames.ethernet;
import static dev.iov.ethernet.frame.TestFrames.ipv4;
import static dev.iov.ethernet.frame.TestFrames.ipv6;
import static dev.iov.ethernet.frame.TestFrames.ipv6Address;
import static dev.iov.ethernet.frame.TestFrames.tcp;
import static dev.iov.ethernet.frame.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.MacAddress;
import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.IpProtocols;
import dev.iov.ethernet.frame.TestFrames.Tag;
import dev.iov.testing.Privileged;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writes captures with {@link PcapWriter} and reads them back with the real {@code tshark -r}: the file must open
 * without complaint, and tshark's view of each frame (lengths, timestamp, MACs, VLAN IDs, addresses, ports) must be
 * what was written. {@code .ci/run} installs tshark; locally the test skips without it.
 */
@Privileged(tools = "tshark")
class PcapWriterTsharkTest {

    private static final long T0 = 1_700_000_000_123_456_789L;
    private static final int SNAPLEN = 128;
    private static final String[] FIELDS = {"frame.number", "frame.time_epoch", "frame.len", "frame.cap_len",
        "eth.src", "eth.dst", "ieee8021ad.id", "vlan.id", "ip.src", "ip.dst", "ipv6.dst", "udp.srcport",
        "tcp.dstport"};

    @TempDir
    Path dir;

    /** One written frame and the tshark fields it must produce (after frame.number and frame.time_epoch). */
    private record Written(byte[] bytes, long epochNanos, List<String> fields) {
    }

    @ParameterizedTest
    @EnumSource(TimestampPrecision.class)
    void tsharkReadsWhatWasWritten(TimestampPrecision precision) throws Exception {
        long a = MacAddress.parse("02:69:6f:00:00:01").toLong();
        long b = MacAddress.parse("02:69:6f:00:00:02").toLong();
        List<Written> frames = new ArrayList<>();
        byte[] untagged = ethernet(b, a, EtherTypes.IPV4, ipv4(0x0A000001, 0x0A000002, IpProtocols.UDP, 0, 0,
                udp(5353, 53, bytes(18))));
        frames.add(new Written(untagged, T0, List.of("60", "60", "02:69:6f:00:00:01", "02:69:6f:00:00:02", "",
                "", "10.0.0.1", "10.0.0.2", "", "5353", "")));
        byte[] dot1q = ethernet(a, b, List.of(new Tag(EtherTypes.VLAN_8021Q, 3, 0, 100)), EtherTypes.IPV6,
                ipv6(ipv6Address(0x2001_0db8_0000_0000L, 1), ipv6Address(0x2001_0db8_0000_0000L, 2), List.of(),
                        IpProtocols.TCP, tcp(40000, 443, bytes(0))));
        frames.add(new Written(dot1q, T0 + 1_000_000L, List.of("78", "78", "02:69:6f:00:00:02",
                "02:69:6f:00:00:01", "", "100", "", "", "2001:db8::2", "", "443")));
        byte[] qinq = ethernet(MacAddress.BROADCAST.toLong(), a, List.of(new Tag(EtherTypes.QINQ_8021AD, 0, 0, 200),
                new Tag(EtherTypes.VLAN_8021Q, 0, 0, 300)), EtherTypes.ARP, bytes(28));
        frames.add(new Written(qinq, T0 + 2_000_000_001L, List.of("50", "50", "02:69:6f:00:00:01",
                "ff:ff:ff:ff:ff:ff", "200", "300", "", "", "", "", "")));
        byte[] stacked = ethernet(b, a, List.of(new Tag(EtherTypes.VLAN_8021Q, 0, 0, 5),
                new Tag(EtherTypes.VLAN_8021Q, 0, 0, 6)), 0x88B5, bytes(46));
        frames.add(new Written(stacked, T0 + 3_000_000_999L, List.of("68", "68", "02:69:6f:00:00:01",
                "02:69:6f:00:00:02", "", "5,6", "", "", "", "", "")));
        byte[] jumbo = ethernet(b, a, EtherTypes.IPV4, ipv4(0xC0A80001, 0xC0A80002, IpProtocols.UDP, 0, 0,
                udp(1, 2, bytes(1472))));
        // Cut at the snaplen inside the UDP payload: tshark still shows the headers, and both lengths.
        frames.add(new Written(jumbo, T0 + 4_999_999_999L, List.of("1514", String.valueOf(SNAPLEN),
                "02:69:6f:00:00:01", "02:69:6f:00:00:02", "", "", "192.168.0.1", "192.168.0.2", "", "1", "")));

        Path file = dir.resolve("capture-" + precision + ".pcap");
        try (PcapWriter writer = PcapWriter.open(file, precision, SNAPLEN, PcapWriter.DEFAULT_BUFFER_CAPACITY)) {
            for (Written w : frames) {
                // Frames sit at an offset in a bigger buffer, as they do in a switch's receive ring.
                ByteBuffer ring = ByteBuffer.allocateDirect(w.bytes().length + 64);
                ring.put(32, w.bytes());
                writer.write(ring, 32, w.bytes().length, w.epochNanos());
            }
        }

        List<List<String>> rows = tshark(file);
        assertThat(rows).hasSize(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Written w = frames.get(i);
            List<String> row = rows.get(i);
            assertThat(row.get(0)).isEqualTo(String.valueOf(i + 1));
            assertThat(new BigDecimal(row.get(1))).as("frame %d time", i + 1)
                    .isEqualByComparingTo(expectedSeconds(w.epochNanos(), precision));
            assertThat(row.subList(2, row.size())).as("frame %d", i + 1).isEqualTo(w.fields());
        }
    }

    private static BigDecimal expectedSeconds(long epochNanos, TimestampPrecision precision) {
        long nanos = precision == TimestampPrecision.MICROSECONDS ? epochNanos / 1000 * 1000 : epochNanos;
        return BigDecimal.valueOf(nanos, 9);
    }

    /** Runs {@code tshark -r} and returns one list of field values per frame. */
    private List<List<String>> tshark(Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String field : FIELDS) {
            command.add("-e");
            command.add(field);
        }
        Path out = dir.resolve("tshark.out");
        Path err = dir.resolve("tshark.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // Keep tshark away from the user's profile.
        pb.environment().put("HOME", dir.toString());
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tshark did not finish within 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("tshark exit status; stderr: %s", stderr).isZero();
        assertThat(stderr).doesNotContain("cut short", "damaged", "corrupt", "isn't");
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            rows.add(List.of(line.split("\t", -1)));
        }
        return rows;
    }
}
