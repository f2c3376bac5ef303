/**
 * <b>Not API.</b> Nothing under {@code dev.iov.api.internal} is covered by compatibility promises: it may change or
 * go in any release.
 *
 * <p>Reading files that iov does not control (configuration files, snapshots, sysfs attributes) with a limit on how
 * much is read ({@link dev.iov.api.internal.io.BoundedReads}): a path pointing at {@code /dev/zero}, a named pipe's
 * writer or a huge sparse file stops being read one byte past the limit, instead of exhausting the heap. Public only
 * because every module reads such files; application code does not use it.
 */
package dev.iov.api.internal.io;
