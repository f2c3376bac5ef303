package dev.iov.ethernet.switching;

import static dev.iov.ethernet.switching.SwitchFrames.BROADCAST;
import static dev.iov.ethernet.switching.SwitchFrames.mac;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.frame.Allocations;
import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.junit.jupiter.api.Test;

/** The forwarding path allocates nothing per frame: learning, unicast, flooding, every tag edit, mirroring. */
class SwitchAllocationTest {

    @Test
    void forwardingAllocatesNothing() throws Exception {
        long[] consumed = new long[1];
        SoftwareSwitch sw = new SoftwareSwitch(8, (port, buf, off, len) -> consumed[0] += len);
        sw.addPort(0, PortConfig.access(10));
        sw.addPort(1, PortConfig.access(10));
        sw.addPort(2, PortConfig.trunk(VlanSet.of(10, 20)));
        sw.addPort(3, PortConfig.builder(VlanMode.DOT1Q_TUNNEL).tag(20).build());
        sw.addPort(4, PortConfig.builder(VlanMode.NATIVE_UNTAGGED).tag(10).trunks(VlanSet.of(20)).policing(
                Integer.MAX_VALUE, PortConfig.MAX_BURST_KBIT).build());
        sw.addPort(5, PortConfig.access(20));
        WritableByteChannel sinkChannel = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) {
                int n = src.remaining();
                src.position(src.limit());
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        PcapWriter pcap = PcapWriter.to(sinkChannel, TimestampPrecision.NANOSECONDS, PcapWriter.DEFAULT_SNAPLEN,
                PcapWriter.DEFAULT_BUFFER_CAPACITY);
        sw.addMirror(MirrorConfig.builder("m").sourcePorts(2).outputPcap(pcap).build());
        sw.addMirror(MirrorConfig.builder("n").destinationPorts(0).outputPort(6).build());
        sw.addPort(6, PortConfig.access(30));

        SwitchBatch batch = new SwitchBatch(32);
        ByteBuffer[] frames = new ByteBuffer[32];
        int[] ports = new int[32];
        for (int i = 0; i < 32; i++) {
            int port = i % 6;
            long dst = i % 4 == 0 ? BROADCAST : mac((i + 3) % 12);
            byte[] f = port == 2 ? SwitchFrames.tagged(dst, mac(i % 12), i % 3 == 0 ? 20 : 10)
                    : SwitchFrames.untagged(dst, mac(i % 12));
            ByteBuffer b = ByteBuffer.allocateDirect(f.length + 64);
            b.put(64, f);
            frames[i] = b;
            ports[i] = port;
        }
        long[] now = {0};
        Allocations.Body loop = () -> {
            for (int round = 0; round < 20_000; round++) {
                batch.clear();
                for (int i = 0; i < 32; i++) {
                    batch.add(ports[i], frames[i], 64, frames[i].limit() - 64);
                }
                now[0] += 1_000;
                sw.process(batch, now[0]);
            }
        };
        long bytes = Allocations.measure(loop);
        assertThat(consumed[0]).isPositive();
        assertThat(sw.counters(2).txPackets()).isPositive();
        assertThat(pcap.framesWritten()).isPositive();
        // 640 000 frames: anything per frame would be megabytes.
        assertThat(bytes).isLessThan(4096);
    }
}
