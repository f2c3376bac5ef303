package dev.iov.ethernet.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PcapWriterTest {

    /** 2023-11-14T22:13:20.123456789Z. */
    private static final long T0 = 1_700_000_000_123_456_789L;

    @TempDir
    Path dir;

    @Test
    void globalHeaderFieldsAreExactAndLittleEndian() throws IOException {
        Path file = dir.resolve("empty.pcap");
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.MICROSECONDS)) {
            // The header is on disk before the first frame or flush.
            assertThat(Files.size(file)).isEqualTo(PcapWriter.FILE_HEADER_LENGTH);
            assertThat(writer.snaplen()).isEqualTo(262_144);
            assertThat(writer.precision()).isEqualTo(TimestampPrecision.MICROSECONDS);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).containsExactly(
                0xd4, 0xc3, 0xb2, 0xa1, // magic, little-endian
                0x02, 0x00, 0x04, 0x00, // version 2.4
                0, 0, 0, 0, // thiszone
                0, 0, 0, 0, // sigfigs
                0x00, 0x00, 0x04, 0x00, // snaplen 262144
                0x01, 0x00, 0x00, 0x00); // linktype 1
    }

    @Test
    void nanosecondMagic() throws IOException {
        Path file = dir.resolve("ns.pcap");
        PcapWriter.open(file, TimestampPrecision.NANOSECONDS, 128, 4096).close();
        PcapFile pcap = PcapFile.read(file);
        assertThat(pcap.magic()).isEqualTo(0xa1b23c4dL);
        assertThat(pcap.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(pcap.snaplen()).isEqualTo(128);
        assertThat(pcap.records()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TimestampPrecision.class)
    void recordsRoundTrip(TimestampPrecision precision) throws IOException {
        Path file = dir.resolve(precision + ".pcap");
        byte[] small = frame(60, 1);
        byte[] large = frame(1514, 2);
        byte[] exact = frame(100, 3);
        try (PcapWriter writer = PcapWriter.open(file, precision, 100, PcapWriter.DEFAULT_BUFFER_CAPACITY)) {
            writer.write(ByteBuffer.wrap(small), 0, small.length, T0);
            writer.write(ByteBuffer.wrap(large), 0, large.length, T0 + 1_000_000_000L);
            writer.write(ByteBuffer.wrap(exact), 0, exact.length, 999);
            assertThat(writer.framesWritten()).isEqualTo(3);
        }
        PcapFile pcap = PcapFile.read(file);
        assertThat(pcap.magic()).isEqualTo(Integer.toUnsignedLong(precision.magic()));
        assertThat(pcap.versionMajor()).isEqualTo(2);
        assertThat(pcap.versionMinor()).isEqualTo(4);
        assertThat(pcap.thiszone()).isZero();
        assertThat(pcap.sigfigs()).isZero();
        assertThat(pcap.snaplen()).isEqualTo(100);
        assertThat(pcap.linktype()).isEqualTo(1);
        assertThat(pcap.records()).hasSize(3);

        boolean micros = precision == TimestampPrecision.MICROSECONDS;
        PcapFile.Record r0 = pcap.records().get(0);
        assertThat(r0.seconds()).isEqualTo(1_700_000_000L);
        assertThat(r0.subsecond()).isEqualTo(micros ? 123_456 : 123_456_789);
        assertThat(r0.includedLength()).isEqualTo(60);
        assertThat(r0.originalLength()).isEqualTo(60);
        assertThat(r0.data()).isEqualTo(small);

        PcapFile.Record r1 = pcap.records().get(1);
        assertThat(r1.seconds()).isEqualTo(1_700_000_001L);
        assertThat(r1.includedLength()).as("capped at snaplen").isEqualTo(100);
        assertThat(r1.originalLength()).isEqualTo(1514);
        assertThat(r1.data()).isEqualTo(Arrays.copyOf(large, 100));

        PcapFile.Record r2 = pcap.records().get(2);
        assertThat(r2.seconds()).isZero();
        assertThat(r2.subsecond()).isEqualTo(micros ? 0 : 999);
        assertThat(r2.includedLength()).isEqualTo(100);
        assertThat(r2.originalLength()).isEqualTo(100);
    }

    @Test
    void framesAreBatchedUntilFlush() throws IOException {
        Path file = dir.resolve("batched.pcap");
        byte[] f = frame(64, 9);
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.NANOSECONDS)) {
            for (int i = 0; i < 10; i++) {
                writer.write(ByteBuffer.wrap(f), 0, f.length, T0 + i);
            }
            assertThat(Files.size(file)).as("still in the buffer").isEqualTo(24);
            writer.flush();
            assertThat(Files.size(file)).isEqualTo(24 + 10 * (16 + 64));
            writer.write(ByteBuffer.wrap(f), 0, f.length, T0);
        }
        assertThat(Files.size(file)).as("close flushes").isEqualTo(24 + 11 * (16 + 64));
    }

    @Test
    void aFullBufferIsWrittenBeforeTheRecordThatDoesNotFit() throws IOException {
        Path file = dir.resolve("full.pcap");
        byte[] f = frame(40, 4); // 56-byte records
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.MICROSECONDS, 65535, 128)) {
            writer.write(ByteBuffer.wrap(f), 0, f.length, T0);
            writer.write(ByteBuffer.wrap(f), 0, f.length, T0);
            assertThat(Files.size(file)).isEqualTo(24);
            writer.write(ByteBuffer.wrap(f), 0, f.length, T0);
            assertThat(Files.size(file)).isEqualTo(24 + 2 * 56);
        }
        assertThat(PcapFile.read(file).records()).hasSize(3).allSatisfy(r -> assertThat(r.data()).isEqualTo(f));
    }

    @Test
    void framesLargerThanTheBufferGoThroughInChunks() throws IOException {
        Path file = dir.resolve("chunks.pcap");
        byte[] jumbo = frame(9000, 5);
        byte[] small = frame(60, 6);
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.NANOSECONDS, 262_144, 64)) {
            writer.write(ByteBuffer.wrap(small), 0, small.length, T0);
            writer.write(ByteBuffer.wrap(jumbo), 0, jumbo.length, T0 + 1);
            writer.write(ByteBuffer.wrap(small), 0, small.length, T0 + 2);
        }
        PcapFile pcap = PcapFile.read(file);
        assertThat(pcap.records()).extracting(PcapFile.Record::data).containsExactly(small, jumbo, small);
    }

    @Test
    void readsTheFrameAtItsOffsetWithoutMovingTheCallersBuffer() throws IOException {
        Path file = dir.resolve("offset.pcap");
        byte[] f = frame(70, 7);
        ByteBuffer direct = ByteBuffer.allocateDirect(200).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(33, f);
        direct.position(5).limit(150);
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.MICROSECONDS)) {
            writer.write(direct, 33, f.length, T0);
        }
        assertThat(direct.position()).isEqualTo(5);
        assertThat(direct.limit()).isEqualTo(150);
        assertThat(PcapFile.read(file).records().get(0).data()).isEqualTo(f);
    }

    @Test
    void writesToAnyChannel() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        WritableByteChannel channel = Channels.newChannel(sink);
        byte[] f = frame(60, 8);
        try (PcapWriter writer = PcapWriter.to(channel, TimestampPrecision.NANOSECONDS, 65535, 1024)) {
            writer.write(ByteBuffer.wrap(f), 0, f.length, T0);
        }
        assertThat(channel.isOpen()).as("the writer owns and closes the channel").isFalse();
        PcapFile pcap = PcapFile.parse(sink.toByteArray());
        assertThat(pcap.records()).singleElement().satisfies(r -> assertThat(r.data()).isEqualTo(f));
    }

    @Test
    void reopeningTruncates() throws IOException {
        Path file = dir.resolve("again.pcap");
        byte[] f = frame(60, 1);
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.MICROSECONDS)) {
            writer.write(ByteBuffer.wrap(f), 0, f.length, T0);
        }
        PcapWriter.open(file, TimestampPrecision.MICROSECONDS).close();
        assertThat(PcapFile.read(file).records()).isEmpty();
    }

    @Test
    void closedWriterRefusesWritesAndClosesOnce() throws IOException {
        PcapWriter writer = PcapWriter.open(dir.resolve("closed.pcap"), TimestampPrecision.MICROSECONDS);
        writer.close();
        writer.close();
        assertThat(writer.isClosed()).isTrue();
        byte[] f = frame(60, 1);
        assertThatThrownBy(() -> writer.write(ByteBuffer.wrap(f), 0, 60, T0))
                .isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(writer::flush).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void argumentsAreChecked() throws IOException {
        Path file = dir.resolve("args.pcap");
        assertThatThrownBy(() -> PcapWriter.open(file, TimestampPrecision.MICROSECONDS, 0, 4096))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snaplen 0");
        assertThatThrownBy(() -> PcapWriter.open(file, TimestampPrecision.MICROSECONDS, 262_145, 4096))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snaplen 262145");
        assertThatThrownBy(() -> PcapWriter.open(file, TimestampPrecision.MICROSECONDS, 100, 63))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buffer capacity 63");
        assertThat(file).doesNotExist();
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.MICROSECONDS)) {
            assertThatThrownBy(() -> writer.write(ByteBuffer.allocate(10), 5, 6, T0))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(writer.framesWritten()).isZero();
        }
    }

    @Test
    void subsecondTruncatesTowardsTheSecond() {
        assertThat(TimestampPrecision.MICROSECONDS.subsecond(999_999_999)).isEqualTo(999_999);
        assertThat(TimestampPrecision.NANOSECONDS.subsecond(999_999_999)).isEqualTo(999_999_999);
    }

    /** A frame of {@code length} bytes: broadcast destination, a source MAC ending in {@code id}, then a count. */
    static byte[] frame(int length, int id) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i * 7 + id);
        }
        Arrays.fill(f, 0, 6, (byte) 0xFF);
        byte[] src = {0x02, 0x69, 0x6f, 0, 0, (byte) id};
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5; // local experimental EtherType
        return f;
    }
}
