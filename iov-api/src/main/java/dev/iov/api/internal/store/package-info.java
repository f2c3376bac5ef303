/**
 * <b>Not API.</b> Nothing under {@code dev.iov.api.internal} is covered by compatibility promises: it may change or
 * go in any release, and its signatures may use Guava types, which are not part of iov's API.
 *
 * <p>Building blocks shared by {@link dev.iov.api.store.StateStore} implementations: the compare-and-set rules
 * ({@link dev.iov.api.internal.store.VersionCheck}), the sorted in-memory record index that serves reads
 * ({@link dev.iov.api.internal.store.RecordIndex}) and the delivery of change events to watchers
 * ({@link dev.iov.api.internal.store.WatchDispatcher}).
 *
 * <p>They are public only because implementations live in several packages (the journal store in its own
 * subpackage, remote stores elsewhere); application code uses {@link dev.iov.api.store.StateStore} instead.
 */
package dev.iov.api.internal.store;
