package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Runs a sequence of operations against a pool and against a {@link HashSet} model of the allocated values, and
 * checks after every step that the two agree.
 *
 * @param <T> the pool's value type
 */
final class PoolModel<T> {

    /** One step. */
    sealed interface Op<T> permits Allocate, Reserve, Release {
    }

    /** {@code allocate()}. */
    record Allocate<T>() implements Op<T> {
    }

    /** {@code reserve(value)}. */
    record Reserve<T>(T value) implements Op<T> {
    }

    /** {@code release(value)}. */
    record Release<T>(T value) implements Op<T> {
    }

    private final AddressPool<T> pool;
    /** Every value in the pool's ranges. */
    private final Set<T> universe;
    /** Values to probe: the universe and some outside it. */
    private final List<T> domain;
    private final Set<T> allocated = new HashSet<>();

    PoolModel(AddressPool<T> pool, Set<T> universe, List<T> domain) {
        this.pool = pool;
        this.universe = Set.copyOf(universe);
        this.domain = List.copyOf(domain);
    }

    /** Operations whose values come from {@code domain}, weighted so that pools fill up and drain again. */
    static <T> Arbitrary<List<Op<T>>> ops(List<T> domain, int maxSize) {
        Arbitrary<T> values = Arbitraries.of(domain);
        Arbitrary<Op<T>> op = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(new Allocate<T>())),
                Tuple.of(2, values.map(Reserve::new)),
                Tuple.of(3, values.map(Release::new)));
        return op.list().ofMaxSize(maxSize);
    }

    void run(List<Op<T>> ops) {
        assertAgrees();
        for (Op<T> op : ops) {
            apply(op);
            assertAgrees();
        }
    }

    private void apply(Op<T> op) {
        if (op instanceof Allocate<T>) {
            if (allocated.size() == universe.size()) {
                Throwable thrown = catchThrowable(pool::allocate);
                assertThat(thrown).isExactlyInstanceOf(PoolExhaustedException.class)
                        .hasMessageContaining(pool.name());
            } else {
                T value = pool.allocate();
                assertThat(universe).as("allocated value within the ranges").contains(value);
                assertThat(allocated.add(value)).as("%s handed out twice", value).isTrue();
            }
        } else if (op instanceof Reserve<T> reserve) {
            T value = reserve.value();
            Throwable thrown = catchThrowable(() -> pool.reserve(value));
            if (!universe.contains(value)) {
                assertThat(thrown).isExactlyInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(value.toString()).hasMessageContaining(pool.name());
            } else if (allocated.contains(value)) {
                assertThat(thrown).isExactlyInstanceOf(AddressInUseException.class)
                        .hasMessageContaining(value.toString());
            } else {
                assertThat(thrown).isNull();
                allocated.add(value);
            }
        } else if (op instanceof Release<T> release) {
            assertThat(pool.release(release.value())).as("release(%s)", release.value())
                    .isEqualTo(allocated.remove(release.value()));
        }
    }

    private void assertAgrees() {
        assertThat(pool.capacity()).isEqualTo(universe.size());
        assertThat(pool.available()).isEqualTo(universe.size() - allocated.size());
        for (T value : domain) {
            assertThat(pool.isAllocated(value)).as("isAllocated(%s)", value).isEqualTo(allocated.contains(value));
            assertThat(pool.contains(value)).as("contains(%s)", value).isEqualTo(universe.contains(value));
        }
    }
}
