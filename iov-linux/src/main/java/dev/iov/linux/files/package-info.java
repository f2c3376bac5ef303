/**
 * Durable file replacement: configuration files that other programs read (OpenSM's {@code partitions.conf}, saved VF
 * settings) are replaced atomically, so a reader or a crash sees the old file or the new one, never half of each;
 * and directory trees are removed without following links ({@link dev.iov.linux.files.FileTrees}).
 */
package dev.iov.linux.files;
