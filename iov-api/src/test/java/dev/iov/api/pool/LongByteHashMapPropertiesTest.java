package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LongByteHashMapPropertiesTest {

    /** One operation: value 0 means remove, anything else put. */
    record Op(long key, byte value) {
    }

    @Property(tries = 500)
    void behavesLikeAHashMap(@ForAll("ops") List<Op> ops) {
        LongByteHashMap map = new LongByteHashMap();
        Map<Long, Byte> model = new HashMap<>();
        for (Op op : ops) {
            if (op.value() == 0) {
                assertThat(map.remove(op.key())).isEqualTo(model.remove(op.key()) != null);
            } else {
                map.put(op.key(), op.value());
                model.put(op.key(), op.value());
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
        for (Op op : ops) {
            assertThat(map.get(op.key())).as("key %d", op.key()).isEqualTo(model.getOrDefault(op.key(), (byte) 0));
        }
    }

    /**
     * Keys from a small set (so removals hit present keys and probe chains form), including 0, negative values and
     * multiples of a power of two (which a weak hash would pile into one slot).
     */
    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Long> keys = Arbitraries.oneOf(
                Arbitraries.longs().between(-40, 40),
                Arbitraries.longs().between(0, 40).map(k -> k << 32),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE));
        Arbitrary<Byte> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just((byte) 0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes().between((byte) 1, (byte) 3)));
        return Combinators.combine(keys, values).as(Op::new).list().ofMaxSize(400);
    }

    @Property(tries = 20)
    void survivesGrowthAndFullDrain(@ForAll("sizes") int size) {
        LongByteHashMap map = new LongByteHashMap();
        for (long k = 0; k < size; k++) {
            map.put(k * 7919, (byte) 1);
        }
        assertThat(map.size()).isEqualTo(size);
        for (long k = 0; k < size; k += 2) {
            assertThat(map.remove(k * 7919)).isTrue();
        }
        for (long k = 0; k < size; k++) {
            assertThat(map.get(k * 7919)).isEqualTo(k % 2 == 0 ? (byte) 0 : (byte) 1);
        }
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1, 20_000);
    }
}
