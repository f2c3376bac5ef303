/**
 * The {@code java-switch} backend: {@link dev.iov.ethernet.javaswitch.JavaSwitchBackend} realises vNICs as TAP ports
 * of one embedded Java switch ({@link dev.iov.ethernet.port.SwitchEngine}) with the vNIC's VLAN, MAC, port security
 * and rate limit, and an optional uplink bound with {@code AF_PACKET} as a trunk. Its TAPs are persistent and marked
 * with their owner in the interface alias, so that a backend started after a manager restart takes back exactly the
 * ports the store records ({@code MarkedTaps}, package-private, is that host side);
 * {@link dev.iov.ethernet.javaswitch.JavaSwitchBackendProvider} makes it from configuration, and
 * {@link dev.iov.ethernet.javaswitch.TapPlacement} says in which namespace each vNIC's TAP lives.
 */
package dev.iov.ethernet.javaswitch;
