package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.Guid;
import dev.iov.api.net.VlanId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random operation sequences on small pools, checked against a HashSet model; the pools fill up and drain often. */
class PoolModelPropertiesTest {

    /** Ranges 10-14, 20-22 and 30 (given out of order): 9 values; the domain adds neighbours and far values. */
    private static final List<LongRange> CORE_RANGES =
            List.of(LongRange.of(20, 22), LongRange.of(30, 30), LongRange.of(10, 14));
    private static final Set<Long> CORE_UNIVERSE = Set.of(10L, 11L, 12L, 13L, 14L, 20L, 21L, 22L, 30L);
    private static final List<Long> CORE_DOMAIN = concat(LongStream.rangeClosed(8, 32).boxed().toList(),
            List.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE));

    @Property(tries = 1000)
    void coreAgreesWithModel(@ForAll("coreOps") List<PoolModel.Op<Long>> ops) {
        LongRangePool core = LongRangePool.create("test pool", CORE_RANGES);
        new PoolModel<>(new BoxedCore(core), CORE_UNIVERSE, CORE_DOMAIN).run(ops);
    }

    @Provide
    Arbitrary<List<PoolModel.Op<Long>>> coreOps() {
        return PoolModel.ops(CORE_DOMAIN, 60);
    }

    /** Ranges at the very ends of the long space, where an off-by-one in the cursor would wrap around. */
    private static final List<Long> EDGE_DOMAIN = List.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE + 2,
            0L, Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE);

    @Property(tries = 300)
    void coreAtTheEndsOfTheLongSpaceAgreesWithModel(@ForAll("edgeOps") List<PoolModel.Op<Long>> ops) {
        LongRangePool core = LongRangePool.create("edge pool", List.of(
                LongRange.of(Long.MAX_VALUE - 1, Long.MAX_VALUE), LongRange.of(Long.MIN_VALUE, Long.MIN_VALUE + 1)));
        Set<Long> universe = Set.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE);
        new PoolModel<>(new BoxedCore(core), universe, EDGE_DOMAIN).run(ops);
    }

    @Provide
    Arbitrary<List<PoolModel.Op<Long>>> edgeOps() {
        return PoolModel.ops(EDGE_DOMAIN, 40);
    }

    /** 0-5 without the zero GUID, plus GUIDs across the signed boundary, which the pool must order unsigned. */
    private static final List<Guid> GUID_DOMAIN = List.of(Guid.ZERO, Guid.of(1), Guid.of(2), Guid.of(3), Guid.of(4),
            Guid.of(5), Guid.of(6), Guid.of(Long.MAX_VALUE), Guid.of(Long.MIN_VALUE), Guid.of(-1));

    @Property(tries = 500)
    void guidPoolAgreesWithModel(@ForAll("guidOps") List<PoolModel.Op<Guid>> ops) {
        GuidPool pool = GuidPool.ofRange(Guid.ZERO, Guid.of(5));
        Set<Guid> universe = Set.of(Guid.of(1), Guid.of(2), Guid.of(3), Guid.of(4), Guid.of(5));
        new PoolModel<>(pool, universe, GUID_DOMAIN).run(ops);
    }

    @Provide
    Arbitrary<List<PoolModel.Op<Guid>>> guidOps() {
        return PoolModel.ops(GUID_DOMAIN, 40);
    }

    @Property(tries = 300)
    void guidPoolAcrossTheSignBitAgreesWithModel(@ForAll("signOps") List<PoolModel.Op<Guid>> ops) {
        GuidPool pool = GuidPool.ofRange(Guid.of(Long.MAX_VALUE - 1), Guid.of(Long.MIN_VALUE + 1));
        Set<Guid> universe = Set.of(Guid.of(Long.MAX_VALUE - 1), Guid.of(Long.MAX_VALUE), Guid.of(Long.MIN_VALUE),
                Guid.of(Long.MIN_VALUE + 1));
        new PoolModel<>(pool, universe, SIGN_DOMAIN).run(ops);
    }

    private static final List<Guid> SIGN_DOMAIN = List.of(Guid.of(Long.MAX_VALUE - 2), Guid.of(Long.MAX_VALUE - 1),
            Guid.of(Long.MAX_VALUE), Guid.of(Long.MIN_VALUE), Guid.of(Long.MIN_VALUE + 1), Guid.of(Long.MIN_VALUE + 2),
            Guid.ZERO, Guid.of(-1));

    @Provide
    Arbitrary<List<PoolModel.Op<Guid>>> signOps() {
        return PoolModel.ops(SIGN_DOMAIN, 40);
    }

    private static final List<VlanId> VLAN_DOMAIN =
            LongStream.rangeClosed(1, 12).mapToObj(v -> VlanId.of((int) v)).toList();

    @Property(tries = 500)
    void vlanPoolAgreesWithModel(@ForAll("vlanOps") List<PoolModel.Op<VlanId>> ops) {
        VlanPool pool = VlanPool.builder().addRange(VlanId.of(7), VlanId.of(9)).add(VlanId.of(2))
                .addRange(VlanId.of(4), VlanId.of(5)).build();
        Set<VlanId> universe = Set.of(2, 4, 5, 7, 8, 9).stream().map(VlanId::of).collect(Collectors.toSet());
        new PoolModel<>(pool, universe, VLAN_DOMAIN).run(ops);
    }

    @Provide
    Arbitrary<List<PoolModel.Op<VlanId>>> vlanOps() {
        return PoolModel.ops(VLAN_DOMAIN, 40);
    }

    private static final List<Integer> SLOT_DOMAIN = List.of(-1, 0, 1, 2, 3, 4, Integer.MAX_VALUE);

    @Property(tries = 500)
    void slotPoolAgreesWithModel(@ForAll("slotOps") List<PoolModel.Op<Integer>> ops) {
        new PoolModel<>(SlotPool.ofSize(4), Set.of(0, 1, 2, 3), SLOT_DOMAIN).run(ops);
    }

    @Provide
    Arbitrary<List<PoolModel.Op<Integer>>> slotOps() {
        return PoolModel.ops(SLOT_DOMAIN, 40);
    }

    @Property(tries = 300)
    void releaseIsIdempotent(@ForAll("coreOps") List<PoolModel.Op<Long>> ops) {
        LongRangePool core = LongRangePool.create("test pool", CORE_RANGES);
        new PoolModel<>(new BoxedCore(core), CORE_UNIVERSE, CORE_DOMAIN).run(ops);
        for (long value : CORE_DOMAIN) {
            boolean wasAllocated = core.isAllocatedLong(value);
            long available = core.available();
            assertThat(core.releaseLong(value)).isEqualTo(wasAllocated);
            assertThat(core.releaseLong(value)).isFalse();
            assertThat(core.available()).isEqualTo(available + (wasAllocated ? 1 : 0));
        }
        assertThat(core.available()).isEqualTo(core.capacity());
    }

    /** After any history, draining the pool yields exactly the free values, each once. */
    @Property(tries = 300)
    void drainingHandsOutExactlyTheFreeValues(@ForAll("coreOps") List<PoolModel.Op<Long>> ops) {
        LongRangePool core = LongRangePool.create("test pool", CORE_RANGES);
        new PoolModel<>(new BoxedCore(core), CORE_UNIVERSE, CORE_DOMAIN).run(ops);
        Set<Long> free = CORE_UNIVERSE.stream().filter(v -> !core.isAllocatedLong(v)).collect(Collectors.toSet());
        List<Long> drained = new ArrayList<>();
        while (core.available() > 0) {
            drained.add(core.allocateLong());
        }
        assertThat(drained).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(free);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Presents the primitive core through the boxed interface so the shared model can drive it. */
    private record BoxedCore(LongRangePool core) implements AddressPool<Long> {
        @Override
        public Long allocate() {
            return core.allocateLong();
        }

        @Override
        public void reserve(Long value) {
            core.reserveLong(value);
        }

        @Override
        public boolean release(Long value) {
            return core.releaseLong(value);
        }

        @Override
        public boolean contains(Long value) {
            return core.containsLong(value);
        }

        @Override
        public boolean isAllocated(Long value) {
            return core.isAllocatedLong(value);
        }

        @Override
        public long capacity() {
            return core.capacity();
        }

        @Override
        public long available() {
            return core.available();
        }

        @Override
        public String name() {
            return core.name();
        }
    }
}
