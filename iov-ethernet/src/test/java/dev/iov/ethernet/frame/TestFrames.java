package dev.iov.ethernet.frame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Hand-built frames for tests. Every byte is put where the standards say, independently of the code under test
 * (no flyweight is used to build), so a parser bug cannot cancel out a builder bug.
 */
public final class TestFrames {

    /** A VLAN tag to write: TPID and the three TCI fields. */
    public record Tag(int tpid, int pcp, int dei, int vid) {
        int tci() {
            return (pcp << 13) | (dei << 12) | vid;
        }
    }

    /** An IPv6 extension header to write: its type, total length in bytes and (fragment only) offset and M. */
    public record Ext(int type, int length, int fragmentOffsetUnits, boolean more) {
        /** A hop-by-hop, routing, destination options, mobility, HIP or Shim6 header of {@code 8 * units} bytes. */
        public static Ext options(int type, int units) {
            return new Ext(type, 8 * units, 0, false);
        }

        /** An AH of {@code 4 * words} bytes (at least 3 words). */
        public static Ext ah(int words) {
            return new Ext(IpProtocols.AH, 4 * words, 0, false);
        }

        /** A fragment header with the offset in 8-byte units and the M flag. */
        public static Ext fragment(int offsetUnits, boolean more) {
            return new Ext(IpProtocols.FRAGMENT, 8, offsetUnits, more);
        }
    }

    private TestFrames() {
    }

    /** Six bytes of a MAC, first octet first. */
    public static byte[] mac(long mac) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return b;
    }

    /** An untagged Ethernet II frame. */
    public static byte[] ethernet(long dst, long src, int etherType, byte[] payload) {
        return ethernet(dst, src, List.of(), etherType, payload);
    }

    /** An Ethernet II frame with the given tags, outer first. */
    public static byte[] ethernet(long dst, long src, List<Tag> tags, int etherType, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(mac(dst));
        out.writeBytes(mac(src));
        for (Tag tag : tags) {
            u16(out, tag.tpid());
            u16(out, tag.tci());
        }
        u16(out, etherType);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * An IPv4 packet with {@code optionWords} 4-byte words of NOP options and a correct header checksum.
     *
     * @param flagsAndOffset the raw flags/fragment-offset word (MF is {@code 0x2000}, offset in 8-byte units)
     */
    public static byte[] ipv4(int src, int dst, int protocol, int optionWords, int flagsAndOffset, byte[] payload) {
        int headerLength = 20 + 4 * optionWords;
        byte[] p = new byte[headerLength + payload.length];
        p[0] = (byte) (0x40 | (headerLength / 4));
        p[1] = 0;
        put16(p, 2, p.length);
        put16(p, 4, 0x1234);
        put16(p, 6, flagsAndOffset);
        p[8] = 64;
        p[9] = (byte) protocol;
        put32(p, 12, src);
        put32(p, 16, dst);
        for (int i = 20; i < headerLength; i++) {
            p[i] = 1; // NOP
        }
        put16(p, 10, checksum(p, headerLength));
        System.arraycopy(payload, 0, p, headerLength, payload.length);
        return p;
    }

    /** An IPv6 packet whose extension headers (in order) lead to {@code protocol}, then {@code payload}. */
    public static byte[] ipv6(byte[] src, byte[] dst, List<Ext> exts, int protocol, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < exts.size(); i++) {
            Ext ext = exts.get(i);
            int next = i + 1 < exts.size() ? exts.get(i + 1).type() : protocol;
            byte[] h = new byte[ext.length()];
            h[0] = (byte) next;
            if (ext.type() == IpProtocols.FRAGMENT) {
                put16(h, 2, (ext.fragmentOffsetUnits() << 3) | (ext.more() ? 1 : 0));
                put32(h, 4, 0xCAFE0001);
            } else if (ext.type() == IpProtocols.AH) {
                h[1] = (byte) (ext.length() / 4 - 2);
                put32(h, 4, 0x100); // SPI
            } else {
                h[1] = (byte) (ext.length() / 8 - 1);
                for (int j = 2; j < h.length; j++) {
                    h[j] = (byte) (j == 2 ? 1 : 0); // a PadN option then zeros
                }
            }
            body.writeBytes(h);
        }
        body.writeBytes(payload);
        byte[] rest = body.toByteArray();
        byte[] p = new byte[40 + rest.length];
        put32(p, 0, 0x6000_0000 | (0x2E << 20) | 0x12345); // version 6, traffic class 0x2e, flow label
        put16(p, 4, rest.length);
        p[6] = (byte) (exts.isEmpty() ? protocol : exts.get(0).type());
        p[7] = 64;
        System.arraycopy(src, 0, p, 8, 16);
        System.arraycopy(dst, 0, p, 24, 16);
        System.arraycopy(rest, 0, p, 40, rest.length);
        return p;
    }

    /** A TCP segment: 20-byte header (data offset 5, ACK) and the payload. */
    public static byte[] tcp(int sport, int dport, byte[] payload) {
        byte[] s = new byte[20 + payload.length];
        put16(s, 0, sport);
        put16(s, 2, dport);
        put32(s, 4, 1000);
        put32(s, 8, 2000);
        s[12] = 0x50;
        s[13] = 0x10;
        put16(s, 14, 65535);
        System.arraycopy(payload, 0, s, 20, payload.length);
        return s;
    }

    /** A UDP datagram (checksum 0) with the payload. */
    public static byte[] udp(int sport, int dport, byte[] payload) {
        byte[] d = new byte[8 + payload.length];
        put16(d, 0, sport);
        put16(d, 2, dport);
        put16(d, 4, d.length);
        System.arraycopy(payload, 0, d, 8, payload.length);
        return d;
    }

    /** An SCTP packet: 12-byte common header and the payload as chunks. */
    public static byte[] sctp(int sport, int dport, byte[] payload) {
        byte[] d = new byte[12 + payload.length];
        put16(d, 0, sport);
        put16(d, 2, dport);
        put32(d, 4, 0x01020304);
        System.arraycopy(payload, 0, d, 12, payload.length);
        return d;
    }

    /** An IPv6 address from its two 64-bit halves. */
    public static byte[] ipv6Address(long high, long low) {
        return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }

    /** {@code a} followed by {@code b}. */
    public static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** {@code n} bytes counting up from 0 (wrapping), recognisable in a hex dump. */
    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /**
     * A heap buffer holding {@code frame} at index {@code headroom}, followed by {@code tailroom} bytes; headroom
     * and tailroom are filled with {@code 0xEE} so stray writes show.
     */
    public static ByteBuffer buffer(byte[] frame, int headroom, int tailroom) {
        ByteBuffer buf = ByteBuffer.allocate(headroom + frame.length + tailroom);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0xEE);
        }
        buf.put(headroom, frame);
        return buf;
    }

    /** The bytes of {@code buf} from {@code offset}, {@code length} long. */
    public static byte[] slice(ByteBuffer buf, int offset, int length) {
        byte[] b = new byte[length];
        buf.get(offset, b);
        return b;
    }

    private static int checksum(byte[] p, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
