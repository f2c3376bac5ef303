/**
 * Building blocks shared by {@link dev.iov.api.store.StateStore} implementations: the compare-and-set rules
 * ({@link dev.iov.api.store.support.VersionCheck}), the sorted in-memory record index that serves reads
 * ({@link dev.iov.api.store.support.RecordIndex}) and the delivery of change events to watchers
 * ({@link dev.iov.api.store.support.WatchDispatcher}).
 *
 * <p>They are public only because implementations live in several packages (the journal store in its own
 * subpackage, remote stores elsewhere); application code uses {@link dev.iov.api.store.StateStore} instead.
 */
package dev.iov.api.store.support;
