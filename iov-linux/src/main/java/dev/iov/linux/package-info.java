/**
 * The native layer: the only code in iov that touches libc. Later packages here hold the jnr-ffi bindings
 * (kept package-private), the rtnetlink codec and socket, the sysfs reader, TAP and AF_PACKET handles, and the errno
 * exception family.
 */
package dev.iov.linux;
