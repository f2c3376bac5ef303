package dev.iov.ethernet.frame;

import static dev.iov.ethernet.frame.TestFrames.buffer;
import static dev.iov.ethernet.frame.TestFrames.bytes;
import static dev.iov.ethernet.frame.TestFrames.ethernet;
import static dev.iov.ethernet.frame.TestFrames.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.TestFrames.Tag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EthernetFrameTest {

    private static final long DST = MacAddress.parse("02:00:00:00:00:0b").toLong();
    private static final long SRC = MacAddress.parse("02:00:00:00:00:0a").toLong();
    private static final Tag C100 = new Tag(EtherTypes.VLAN_8021Q, 5, 0, 100);
    private static final Tag S200 = new Tag(EtherTypes.QINQ_8021AD, 3, 1, 200);

    private final EthernetFrame frame = new EthernetFrame();

    @Test
    void untaggedFrame() {
        byte[] bytes = ethernet(DST, SRC, EtherTypes.IPV4, bytes(46));
        ByteBuffer buf = buffer(bytes, 10, 5);

        assertThat(frame.wrap(buf, 10, bytes.length)).isEqualTo(FrameStatus.OK);
        assertThat(frame.isValid()).isTrue();
        assertThat(frame.destination()).isEqualTo(DST);
        assertThat(frame.source()).isEqualTo(SRC);
        assertThat(frame.etherType()).isEqualTo(EtherTypes.IPV4);
        assertThat(frame.tagCount()).isZero();
        assertThat(frame.outerTpid()).isEqualTo(EthernetFrame.NONE);
        assertThat(frame.outerVid()).isEqualTo(EthernetFrame.NONE);
        assertThat(frame.outerPcp()).isEqualTo(EthernetFrame.NONE);
        assertThat(frame.innerVid()).isEqualTo(EthernetFrame.NONE);
        assertThat(frame.payloadEtherType()).isEqualTo(EtherTypes.IPV4);
        assertThat(frame.payloadOffset()).isEqualTo(10 + 14);
        assertThat(frame.payloadLength()).isEqualTo(46);
    }

    @Test
    void macsMatchMacAddressEncoding() {
        MacAddress dst = MacAddress.parse("ff:ee:dd:cc:bb:aa");
        MacAddress src = MacAddress.parse("80:01:02:03:04:05");
        ByteBuffer buf = ByteBuffer.allocate(60);
        dst.writeTo(buf, 0);
        src.writeTo(buf, 6);
        frame.wrap(buf, 0, 60);
        assertThat(MacAddress.of(frame.destination())).isEqualTo(dst);
        assertThat(MacAddress.of(frame.source())).isEqualTo(src);
    }

    @Test
    void singleDot1qTag() {
        byte[] bytes = ethernet(DST, SRC, List.of(C100), EtherTypes.ARP, bytes(28));
        assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(FrameStatus.OK);
        assertThat(frame.etherType()).isEqualTo(EtherTypes.VLAN_8021Q);
        assertThat(frame.tagCount()).isEqualTo(1);
        assertThat(frame.outerTpid()).isEqualTo(EtherTypes.VLAN_8021Q);
        assertThat(frame.outerVid()).isEqualTo(100);
        assertThat(frame.outerPcp()).isEqualTo(5);
        assertThat(frame.outerDei()).isZero();
        assertThat(frame.outerTci()).isEqualTo((5 << 13) | 100);
        assertThat(frame.innerTpid()).isEqualTo(EthernetFrame.NONE);
        assertThat(frame.payloadEtherType()).isEqualTo(EtherTypes.ARP);
        assertThat(frame.payloadOffset()).isEqualTo(18);
    }

    @Test
    void qinqServiceTagOverCustomerTag() {
        byte[] bytes = ethernet(DST, SRC, List.of(S200, C100), EtherTypes.IPV6, bytes(40));
        assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(FrameStatus.OK);
        assertThat(frame.tagCount()).isEqualTo(2);
        assertThat(frame.outerTpid()).isEqualTo(EtherTypes.QINQ_8021AD);
        assertThat(frame.outerVid()).isEqualTo(200);
        assertThat(frame.outerPcp()).isEqualTo(3);
        assertThat(frame.outerDei()).isEqualTo(1);
        assertThat(frame.innerTpid()).isEqualTo(EtherTypes.VLAN_8021Q);
        assertThat(frame.innerVid()).isEqualTo(100);
        assertThat(frame.innerPcp()).isEqualTo(5);
        assertThat(frame.innerDei()).isZero();
        assertThat(frame.innerTci()).isEqualTo((5 << 13) | 100);
        assertThat(frame.payloadEtherType()).isEqualTo(EtherTypes.IPV6);
        assertThat(frame.payloadOffset()).isEqualTo(22);
    }

    @Test
    void stackedDot1qTags() {
        Tag outer = new Tag(EtherTypes.VLAN_8021Q, 0, 0, 4095);
        Tag inner = new Tag(EtherTypes.VLAN_8021Q, 7, 1, 0);
        byte[] bytes = ethernet(DST, SRC, List.of(outer, inner), EtherTypes.IPV4, bytes(20));
        assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(FrameStatus.OK);
        assertThat(frame.tagCount()).isEqualTo(2);
        assertThat(frame.outerVid()).isEqualTo(4095);
        assertThat(frame.innerTpid()).isEqualTo(EtherTypes.VLAN_8021Q);
        assertThat(frame.innerVid()).isZero();
        assertThat(frame.innerPcp()).isEqualTo(7);
        assertThat(frame.innerDei()).isEqualTo(1);
    }

    @Test
    void aThirdTagIsPayload() {
        byte[] bytes = ethernet(DST, SRC, List.of(S200, C100, C100), EtherTypes.IPV4, bytes(20));
        assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, bytes.length)).isEqualTo(FrameStatus.OK);
        assertThat(frame.tagCount()).isEqualTo(2);
        assertThat(frame.payloadEtherType()).isEqualTo(EtherTypes.VLAN_8021Q);
        assertThat(frame.payloadOffset()).isEqualTo(22);
    }

    @Test
    void shorterThan14BytesIsTooShortAndReadsNothing() {
        byte[] bytes = ethernet(DST, SRC, EtherTypes.IPV4, new byte[0]);
        for (int length = 0; length < 14; length++) {
            assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, length)).as("length %d", length)
                    .isEqualTo(FrameStatus.TOO_SHORT);
            assertThat(frame.isValid()).isFalse();
            assertThat(frame.destination()).isEqualTo(EthernetFrame.NONE);
            assertThat(frame.source()).isEqualTo(EthernetFrame.NONE);
            assertThat(frame.etherType()).isEqualTo(EthernetFrame.NONE);
            assertThat(frame.tagCount()).isZero();
            assertThat(frame.payloadEtherType()).isEqualTo(EthernetFrame.NONE);
            assertThat(frame.payloadOffset()).isEqualTo(EthernetFrame.NONE);
            assertThat(frame.payloadLength()).isEqualTo(EthernetFrame.NONE);
        }
        assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, 14)).isEqualTo(FrameStatus.OK);
    }

    @Test
    void truncatedTagsAtEveryLength() {
        byte[] bytes = ethernet(DST, SRC, List.of(S200, C100), EtherTypes.IPV4, new byte[0]);
        assertThat(bytes).hasSize(22);
        for (int length = 14; length < 22; length++) {
            assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, length)).as("length %d", length)
                    .isEqualTo(FrameStatus.TRUNCATED_TAG);
            assertThat(frame.tagCount()).as("complete tags at length %d", length).isEqualTo(length < 18 ? 0 : 1);
            assertThat(frame.destination()).isEqualTo(DST);
            assertThat(frame.payloadOffset()).isEqualTo(EthernetFrame.NONE);
        }
        assertThat(frame.wrap(ByteBuffer.wrap(bytes), 0, 22)).isEqualTo(FrameStatus.OK);
        assertThat(frame.payloadLength()).isZero();
    }

    @Test
    void bufferByteOrderDoesNotMatter() {
        byte[] bytes = ethernet(DST, SRC, List.of(S200, C100), EtherTypes.IPV4, bytes(30));
        ByteBuffer little = ByteBuffer.allocateDirect(bytes.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        little.put(8, bytes);
        frame.wrap(little, 8, bytes.length);
        assertThat(frame.destination()).isEqualTo(DST);
        assertThat(frame.source()).isEqualTo(SRC);
        assertThat(frame.outerTpid()).isEqualTo(EtherTypes.QINQ_8021AD);
        assertThat(frame.outerVid()).isEqualTo(200);
        assertThat(frame.innerVid()).isEqualTo(100);
        assertThat(frame.payloadEtherType()).isEqualTo(EtherTypes.IPV4);

        assertThat(frame.pushTag(EtherTypes.VLAN_8021Q, 7, 1)).isEqualTo(FrameStatus.OK);
        assertThat(slice(little, frame.offset(), frame.length())).isEqualTo(
                ethernet(DST, SRC, List.of(new Tag(EtherTypes.VLAN_8021Q, 1, 0, 7), S200, C100), EtherTypes.IPV4,
                        bytes(30)));
        assertThat(frame.rewriteOuterVid(9)).isEqualTo(FrameStatus.OK);
        assertThat(frame.outerVid()).isEqualTo(9);
        assertThat(frame.outerPcp()).isEqualTo(1);
    }

    @Test
    void wrapLeavesTheBufferCursorAlone() {
        byte[] bytes = ethernet(DST, SRC, EtherTypes.IPV4, bytes(46));
        ByteBuffer buf = buffer(bytes, 4, 0);
        buf.position(3).limit(buf.capacity() - 1);
        frame.wrap(buf, 4, bytes.length - 1);
        frame.pushTag(EtherTypes.VLAN_8021Q, 1, 0);
        assertThat(buf.position()).isEqualTo(3);
        assertThat(buf.limit()).isEqualTo(buf.capacity() - 1);
    }

    @Test
    void boundsOutsideTheBufferAreAProgrammingError() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        assertThatThrownBy(() -> frame.wrap(buf, 10, 60)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> frame.wrap(buf, -1, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> frame.wrap(buf, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        buf.limit(20);
        assertThatThrownBy(() -> frame.wrap(buf, 0, 21)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    // ---- tag editing ----

    @Test
    void pushOntoUntaggedUsesHeadroom() {
        byte[] untagged = ethernet(DST, SRC, EtherTypes.IPV4, bytes(46));
        ByteBuffer buf = buffer(untagged, 8, 4);
        frame.wrap(buf, 8, untagged.length);

        assertThat(frame.pushTag(EtherTypes.VLAN_8021Q, 100, 5)).isEqualTo(FrameStatus.OK);

        assertThat(frame.offset()).isEqualTo(4);
        assertThat(frame.length()).isEqualTo(untagged.length + 4);
        assertThat(slice(buf, 4, frame.length()))
                .isEqualTo(ethernet(DST, SRC, List.of(new Tag(EtherTypes.VLAN_8021Q, 5, 0, 100)), EtherTypes.IPV4,
                        bytes(46)));
        assertThat(frame.tagCount()).isEqualTo(1);
        assertThat(frame.outerVid()).isEqualTo(100);
        assertThat(frame.outerPcp()).isEqualTo(5);
        assertThat(frame.payloadEtherType()).isEqualTo(EtherTypes.IPV4);
        assertThat(slice(buf, 0, 4)).as("headroom left of the new start").containsOnly((byte) 0xEE);
        assertThat(slice(buf, buf.capacity() - 4, 4)).as("tailroom").containsOnly((byte) 0xEE);
    }

    @Test
    void pushServiceTagMakesQinq() {
        byte[] tagged = ethernet(DST, SRC, List.of(C100), EtherTypes.IPV6, bytes(40));
        ByteBuffer buf = buffer(tagged, 4, 0);
        frame.wrap(buf, 4, tagged.length);

        assertThat(frame.pushTag(EtherTypes.QINQ_8021AD, 200, 3)).isEqualTo(FrameStatus.OK);

        assertThat(frame.offset()).isZero();
        assertThat(slice(buf, 0, frame.length())).isEqualTo(ethernet(DST, SRC,
                List.of(new Tag(EtherTypes.QINQ_8021AD, 3, 0, 200), C100), EtherTypes.IPV6, bytes(40)));
        assertThat(frame.tagCount()).isEqualTo(2);
        assertThat(frame.outerTpid()).isEqualTo(EtherTypes.QINQ_8021AD);
        assertThat(frame.innerVid()).isEqualTo(100);
    }

    @Test
    void pushWithoutHeadroomIsRefusedAndChangesNothing() {
        byte[] untagged = ethernet(DST, SRC, EtherTypes.IPV4, bytes(46));
        for (int headroom = 0; headroom < 4; headroom++) {
            ByteBuffer buf = buffer(untagged, headroom, 100);
            byte[] before = slice(buf, 0, buf.capacity());
            frame.wrap(buf, headroom, untagged.length);
            assertThat(frame.pushTag(EtherTypes.VLAN_8021Q, 1, 0)).isEqualTo(FrameStatus.NO_HEADROOM);
            assertThat(slice(buf, 0, buf.capacity())).isEqualTo(before);
            assertThat(frame.offset()).isEqualTo(headroom);
            assertThat(frame.length()).isEqualTo(untagged.length);
        }
    }

    @Test
    void pushRejectsBadTagValues() {
        ByteBuffer buf = buffer(ethernet(DST, SRC, EtherTypes.IPV4, bytes(46)), 4, 0);
        frame.wrap(buf, 4, 60);
        assertThatThrownBy(() -> frame.pushTag(EtherTypes.IPV4, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TPID 0x800");
        assertThatThrownBy(() -> frame.pushTag(EtherTypes.VLAN_8021Q, 4096, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VID 4096");
        assertThatThrownBy(() -> frame.pushTag(EtherTypes.VLAN_8021Q, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> frame.pushTag(EtherTypes.VLAN_8021Q, 1, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PCP 8");
        assertThatThrownBy(() -> frame.rewriteOuterVid(4096)).isInstanceOf(IllegalArgumentException.class);
        assertThat(frame.offset()).isEqualTo(4);
    }

    @Test
    void editsOnAnInvalidFrameReturnItsStatus() {
        byte[] truncated = ethernet(DST, SRC, List.of(C100), EtherTypes.IPV4, new byte[0]);
        ByteBuffer buf = buffer(truncated, 8, 0);
        byte[] before = slice(buf, 0, buf.capacity());
        frame.wrap(buf, 8, 16);
        assertThat(frame.pushTag(EtherTypes.VLAN_8021Q, 1, 0)).isEqualTo(FrameStatus.TRUNCATED_TAG);
        assertThat(frame.popTag()).isEqualTo(FrameStatus.TRUNCATED_TAG);
        assertThat(frame.rewriteOuterVid(1)).isEqualTo(FrameStatus.TRUNCATED_TAG);
        frame.wrap(buf, 8, 10);
        assertThat(frame.pushTag(EtherTypes.VLAN_8021Q, 1, 0)).isEqualTo(FrameStatus.TOO_SHORT);
        assertThat(slice(buf, 0, buf.capacity())).isEqualTo(before);
    }

    @Test
    void popRemovesTheOuterTag() {
        byte[] qinq = ethernet(DST, SRC, List.of(S200, C100), EtherTypes.IPV4, bytes(30));
        ByteBuffer buf = buffer(qinq, 0, 0);
        frame.wrap(buf, 0, qinq.length);

        assertThat(frame.popTag()).isEqualTo(FrameStatus.OK);
        assertThat(frame.offset()).isEqualTo(4);
        assertThat(frame.length()).isEqualTo(qinq.length - 4);
        assertThat(slice(buf, 4, frame.length()))
                .isEqualTo(ethernet(DST, SRC, List.of(C100), EtherTypes.IPV4, bytes(30)));
        assertThat(frame.tagCount()).isEqualTo(1);
        assertThat(frame.outerTpid()).isEqualTo(EtherTypes.VLAN_8021Q);
        assertThat(frame.outerVid()).isEqualTo(100);

        assertThat(frame.popTag()).isEqualTo(FrameStatus.OK);
        assertThat(frame.offset()).isEqualTo(8);
        assertThat(slice(buf, 8, frame.length())).isEqualTo(ethernet(DST, SRC, EtherTypes.IPV4, bytes(30)));
        assertThat(frame.tagCount()).isZero();

        assertThat(frame.popTag()).isEqualTo(FrameStatus.NO_TAG);
        assertThat(frame.offset()).isEqualTo(8);
    }

    @Test
    void popLeavesTheRemainderReparsed() {
        // Three tags in 22 bytes: after the pop only a truncated second tag remains.
        byte[] bytes = ethernet(DST, SRC, List.of(S200, C100), EtherTypes.VLAN_8021Q, new byte[0]);
        frame.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
        assertThat(frame.popTag()).isEqualTo(FrameStatus.OK);
        assertThat(frame.status()).isEqualTo(FrameStatus.TRUNCATED_TAG);
        assertThat(frame.tagCount()).isEqualTo(1);
    }

    @Test
    void rewriteOuterVidKeepsPriorityAndDei() {
        byte[] qinq = ethernet(DST, SRC, List.of(S200, C100), EtherTypes.IPV4, bytes(30));
        ByteBuffer buf = ByteBuffer.wrap(qinq);
        frame.wrap(buf, 0, qinq.length);

        assertThat(frame.rewriteOuterVid(4000)).isEqualTo(FrameStatus.OK);
        assertThat(frame.outerVid()).isEqualTo(4000);
        assertThat(frame.outerPcp()).isEqualTo(3);
        assertThat(frame.outerDei()).isEqualTo(1);
        assertThat(frame.innerVid()).isEqualTo(100);
        assertThat(qinq).isEqualTo(ethernet(DST, SRC, List.of(new Tag(EtherTypes.QINQ_8021AD, 3, 1, 4000), C100),
                EtherTypes.IPV4, bytes(30)));

        byte[] untagged = ethernet(DST, SRC, EtherTypes.IPV4, bytes(46));
        frame.wrap(ByteBuffer.wrap(untagged), 0, untagged.length);
        assertThat(frame.rewriteOuterVid(5)).isEqualTo(FrameStatus.NO_TAG);
        assertThat(untagged).isEqualTo(ethernet(DST, SRC, EtherTypes.IPV4, bytes(46)));
    }

    @Test
    void pushThenPopRestoresTheFrame() {
        byte[] original = ethernet(DST, SRC, List.of(C100), EtherTypes.IPV4, bytes(50));
        ByteBuffer buf = buffer(original, 16, 16);
        frame.wrap(buf, 16, original.length);
        for (int i = 0; i < 3; i++) {
            assertThat(frame.pushTag(EtherTypes.QINQ_8021AD, 10 + i, i)).isEqualTo(FrameStatus.OK);
        }
        assertThat(frame.offset()).isEqualTo(4);
        assertThat(frame.tagCount()).as("only two are parsed").isEqualTo(2);
        assertThat(frame.outerVid()).isEqualTo(12);
        for (int i = 0; i < 3; i++) {
            assertThat(frame.popTag()).isEqualTo(FrameStatus.OK);
        }
        assertThat(frame.offset()).isEqualTo(16);
        assertThat(frame.length()).isEqualTo(original.length);
        assertThat(slice(buf, 16, original.length)).isEqualTo(original);
        assertThat(frame.outerVid()).isEqualTo(100);
    }

    @Test
    void editsOnAReadOnlyBufferFailBeforeChangingAnything() {
        byte[] untagged = ethernet(DST, SRC, EtherTypes.IPV4, bytes(46));
        ByteBuffer ro = buffer(untagged, 4, 0).asReadOnlyBuffer();
        frame.wrap(ro, 4, untagged.length);
        assertThatThrownBy(() -> frame.pushTag(EtherTypes.VLAN_8021Q, 1, 0))
                .isInstanceOf(ReadOnlyBufferException.class);
        assertThat(frame.offset()).isEqualTo(4);
        assertThat(frame.destination()).isEqualTo(DST);
    }
}
