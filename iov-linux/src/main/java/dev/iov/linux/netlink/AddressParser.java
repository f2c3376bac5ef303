package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.IFA_ADDRESS;
import static dev.iov.linux.netlink.NetlinkConstants.IFA_LOCAL;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_NEWADDR;

import java.net.InetAddress;

/**
 * Reads an {@code RTM_NEWADDR} message (a reply to an address dump): the interface index and the address with its
 * prefix length. The interface's own address is {@code IFA_LOCAL} when present (IPv4, and IPv6 on point-to-point
 * links, where {@code IFA_ADDRESS} is the peer), otherwise {@code IFA_ADDRESS}. Reusable, not thread-safe.
 */
final class AddressParser {

    private final IfAddrMsg ifaddr = new IfAddrMsg();
    private final AttributeReader attributes = new AttributeReader();
    private int index;
    private CidrAddress address;

    /**
     * Parses an address message.
     *
     * @param message positioned on an {@code RTM_NEWADDR} message
     * @return this parser, holding the result
     * @throws NetlinkDecodeException when the message is malformed or carries no address
     */
    AddressParser parse(MessageReader message) {
        if (message.type() != RTM_NEWADDR) {
            throw new NetlinkDecodeException("expected RTM_NEWADDR, got message type " + message.type(),
                    message.offset());
        }
        int first = message.requirePayload(IfAddrMsg.LENGTH);
        ifaddr.wrap(message.buffer(), message.payloadOffset());
        attributes.wrap(message.buffer(), first, message.payloadEnd());
        InetAddress local = null;
        InetAddress prefixAddress = null;
        while (attributes.next()) {
            if (attributes.type() == IFA_LOCAL) {
                local = attributes.inetAddress();
            } else if (attributes.type() == IFA_ADDRESS) {
                prefixAddress = attributes.inetAddress();
            }
        }
        InetAddress chosen = local != null ? local : prefixAddress;
        if (chosen == null) {
            throw new NetlinkDecodeException("address message without IFA_LOCAL or IFA_ADDRESS", message.offset());
        }
        try {
            address = new CidrAddress(chosen, ifaddr.prefixLength());
        } catch (IllegalArgumentException e) {
            throw new NetlinkDecodeException("prefix length " + ifaddr.prefixLength() + " too long for "
                    + chosen.getHostAddress(), message.offset());
        }
        index = ifaddr.index();
        return this;
    }

    /** @return the interface index of the last parsed message */
    int index() {
        return index;
    }

    /** @return the address of the last parsed message */
    CidrAddress address() {
        return address;
    }
}
