/**
 * An Open vSwitch database (OVSDB, RFC 7047) client: JSON-RPC over a unix domain socket or TCP
 * ({@link dev.iov.ethernet.ovsdb.OvsdbClient}), the OVSDB value encodings ({@link dev.iov.ethernet.ovsdb.OvsdbValues}),
 * transaction operations ({@link dev.iov.ethernet.ovsdb.Operation}) and monitors. Every failure is an
 * {@link dev.iov.ethernet.ovsdb.OvsdbException}.
 */
package dev.iov.ethernet.ovsdb;
