package dev.iov.ethernet.frame;

import static dev.iov.ethernet.frame.TestFrames.bytes;
import static dev.iov.ethernet.frame.TestFrames.ethernet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.TestFrames.Ext;
import dev.iov.ethernet.frame.TestFrames.Tag;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-frame path allocates nothing: parse, push, rewrite and pop over a mix of frames, many times. */
class FrameAllocationTest {

    private static final int ROUNDS = 50_000;
    private static final int HEADROOM = 64;

    @Test
    void parsingAndTagEditingAllocateNothingPerFrame() throws Exception {
        byte[][] frames = {
            ethernet(1, 2, EtherTypes.IPV4, TestFrames.ipv4(1, 2, IpProtocols.TCP, 2, 0,
                    TestFrames.tcp(1, 2, bytes(10)))),
            ethernet(1, 2, List.of(new Tag(EtherTypes.QINQ_8021AD, 1, 0, 10), new Tag(EtherTypes.VLAN_8021Q, 0, 0,
                    20)), EtherTypes.IPV6, TestFrames.ipv6(new byte[16], new byte[16],
                    List.of(Ext.options(IpProtocols.HOP_BY_HOP, 1), Ext.fragment(0, true), Ext.ah(4)),
                    IpProtocols.UDP, TestFrames.udp(3, 4, bytes(20)))),
            ethernet(1, 2, EtherTypes.ARP, bytes(28)),
            new byte[10],
        };
        ByteBuffer buf = ByteBuffer.allocateDirect(frames.length * 2048);
        int[] offsets = new int[frames.length];
        for (int i = 0; i < frames.length; i++) {
            offsets[i] = i * 2048 + HEADROOM;
            buf.put(offsets[i], frames[i]);
        }
        FrameParser parser = new FrameParser();
        ParsedFrame parsed = new ParsedFrame();
        EthernetFrame frame = new EthernetFrame();
        long[] counts = new long[FrameStatus.COUNT];
        long[] sink = new long[1];

        long allocated = Allocations.measure(() -> {
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < frames.length; i++) {
                    counts[parser.parse(buf, offsets[i], frames[i].length, parsed)]++;
                    sink[0] += parsed.sourcePort() + parsed.destination() + parsed.ipv6SourceLow();
                    frame.wrap(buf, offsets[i], frames[i].length);
                    if (frame.pushTag(EtherTypes.VLAN_8021Q, round & 0xFFF, 0) == FrameStatus.OK) {
                        frame.rewriteOuterVid(7);
                        frame.popTag();
                    }
                }
            }
        });

        assertThat(counts[FrameStatus.OK]).isEqualTo(2L * 3 * ROUNDS);
        assertThat(counts[FrameStatus.TOO_SHORT]).isEqualTo(2L * ROUNDS);
        assertThat(allocated).as("bytes allocated for %d frames", ROUNDS * frames.length)
                .isLessThan(ROUNDS * frames.length / 100);
        assertThat(sink[0]).isNotZero();
    }
}
