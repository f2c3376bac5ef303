package dev.iov.ethernet.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.frame.Allocations;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing frames, including the batched file writes and a snaplen cut, allocates nothing per frame. */
class PcapWriterAllocationTest {

    private static final int FRAMES = 50_000;

    @TempDir
    Path dir;

    @Test
    void writingFramesAllocatesNothingPerFrame() throws Exception {
        ByteBuffer ring = ByteBuffer.allocateDirect(4096);
        ring.put(128, PcapWriterTest.frame(60, 1));
        ring.put(1024, PcapWriterTest.frame(1514, 2));
        Path file = dir.resolve("alloc.pcap");
        try (PcapWriter writer = PcapWriter.open(file, TimestampPrecision.NANOSECONDS, 1000, 64 * 1024)) {
            long[] now = {1_700_000_000_000_000_000L};
            long allocated = Allocations.measure(() -> {
                for (int i = 0; i < FRAMES; i++) {
                    writer.write(ring, 128, 60, now[0]++);
                    writer.write(ring, 1024, 1514, now[0]++);
                }
            });
            assertThat(allocated).as("bytes allocated for %d frames (%d file writes)", 2 * FRAMES,
                    2L * FRAMES * (16 + 60 + 16 + 1000) / (64 * 1024)).isLessThan(FRAMES / 50);
            assertThat(writer.framesWritten()).isEqualTo(4L * FRAMES);
        }
        assertThat(Files.size(file)).isEqualTo(24 + 2L * FRAMES * (16 + 60 + 16 + 1000));
    }
}
