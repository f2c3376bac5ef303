package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.IFA_ADDRESS;
import static dev.iov.linux.netlink.NetlinkConstants.IFA_LOCAL;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_REQUEST;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_DELADDR;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_GETADDR;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_NEWADDR;

import java.nio.ByteBuffer;

/**
 * Encodes address requests as iproute2 6.1's {@code ip addr add|del ADDRESS/LEN dev DEV} does: an
 * {@code ifaddrmsg} with family, prefix length and interface index (scope global, no flags), then
 * {@code IFA_LOCAL} and {@code IFA_ADDRESS}, both the address itself (they differ only on point-to-point links).
 * Adding sets {@code NLM_F_CREATE | NLM_F_EXCL}, so an existing address is {@code EEXIST}.
 */
public final class AddressRequests {

    private AddressRequests() {
    }

    /**
     * {@code ip addr add ADDRESS/LEN dev DEV}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param interfaceIndex the interface
     * @param address the address and prefix length
     */
    public static void add(NetlinkMessageWriter writer, ByteBuffer buffer, int interfaceIndex,
            CidrAddress address) {
        write(writer, buffer, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, interfaceIndex,
                address);
    }

    /**
     * {@code ip addr del ADDRESS/LEN dev DEV}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param interfaceIndex the interface
     * @param address the address and prefix length
     */
    public static void remove(NetlinkMessageWriter writer, ByteBuffer buffer, int interfaceIndex,
            CidrAddress address) {
        write(writer, buffer, RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, interfaceIndex, address);
    }

    /**
     * Asks for every address of one family, or of all families with {@link NetlinkConstants#AF_UNSPEC}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param family the address family
     */
    public static void dump(NetlinkMessageWriter writer, ByteBuffer buffer, int family) {
        writer.begin(buffer, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
        writer.reserveIfAddrMsg().family(family);
        writer.finish();
    }

    private static void write(NetlinkMessageWriter writer, ByteBuffer buffer, int type, int flags,
            int interfaceIndex, CidrAddress address) {
        if (interfaceIndex <= 0) {
            throw new IllegalArgumentException("interface index must be positive: '" + interfaceIndex + "'");
        }
        writer.begin(buffer, type, flags);
        writer.reserveIfAddrMsg().family(address.family()).prefixLength(address.prefixLength())
                .index(interfaceIndex);
        writer.putInetAddress(IFA_LOCAL, address.address());
        writer.putInetAddress(IFA_ADDRESS, address.address());
        writer.finish();
    }
}
