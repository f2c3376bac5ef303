package dev.iov.ethernet.switching;

import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.EthernetFrame;
import dev.iov.ethernet.frame.FrameStatus;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds and inspects the explicit frames the switch tests send. */
final class SwitchFrames {
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    static final long MULTICAST = 0x0100_5E00_0001L;
    static final int Q = EtherTypes.VLAN_8021Q;
    static final int AD = EtherTypes.QINQ_8021AD;
    /** Payload after the tags: an IPv4 EtherType and 46 pattern bytes (a 60-byte frame when untagged). */
    static final int PAYLOAD = 46;

    private SwitchFrames() {
    }

    /** @return a locally administered unicast MAC numbered {@code n} */
    static long mac(int n) {
        return 0x0200_0000_0000L | n;
    }

    /** @return an untagged frame */
    static byte[] untagged(long dst, long src) {
        return frame(dst, src);
    }

    /** @return a frame with the given tags, outermost first: pairs of TPID and TCI */
    static byte[] frame(long dst, long src, int... tpidTci) {
        ByteBuffer b = ByteBuffer.allocate(14 + 2 * tpidTci.length + PAYLOAD);
        putMac(b, dst);
        putMac(b, src);
        for (int t : tpidTci) {
            b.putShort((short) t);
        }
        b.putShort((short) EtherTypes.IPV4);
        for (int i = 0; i < PAYLOAD; i++) {
            b.put((byte) (i * 7 + 3));
        }
        return b.array();
    }

    /** @return a frame with one 802.1Q tag */
    static byte[] tagged(long dst, long src, int vid) {
        return frame(dst, src, Q, vid);
    }

    private static void putMac(ByteBuffer b, long mac) {
        b.putShort((short) (mac >>> 32));
        b.putInt((int) mac);
    }

    /** @return the parsed view of an emitted frame */
    static EthernetFrame view(byte[] bytes) {
        EthernetFrame f = new EthernetFrame();
        f.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
        return f;
    }

    /** @return the bytes after the Ethernet header and every parsed tag (EtherType included) */
    static byte[] payload(byte[] bytes) {
        EthernetFrame f = view(bytes);
        if (f.status() != FrameStatus.OK) {
            throw new AssertionError("not a valid frame");
        }
        return Arrays.copyOfRange(bytes, f.payloadOffset() - 2, bytes.length);
    }

    /** @return the tags as TPID/VID pairs, outermost first, e.g. [0x8100, 10] */
    static int[] tags(byte[] bytes) {
        EthernetFrame f = view(bytes);
        int[] t = new int[2 * f.tagCount()];
        if (f.tagCount() > 0) {
            t[0] = f.outerTpid();
            t[1] = f.outerVid();
        }
        if (f.tagCount() > 1) {
            t[2] = f.innerTpid();
            t[3] = f.innerVid();
        }
        return t;
    }
}
