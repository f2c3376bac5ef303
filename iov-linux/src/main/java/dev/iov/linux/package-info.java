/**
 * The native layer: the only code in iov that touches libc.
 *
 * <p>This package holds the handles everything else builds on:
 * <ul>
 *   <li>{@link dev.iov.linux.RawNetlinkSocket}: whole netlink datagrams to and from the kernel (the rtnetlink codec
 *       and operations live in {@code dev.iov.linux.netlink});</li>
 *   <li>{@link dev.iov.linux.TapDevice} and {@link dev.iov.linux.PacketSocket}: whole Ethernet frames through a
 *       TAP device or an {@code AF_PACKET} socket bound to an interface, singly or in a reusable
 *       {@link dev.iov.linux.FrameBatch}, through direct buffers without per-frame allocation;</li>
 *   <li>{@link dev.iov.linux.Poller}: one {@code poll} over many TAP devices and packet sockets with an eventfd
 *       wake-up, the event loop of a data-plane thread (which reads and writes with the non-blocking
 *       {@code tryRead}/{@code tryWrite}/{@code trySend} at offsets in its own arena);</li>
 *   <li>{@link dev.iov.linux.NetworkNamespace}: namespaces named {@code iov-…} for tests and the lab, and running
 *       code inside one;</li>
 *   <li>{@link dev.iov.linux.LinuxException} and its subclasses: one type per errno family, carrying the errno, the
 *       operation and the object, built by {@link dev.iov.linux.LinuxException#of}; {@link dev.iov.linux.Errno}
 *       names the numbers.</li>
 * </ul>
 *
 * <p>The jnr-ffi libc binding and the kernel structure layouts are package-private, so no other package grows
 * native calls of its own. The code assumes an LP64 Linux (x86-64 or arm64).
 */
package dev.iov.linux;
