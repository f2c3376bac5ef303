/**
 * Durable file replacement: configuration files that other programs read (OpenSM's {@code partitions.conf}, saved VF
 * settings) are replaced atomically, so a reader or a crash sees the old file or the new one, never half of each.
 */
package dev.iov.linux.files;
