/**
 * Binding switch ports to real devices: {@link dev.iov.ethernet.port.SwitchEngine} runs a
 * {@link dev.iov.ethernet.switching.SoftwareSwitch} on its own forwarding thread over
 * {@link dev.iov.ethernet.port.PortDevice}s (TAP devices, one per vNIC, and {@code AF_PACKET} sockets on named
 * interfaces), polls them all with one {@link dev.iov.linux.Poller}, counts back-pressure instead of blocking, and
 * takes configuration changes from other threads as tasks between batches; {@link dev.iov.ethernet.port.PortStats}
 * is a port's counter snapshot.
 */
package dev.iov.ethernet.port;
