/**
 * Address pools: finite sets of MAC addresses, InfiniBand GUIDs, VLAN IDs, P_Key partitions and VF slots handed out
 * one at a time with O(1) allocate and release.
 *
 * <p>{@link dev.iov.api.pool.AddressPool} is the contract. {@link dev.iov.api.pool.LongRangePool} is the one
 * allocator, working on primitive {@code long}s over inclusive {@link dev.iov.api.pool.LongRange}s; the typed pools
 * ({@link dev.iov.api.pool.MacPool}, {@link dev.iov.api.pool.GuidPool}, {@link dev.iov.api.pool.VlanPool},
 * {@link dev.iov.api.pool.PKeyPool}, {@link dev.iov.api.pool.SlotPool}) validate their configuration, map their value
 * type to a {@code long} and delegate. All pools are thread-safe.
 */
package dev.iov.api.pool;
