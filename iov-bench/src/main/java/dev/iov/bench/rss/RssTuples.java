package dev.iov.bench.rss;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The flows {@link RssBench} and the C peer hash: Microsoft's RSS verification flows (5 IPv4, 3 IPv6), repeated to
 * {@value #COUNT} tuples (tuple {@code i} is flow {@code i % flows}, the same fill as {@code rss_softrss.c}), with
 * their published 4-tuple hashes so a benchmark can refuse to time a wrong answer.
 */
final class RssTuples {

    /** Tuples per family: a batch of 32, the switch's batch size (and {@code TUPLES} in {@code rss_softrss.c}). */
    static final int COUNT = 32;

    private static final String[][] IPV4 = {
        {"66.9.149.187", "2794", "161.142.100.80", "1766", "51ccc178"},
        {"199.92.111.2", "14230", "65.69.140.83", "4739", "c626b0ea"},
        {"24.19.198.95", "12898", "12.22.207.184", "38024", "5c2b394a"},
        {"38.27.205.30", "48228", "209.142.163.6", "2217", "afc7327f"},
        {"153.39.163.191", "44251", "202.188.127.2", "1303", "10e828a2"},
    };

    private static final String[][] IPV6 = {
        {"3ffe:2501:200:1fff::7", "2794", "3ffe:2501:200:3::1", "1766", "40207d3d"},
        {"3ffe:501:8::260:97ff:fe40:efab", "14230", "ff02::1", "4739", "dde51bbf"},
        {"3ffe:1900:4545:3:200:f8ff:fe21:67cf", "44251", "fe80::200:f8ff:fe21:67cf", "38024", "02d1feef"},
    };

    private final String[][] flows;

    private RssTuples(String[][] flows) {
        this.flows = flows;
    }

    static RssTuples ipv4() {
        return new RssTuples(IPV4);
    }

    static RssTuples ipv6() {
        return new RssTuples(IPV6);
    }

    private String[] flow(int i) {
        return flows[i % flows.length];
    }

    int[] srcWords(int offset) {
        return words(0, offset);
    }

    int[] dstWords(int offset) {
        return words(2, offset);
    }

    long[] srcLongs(int offset) {
        return longs(0, offset);
    }

    long[] dstLongs(int offset) {
        return longs(2, offset);
    }

    int[] sports() {
        return numbers(1);
    }

    int[] dports() {
        return numbers(3);
    }

    /** Fails when {@code hash} is not the published 4-tuple hash of tuple {@code i}. */
    void check(int i, int hash, String implementation) {
        int expected = Integer.parseUnsignedInt(flow(i)[4], 16);
        if (hash != expected) {
            throw new IllegalStateException(String.format("%s hashes %s:%s -> %s:%s to 0x%08x, Microsoft says 0x%08x",
                    implementation, flow(i)[0], flow(i)[1], flow(i)[2], flow(i)[3], hash, expected));
        }
    }

    private int[] words(int column, int offset) {
        int[] words = new int[COUNT];
        for (int i = 0; i < COUNT; i++) {
            words[i] = ByteBuffer.wrap(address(flow(i)[column])).getInt(offset);
        }
        return words;
    }

    private long[] longs(int column, int offset) {
        long[] longs = new long[COUNT];
        for (int i = 0; i < COUNT; i++) {
            longs[i] = ByteBuffer.wrap(address(flow(i)[column])).getLong(offset);
        }
        return longs;
    }

    private int[] numbers(int column) {
        int[] numbers = new int[COUNT];
        for (int i = 0; i < COUNT; i++) {
            numbers[i] = Integer.parseInt(flow(i)[column]);
        }
        return numbers;
    }

    /** A literal address; getByName never looks a literal up. */
    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
