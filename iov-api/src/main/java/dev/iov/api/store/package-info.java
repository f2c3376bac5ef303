/**
 * The state store: durable, versioned key/value records shared by everything that manages a fabric.
 *
 * <p>{@link dev.iov.api.store.StateStore} is the SPI, with its record ({@link dev.iov.api.store.VersionedValue}),
 * change event ({@link dev.iov.api.store.StoreEvent}) and failures ({@link dev.iov.api.store.StoreException},
 * {@link dev.iov.api.store.VersionConflictException}); {@link dev.iov.api.store.StoreKeys} holds the key and value
 * rules. {@link dev.iov.api.store.InMemoryStateStore} is the heap-only implementation; the embedded persistent
 * default is {@link dev.iov.api.store.journal.JournalStateStore}. Building blocks for implementations are in
 * {@link dev.iov.api.internal.store}.
 */
package dev.iov.api.store;
