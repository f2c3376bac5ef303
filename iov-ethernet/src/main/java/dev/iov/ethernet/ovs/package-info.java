/**
 * Open vSwitch through its database: {@link dev.iov.ethernet.ovs.OvsSwitch} (bridges, ports, VLANs, policing, QoS,
 * mirrors, statistics; only on rows iov marked as its own), the {@code ovs} backend
 * ({@link dev.iov.ethernet.ovs.OvsBackend}, {@link dev.iov.ethernet.ovs.OvsBackendProvider}; it tells its ports, and
 * whose they are, from their marks in the database, also after a restart) and
 * {@link dev.iov.ethernet.ovs.OvsDaemons}, a private ovsdb-server and ovs-vswitchd for tests and {@code iov lab}.
 */
package dev.iov.ethernet.ovs;
