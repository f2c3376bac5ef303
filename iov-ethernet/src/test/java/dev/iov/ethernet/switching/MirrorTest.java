package dev.iov.ethernet.switching;

import static dev.iov.ethernet.switching.SwitchFrames.BROADCAST;
import static dev.iov.ethernet.switching.SwitchFrames.mac;
import static dev.iov.ethernet.switching.SwitchFrames.tagged;
import static dev.iov.ethernet.switching.SwitchFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorTest {
    private static final long A = mac(0xA);
    private static final long B = mac(0xB);

    private final EmbeddedSwitch sw = new EmbeddedSwitch(8);

    private void fourPorts() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(10))
                .addPort(7, PortConfig.access(99));
    }

    @Test
    void sourcePortMirrorCopiesReceivedFramesOnceToItsOutputPort() {
        fourPorts();
        sw.switchUnderTest().addMirror(MirrorConfig.builder("m").sourcePorts(0).outputPort(7).build());
        byte[] f = untagged(BROADCAST, A);
        sw.send(0, f).send(1, untagged(BROADCAST, B));
        assertThat(sw.drainOutbound(7)).containsExactly(f);
        assertThat(sw.counters(7).txPackets()).isEqualTo(1);
    }

    @Test
    void destinationPortMirrorCopiesFramesSentToThePort() {
        fourPorts();
        sw.switchUnderTest().addMirror(MirrorConfig.builder("m").destinationPorts(2).outputPort(7).build());
        sw.send(2, untagged(BROADCAST, B));
        sw.clearOutbound();
        byte[] toB = untagged(B, A);
        sw.send(0, toB).send(2, untagged(A, B));
        assertThat(sw.drainOutbound(7)).containsExactly(toB);
    }

    @Test
    void outputPortIsReservedAndVlanFilterApplies() {
        sw.addPort(0, PortConfig.trunk(VlanSet.of(10, 20))).addPort(1, PortConfig.trunk(VlanSet.of(10, 20)))
                .addPort(7, PortConfig.trunk(VlanSet.of(10, 20)));
        int id = sw.switchUnderTest().addMirror(MirrorConfig.builder("m").selectAll().vlans(VlanSet.of(20))
                .outputPort(7).build());
        sw.send(0, tagged(BROADCAST, A, 10));
        assertThat(sw.outboundCount(7)).isZero();
        byte[] f = tagged(BROADCAST, A, 20);
        sw.send(0, f);
        assertThat(sw.drainOutbound(7)).containsExactly(f);
        sw.send(7, tagged(BROADCAST, B, 20));
        assertThat(sw.counters(7).drops(DropReason.MIRROR_PORT)).isEqualTo(1);
        assertThatThrownBy(() -> sw.switchUnderTest().removePort(7)).isInstanceOf(IllegalStateException.class);

        assertThat(sw.switchUnderTest().removeMirror(id)).isNotNull();
        assertThat(sw.switchUnderTest().removeMirror(id)).isNull();
        sw.clearOutbound();
        sw.send(0, tagged(BROADCAST, A, 10));
        assertThat(sw.outboundCount(7)).isEqualTo(1);
    }

    @Test
    void atMost32Mirrors() {
        fourPorts();
        for (int i = 0; i < SoftwareSwitch.MAX_MIRRORS; i++) {
            sw.switchUnderTest().addMirror(MirrorConfig.builder("m" + i).sourcePorts(0).outputPort(7).build());
        }
        assertThatThrownBy(() -> sw.switchUnderTest().addMirror(
                MirrorConfig.builder("x").sourcePorts(0).outputPort(7).build()))
                .isInstanceOf(IllegalStateException.class);
        sw.send(0, untagged(BROADCAST, A));
        assertThat(sw.outboundCount(7)).isEqualTo(32);
    }

    @Test
    void configValidation() {
        assertThatThrownBy(() -> MirrorConfig.builder("m").sourcePorts(1).build()).hasMessageContaining("output");
        assertThatThrownBy(() -> MirrorConfig.builder("m").outputPort(1).build()).hasMessageContaining("selects");
        assertThatThrownBy(() -> MirrorConfig.builder("m").selectAll().outputPort(1).vlans(VlanSet.none()).build())
                .hasMessageContaining("VLAN");
        fourPorts();
        assertThatThrownBy(() -> sw.switchUnderTest().addMirror(
                MirrorConfig.builder("m").sourcePorts(9).outputPort(7).build())).hasMessageContaining("9");
    }

    @Test
    void mirrorToPcapWritesEverySelectedFrame(@TempDir Path dir) throws Exception {
        fourPorts();
        Path file = dir.resolve("mirror.pcap");
        List<byte[]> sent = new ArrayList<>();
        try (PcapWriter pcap = PcapWriter.open(file, TimestampPrecision.NANOSECONDS)) {
            sw.switchUnderTest().addMirror(MirrorConfig.builder("p").sourcePorts(0, 1).outputPcap(pcap).build());
            for (int i = 0; i < 5; i++) {
                byte[] f = untagged(BROADCAST, mac(100 + i));
                sent.add(f);
                sw.advanceNanos(1_000);
                sw.send(i % 2, f);
            }
            sw.send(2, untagged(BROADCAST, B));
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xa1b23c4d);
        assertThat(b.getInt(20)).isEqualTo(PcapWriter.LINKTYPE_ETHERNET);
        int at = PcapWriter.FILE_HEADER_LENGTH;
        List<byte[]> records = new ArrayList<>();
        long lastNanos = -1;
        while (at < bytes.length) {
            long nanos = (b.getInt(at) & 0xffffffffL) * 1_000_000_000L + b.getInt(at + 4);
            assertThat(nanos).isGreaterThan(lastNanos);
            lastNanos = nanos;
            int incl = b.getInt(at + 8);
            records.add(Arrays.copyOfRange(bytes, at + 16, at + 16 + incl));
            at += 16 + incl;
        }
        assertThat(records).containsExactlyElementsOf(sent);
        assertThat(sw.switchUnderTest().mirrorErrors()).isZero();
    }

    @Test
    void pcapErrorsAreCountedNotThrown(@TempDir Path dir) throws Exception {
        fourPorts();
        PcapWriter pcap = PcapWriter.open(dir.resolve("closed.pcap"), TimestampPrecision.MICROSECONDS);
        pcap.close();
        sw.switchUnderTest().addMirror(MirrorConfig.builder("p").sourcePorts(0).outputPcap(pcap).build());
        sw.send(0, untagged(BROADCAST, A));
        assertThat(sw.switchUnderTest().mirrorErrors()).isEqualTo(1);
        assertThat(sw.outboundCount(1)).isEqualTo(1);
    }
}
