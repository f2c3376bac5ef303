/**
 * Open vSwitch through its database: {@link dev.iov.ethernet.ovs.OvsSwitch} (bridges, ports, VLANs, policing, QoS,
 * mirrors, statistics; only on rows iov marked as its own), the {@code ovs} backend
 * ({@link dev.iov.ethernet.ovs.OvsBackend}, {@link dev.iov.ethernet.ovs.OvsBackendProvider}) and
 * {@link dev.iov.ethernet.ovs.OvsDaemons}, a private ovsdb-server and ovs-vswitchd for tests and {@code iov lab}.
 */
package dev.iov.ethernet.ovs;
