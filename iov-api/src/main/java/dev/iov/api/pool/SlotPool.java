package dev.iov.api.pool;

import java.util.List;

/**
 * A pool of slot indexes {@code 0} to {@code size - 1}, e.g. the virtual functions of one physical function.
 *
 * <p>Besides the boxed {@link AddressPool} methods it has {@code int} ones ({@link #allocateSlot()} and friends) that
 * never allocate an object.
 */
public final class SlotPool extends MappedPool<Integer> {

    private SlotPool(LongRangePool core) {
        super(core);
    }

    /**
     * Returns a pool named {@code slot pool 0-(size-1)}.
     *
     * @param size how many slots, at least 1
     * @return a new pool, all slots free
     * @throws IllegalArgumentException when {@code size} is below 1
     */
    public static SlotPool ofSize(int size) {
        return ofSize("slot pool", size);
    }

    /**
     * Returns a pool named after what the slots are, e.g. {@code ofSize("VFs of 0000:3b:00.0", 64)} is named
     * {@code VFs of 0000:3b:00.0 0-63}.
     *
     * @param kind what the slots are
     * @param size how many slots, at least 1
     * @return a new pool, all slots free
     * @throws IllegalArgumentException when {@code size} is below 1
     */
    public static SlotPool ofSize(String kind, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("invalid slot pool size '" + size + "': must be at least 1");
        }
        return new SlotPool(LongRangePool.create(kind, List.of(LongRange.of(0, size - 1L))));
    }

    /**
     * Takes a free slot.
     *
     * @return a slot that is now allocated
     * @throws PoolExhaustedException when every slot is allocated
     */
    public int allocateSlot() {
        return (int) core.allocateLong();
    }

    /**
     * Takes a specific slot.
     *
     * @param slot the slot wanted
     * @throws IllegalArgumentException when the slot is outside {@code 0} to {@code size - 1}
     * @throws AddressInUseException when the slot is already allocated
     */
    public void reserveSlot(int slot) {
        core.reserveLong(slot);
    }

    /**
     * Gives a slot back; releasing a free slot does nothing.
     *
     * @param slot the slot
     * @return true when the slot was allocated and is now free
     */
    public boolean releaseSlot(int slot) {
        return core.releaseLong(slot);
    }

    /**
     * @param slot a slot
     * @return true when the slot is currently allocated
     */
    public boolean isSlotAllocated(int slot) {
        return core.isAllocatedLong(slot);
    }

    @Override
    long key(Integer value) {
        return value;
    }

    @Override
    Integer value(long key) {
        return (int) key;
    }
}
