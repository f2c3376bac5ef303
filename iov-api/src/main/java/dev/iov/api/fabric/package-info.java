/**
 * The orchestrator: {@link dev.iov.api.fabric.Fabric}, built with {@link dev.iov.api.fabric.FabricBuilder}, with its
 * reports (drift, oversubscription, recovery), policies and failures.
 *
 * <p>Inside, each job has a part of its own over one model in memory ({@code FabricState}) and the store's records
 * ({@code FabricRecords}): provisioning, migration, updates, networks, drift and repair, recovery after a restart,
 * counters. With several management nodes on one store, {@code StoreFollower} keeps the model in step with the other
 * nodes' records, {@code UplinkLedger} keeps admission's sums in the store, and {@code Takeover} finishes or undoes
 * the operations of nodes that are gone.
 */
package dev.iov.api.fabric;
