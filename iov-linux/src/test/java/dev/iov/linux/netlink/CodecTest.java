package dev.iov.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CodecTest {

    private final NetlinkMessageWriter writer = new NetlinkMessageWriter();

    @Test
    void headersAreInHostOrderWhateverTheBufferOrder() {
        ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
        new NlMsgHdr().wrap(buffer, 0).length(0x11223344).type(16).flags(0x605).sequence(7).portId(-2);
        new IfInfoMsg().wrap(buffer, 16).family(10).type(1).index(3).flags(1).change(1);

        ByteBuffer host = buffer.duplicate().order(ByteOrder.nativeOrder());
        assertThat(buffer.order()).as("the caller's buffer order is left alone").isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(host.getInt(0)).isEqualTo(0x11223344);
        assertThat(host.getShort(4)).isEqualTo((short) 16);
        assertThat(host.getShort(6)).isEqualTo((short) 0x605);
        assertThat(host.getInt(8)).isEqualTo(7);
        assertThat(host.getInt(12)).isEqualTo(-2);
        assertThat(host.get(16)).isEqualTo((byte) 10);
        assertThat(host.getShort(18)).isEqualTo((short) 1);
        assertThat(host.getInt(20)).isEqualTo(3);
        NlMsgHdr read = new NlMsgHdr().wrap(buffer, 0);
        assertThat(read.flags()).isEqualTo(0x605);
        assertThat(Integer.toUnsignedLong(read.portId())).isEqualTo(0xffff_fffeL);
    }

    @Test
    void ifaddrmsgAndNlmsgerrFields() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        IfAddrMsg addr = new IfAddrMsg().wrap(buffer, 4).family(2).prefixLength(24).flags(0x80).scope(254).index(9);
        assertThat(new byte[] {buffer.get(4), buffer.get(5), buffer.get(6), buffer.get(7)})
                .containsExactly(2, 24, (byte) 0x80, (byte) 254);
        assertThat(addr.index()).isEqualTo(9);
        assertThat(addr.scope()).isEqualTo(254);

        NlMsgErr err = new NlMsgErr().wrap(buffer, 20).error(-95);
        err.request().type(16).sequence(5);
        assertThat(err.error()).isEqualTo(-95);
        assertThat(new NlMsgHdr().wrap(buffer, 24).sequence()).isEqualTo(5);
    }

    @Test
    void attributesArePaddedWithZerosAndNestsCoverTheirPaddedContents() {
        ByteBuffer buffer = junk(128);
        writer.begin(buffer, NetlinkConstants.RTM_NEWLINK, NetlinkConstants.NLM_F_REQUEST);
        int nest = writer.beginNested(NetlinkConstants.IFLA_LINKINFO);
        writer.putString(NetlinkConstants.IFLA_INFO_KIND, "veth");   // 8 bytes, no padding
        writer.putU8(7, 1);                                          // 5 bytes + 3 padding
        writer.endNested(nest);
        writer.putCString(NetlinkConstants.IFLA_IFNAME, "ab");       // 7 bytes + 1 padding
        int length = writer.finish();

        assertThat(length).isEqualTo(16 + 4 + 8 + 8 + 8);
        assertThat(hex(buffer)).isEqualTo(
                "2c000000" + "10000100" + "00000000" + "00000000"
                        + "14001200" + "08000100" + "76657468" + "05000700" + "01000000"
                        + "07000300" + "61620000");
    }

    @Test
    void nestedFlagOnlyWhenAsked() {
        ByteBuffer buffer = junk(64);
        writer.begin(buffer, 16, 1);
        writer.endNested(writer.beginNested(22));
        writer.endNested(writer.beginNested(26, true));
        writer.finish();

        AttributeReader attrs = new AttributeReader().wrap(buffer, 16, buffer.limit());
        assertThat(attrs.next()).isTrue();
        assertThat(attrs.rawType()).isEqualTo(22);
        assertThat(attrs.isNestedFlagSet()).isFalse();
        assertThat(attrs.next()).isTrue();
        assertThat(attrs.rawType()).isEqualTo(26 | NetlinkConstants.NLA_F_NESTED);
        assertThat(attrs.type()).isEqualTo(26);
        assertThat(attrs.isNestedFlagSet()).isTrue();
        assertThat(attrs.payloadLength()).isZero();
    }

    @Test
    void structureAttributesAndTypedGettersRoundTrip() {
        ByteBuffer buffer = junk(256);
        writer.begin(buffer, 16, 1);
        int at = writer.beginAttribute(NetlinkConstants.IFLA_VF_MAC);
        writer.appendU32(3).appendMac(MacAddress.parse("02:00:00:00:00:01"), 32);
        writer.endAttribute(at);
        writer.putU16(1, 0xBEEF).putBe16(2, 4789).putU32(3, -1).putU64(4, Long.MIN_VALUE + 5)
                .putMac(5, MacAddress.parse("0a:0b:0c:0d:0e:0f")).putCString(6, "iov-ä");
        writer.finish();

        AttributeReader attrs = new AttributeReader().wrap(buffer, 16, buffer.limit());
        attrs.next();
        assertThat(attrs.length()).isEqualTo(40);
        assertThat(attrs.s32At(0)).isEqualTo(3);
        assertThat(buffer.get(attrs.payloadOffset() + 4)).isEqualTo((byte) 2);
        assertThat(buffer.get(attrs.payloadOffset() + 39 - 4)).isZero();
        attrs.next();
        assertThat(attrs.u16()).isEqualTo(0xBEEF);
        attrs.next();
        assertThat(attrs.be16()).isEqualTo(4789);
        assertThat(buffer.get(attrs.payloadOffset())).isEqualTo((byte) 0x12);
        attrs.next();
        assertThat(attrs.u32()).isEqualTo(0xffff_ffffL);
        assertThat(attrs.s32()).isEqualTo(-1);
        attrs.next();
        assertThat(attrs.u64()).isEqualTo(Long.MIN_VALUE + 5);
        attrs.next();
        assertThat(attrs.macAddress()).isEqualTo(MacAddress.parse("0a:0b:0c:0d:0e:0f"));
        attrs.next();
        assertThat(attrs.string()).isEqualTo("iov-ä");
        assertThat(attrs.next()).isFalse();
    }

    @Test
    void writingPastTheLimitOverflows() {
        ByteBuffer buffer = ByteBuffer.allocate(24);
        writer.begin(buffer, 16, 1);
        assertThatThrownBy(() -> writer.putCString(3, "too-long-name")).isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void messageLengthBelowTheHeaderIsReportedWithItsOffset() {
        ByteBuffer buffer = ByteBuffer.allocate(48);
        message(buffer, 0, 20);
        new NlMsgHdr().wrap(buffer, 20).length(8);
        MessageReader reader = new MessageReader().wrap(buffer, 0, 40);

        assertThat(reader.next()).isTrue();
        assertThatThrownBy(reader::next).isInstanceOf(NetlinkDecodeException.class)
                .hasMessage("nlmsg_len 8 below 16 at offset 20")
                .satisfies(e -> assertThat(((NetlinkDecodeException) e).offset()).isEqualTo(20));
    }

    @Test
    void messageRunningPastTheEndIsReported() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        message(buffer, 0, 60);
        assertThatThrownBy(() -> new MessageReader().wrap(buffer, 0, 40).next())
                .isInstanceOf(NetlinkDecodeException.class)
                .hasMessage("nlmsg_len 60 runs past the end (40 bytes left) at offset 0");
    }

    @Test
    void trailingBytesShorterThanAHeaderAreReported() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        message(buffer, 0, 16);
        MessageReader reader = new MessageReader().wrap(buffer, 0, 24);
        reader.next();
        assertThatThrownBy(reader::next).hasMessage("truncated netlink header (8 bytes left) at offset 16");
    }

    @Test
    void anUnpaddedLastMessageIsFine() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        message(buffer, 0, 21);
        MessageReader reader = new MessageReader().wrap(buffer, 0, 21);
        assertThat(reader.next()).isTrue();
        assertThat(reader.payloadLength()).isEqualTo(5);
        assertThat(reader.next()).isFalse();
    }

    @Test
    void attributeLengthsAreChecked() {
        ByteBuffer buffer = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        buffer.putShort(0, (short) 2).putShort(2, (short) 1);
        assertThatThrownBy(() -> new AttributeReader().wrap(buffer, 0, 8).next())
                .isInstanceOf(NetlinkDecodeException.class).hasMessage("attribute length 2 below 4 at offset 0");

        buffer.putShort(0, (short) 8).putShort(8, (short) 12);
        AttributeReader reader = new AttributeReader().wrap(buffer, 0, 16);
        assertThat(reader.next()).isTrue();
        assertThatThrownBy(reader::next)
                .hasMessage("attribute length 12 runs past the end (8 bytes left) at offset 8");

        AttributeReader header = new AttributeReader().wrap(buffer, 0, 10);
        header.next();
        assertThatThrownBy(header::next).hasMessage("truncated attribute header (2 bytes left) at offset 8");
    }

    @Test
    void gettersCheckThePayloadLength() {
        ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        buffer.putShort(0, (short) 6).putShort(2, (short) 4);
        AttributeReader attrs = new AttributeReader().wrap(buffer, 0, 8);
        attrs.next();
        assertThat(attrs.u16()).isZero();
        assertThatThrownBy(attrs::u32).hasMessage("attribute type 4 has 2 payload bytes, needs 4 at offset 0");
        assertThatThrownBy(attrs::u64).isInstanceOf(NetlinkDecodeException.class);
        assertThatThrownBy(attrs::macAddress).isInstanceOf(NetlinkDecodeException.class);
        assertThatThrownBy(attrs::inetAddress).isInstanceOf(NetlinkDecodeException.class);
        assertThatThrownBy(() -> attrs.s32At(4)).isInstanceOf(NetlinkDecodeException.class);
    }

    @Test
    void regionsOutsideTheBufferAreRejected() {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        assertThatThrownBy(() -> new AttributeReader().wrap(buffer, 8, 20))
                .isInstanceOf(NetlinkDecodeException.class);
        assertThatThrownBy(() -> new MessageReader().wrap(buffer, -1, 4)).isInstanceOf(NetlinkDecodeException.class);
    }

    private static void message(ByteBuffer buffer, int offset, int length) {
        new NlMsgHdr().wrap(buffer, offset).length(length).type(16);
    }

    private static ByteBuffer junk(int size) {
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            buffer.put((byte) 0xEE);
        }
        return buffer.clear();
    }

    private static String hex(ByteBuffer message) {
        StringBuilder text = new StringBuilder();
        for (int i = message.position(); i < message.limit(); i++) {
            text.append(String.format("%02x", message.get(i)));
        }
        return text.toString();
    }
}
