package dev.iov.cli.lab;

import dev.iov.api.net.MacAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Well-formed Ethernet frames a VM would send, for the in-process lab and for announcing a moved VM: gratuitous ARP,
 * ICMP echo request/reply and TCP data segments over IPv4, with correct checksums so that {@code tshark} decodes the
 * mirror without complaint.
 */
final class GeneratedFrames {

    /** Ethernet minimum frame length without FCS. */
    static final int MIN_FRAME = 60;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4_HEADER = 20;
    private static final int ICMP_HEADER = 8;
    private static final int TCP_HEADER = 20;
    private static final int PING_PAYLOAD = 56;

    private GeneratedFrames() {
    }

    /**
     * A gratuitous ARP request: "who has IP? tell IP", broadcast from the VM's MAC, which teaches every switch on
     * the way where the MAC now is.
     *
     * @param mac the VM's MAC
     * @param ip its IPv4 address
     * @return the frame, padded to 60 bytes
     */
    static byte[] gratuitousArp(MacAddress mac, String ip) {
        ByteBuffer b = ByteBuffer.allocate(MIN_FRAME);
        ethernet(b, MacAddress.BROADCAST, mac, ETHERTYPE_ARP);
        b.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(mac.toBytes()).put(ipv4(ip)).put(new byte[6]).put(ipv4(ip));
        return b.array();
    }

    /**
     * An ICMP echo request or reply.
     *
     * @param src sender MAC
     * @param dst receiver MAC
     * @param srcIp sender address
     * @param dstIp receiver address
     * @param sequence the echo sequence number
     * @param reply true for an echo reply
     * @return the frame
     */
    static byte[] echo(MacAddress src, MacAddress dst, String srcIp, String dstIp, int sequence, boolean reply) {
        int l4 = ICMP_HEADER + PING_PAYLOAD;
        ByteBuffer b = ByteBuffer.allocate(ETHERNET_HEADER + IPV4_HEADER + l4);
        ethernet(b, dst, src, ETHERTYPE_IPV4);
        ipv4Header(b, 1, l4, srcIp, dstIp, sequence);
        int start = b.position();
        b.put((byte) (reply ? 0 : 8)).put((byte) 0).putShort((short) 0).putShort((short) 0x10b).putShort(
                (short) sequence);
        for (int i = 0; i < PING_PAYLOAD; i++) {
            b.put((byte) i);
        }
        b.putShort(start + 2, (short) checksum(b.array(), start, l4, 0));
        return b.array();
    }

    /**
     * A TCP segment with data (flags PSH|ACK).
     *
     * @param src sender MAC
     * @param dst receiver MAC
     * @param srcIp sender address
     * @param dstIp receiver address
     * @param sequence the TCP sequence number
     * @param payload bytes of data
     * @return the frame
     */
    static byte[] tcpData(MacAddress src, MacAddress dst, String srcIp, String dstIp, long sequence, int payload) {
        int l4 = TCP_HEADER + payload;
        ByteBuffer b = ByteBuffer.allocate(ETHERNET_HEADER + IPV4_HEADER + l4);
        ethernet(b, dst, src, ETHERTYPE_IPV4);
        ipv4Header(b, 6, l4, srcIp, dstIp, (int) (sequence & 0xffff));
        int start = b.position();
        b.putShort((short) 40000).putShort((short) 5201).putInt((int) sequence).putInt(1)
                .put((byte) (5 << 4)).put((byte) 0x18).putShort((short) 0xffff).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) ('a' + i % 26));
        }
        long pseudo = sum(ipv4(srcIp)) + sum(ipv4(dstIp)) + 6 + l4;
        b.putShort(start + 16, (short) checksum(b.array(), start, l4, pseudo));
        return b.array();
    }

    private static void ethernet(ByteBuffer b, MacAddress dst, MacAddress src, int type) {
        b.put(dst.toBytes()).put(src.toBytes()).putShort((short) type);
    }

    private static void ipv4Header(ByteBuffer b, int protocol, int l4Length, String srcIp, String dstIp, int id) {
        int start = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) (IPV4_HEADER + l4Length)).putShort((short) id)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(ipv4(srcIp)).put(ipv4(dstIp));
        b.putShort(start + 10, (short) checksum(b.array(), start, IPV4_HEADER, 0));
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes, with {@code initial} already added. */
    static int checksum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long sum(byte[] address) {
        return (((address[0] & 0xff) << 8) | (address[1] & 0xff)) + (((address[2] & 0xff) << 8) | (address[3] & 0xff));
    }

    private static byte[] ipv4(String ip) {
        try {
            InetAddress address = InetAddress.getByName(ip);
            if (!(address instanceof Inet4Address)) {
                throw new IllegalArgumentException("not an IPv4 address: '" + ip + "'");
            }
            return address.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: '" + ip + "'", e);
        }
    }
}
