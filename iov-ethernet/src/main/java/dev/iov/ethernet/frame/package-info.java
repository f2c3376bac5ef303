/**
 * Flyweights over Ethernet frames held in {@link java.nio.ByteBuffer}s, and the one-pass parser the switch and RSS
 * read them through.
 *
 * <ul>
 *   <li>{@link dev.iov.ethernet.frame.EthernetFrame}: MAC addresses, up to two VLAN tags (802.1ad and 802.1Q),
 *       and tag push, pop and VID rewrite in place.</li>
 *   <li>{@link dev.iov.ethernet.frame.Ipv4Header} and {@link dev.iov.ethernet.frame.Ipv6Header}: header
 *       validation, addresses, fragments, and (IPv6) the walk over extension headers to the upper-layer
 *       protocol.</li>
 *   <li>{@link dev.iov.ethernet.frame.L4Ports}: the port pair of TCP, UDP and SCTP.</li>
 *   <li>{@link dev.iov.ethernet.frame.FrameParser} fills a reusable
 *       {@link dev.iov.ethernet.frame.ParsedFrame} with primitive fields, once per frame.</li>
 *   <li>{@link dev.iov.ethernet.frame.FrameStatus}: the result codes every parse and edit returns;
 *       {@link dev.iov.ethernet.frame.IpProtocols}: IANA protocol numbers.</li>
 * </ul>
 *
 * <p>Nothing here allocates, boxes or throws for a malformed frame; why, and what that asks of callers, is
 * explained once on {@link dev.iov.ethernet.frame.EthernetFrame}. None of these classes is thread-safe: each
 * forwarding thread owns its own instances.
 */
package dev.iov.ethernet.frame;
