package dev.iov.ethernet.rss;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Microsoft's published RSS verification table ("Verifying the RSS Hash Calculation", the same suite as the Intel
 * 82599 datasheet §7.1.2.8.3 and DPDK's {@code test_thash.c}), all of it: 5 IPv4 and 3 IPv6 flows, each with the
 * 2-tuple hash (addresses only) and the 4-tuple hash (with TCP ports), for the default key. Microsoft's table lists
 * the destination first; here every row is source → destination, the order of the hash input.
 */
final class MicrosoftVectors {

    /** One row: a flow and its two hashes. */
    record Vector(String src, int sport, String dst, int dport, int hash2, int hash4) {

        byte[] srcBytes() {
            return address(src);
        }

        byte[] dstBytes() {
            return address(dst);
        }

        boolean ipv6() {
            return srcBytes().length == 16;
        }

        /** The hash input: source address, destination address[, source port, destination port]. */
        byte[] input(boolean withPorts) {
            byte[] s = srcBytes();
            byte[] d = dstBytes();
            ByteBuffer input = ByteBuffer.allocate(s.length + d.length + (withPorts ? 4 : 0));
            input.put(s).put(d);
            if (withPorts) {
                input.putShort((short) sport).putShort((short) dport);
            }
            return input.array();
        }

        @Override
        public String toString() {
            return src + ":" + sport + " -> " + dst + ":" + dport;
        }
    }

    static final List<Vector> IPV4 = List.of(
            new Vector("66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178),
            new Vector("199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea),
            new Vector("24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a),
            new Vector("38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f),
            new Vector("153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2));

    static final List<Vector> IPV6 = List.of(
            new Vector("3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766, 0x2cc18cd5, 0x40207d3d),
            new Vector("3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739, 0x0f0c461c, 0xdde51bbf),
            new Vector("3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, "fe80::200:f8ff:fe21:67cf", 38024,
                    0x4b61e985, 0x02d1feef));

    private MicrosoftVectors() {
    }

    static List<Vector> ipv4() {
        return IPV4;
    }

    static List<Vector> ipv6() {
        return IPV6;
    }

    /** A literal address (never a name lookup: getByName does not resolve literals). */
    static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static int int32(byte[] b, int offset) {
        return ByteBuffer.wrap(b).getInt(offset);
    }

    static long int64(byte[] b, int offset) {
        return ByteBuffer.wrap(b).getLong(offset);
    }
}
