/**
 * rtnetlink for iov: links, addresses and SR-IOV VF settings over {@code NETLINK_ROUTE}, without forking
 * {@code ip}.
 *
 * <p>Three layers, each usable on its own:
 * <ul>
 *   <li><b>Codec</b> — allocation-free flyweights over a {@link java.nio.ByteBuffer} for the fixed headers
 *       ({@link dev.iov.linux.netlink.NlMsgHdr}, {@link dev.iov.linux.netlink.IfInfoMsg},
 *       {@link dev.iov.linux.netlink.IfAddrMsg}, {@link dev.iov.linux.netlink.NlMsgErr}), a
 *       {@link dev.iov.linux.netlink.NetlinkMessageWriter} for messages with nested attributes, and the
 *       length-checking {@link dev.iov.linux.netlink.MessageReader} and
 *       {@link dev.iov.linux.netlink.AttributeReader}, which reject any malformed input with
 *       {@link dev.iov.linux.netlink.NetlinkDecodeException}. The ABI numbers are in
 *       {@link dev.iov.linux.netlink.NetlinkConstants}.</li>
 *   <li><b>Client</b> — {@link dev.iov.linux.netlink.RtnetlinkClient}: sequence numbers, acknowledgements,
 *       multipart dumps (repeated when interrupted), timeouts, and kernel errors mapped to the typed
 *       {@link dev.iov.linux.LinuxException} family with the kernel's extended-ACK text.</li>
 *   <li><b>Operations</b> — {@link dev.iov.linux.netlink.Rtnetlink}, with requests encoded by
 *       {@link dev.iov.linux.netlink.LinkRequests}, {@link dev.iov.linux.netlink.VfRequests} and
 *       {@link dev.iov.linux.netlink.AddressRequests} exactly as iproute2 6.1 encodes them (golden vectors captured
 *       with {@code strace} are in the tests), and replies turned into {@link dev.iov.linux.netlink.LinkInfo},
 *       {@link dev.iov.linux.netlink.VfInfo} and {@link dev.iov.linux.netlink.CidrAddress}.</li>
 * </ul>
 */
package dev.iov.linux.netlink;
