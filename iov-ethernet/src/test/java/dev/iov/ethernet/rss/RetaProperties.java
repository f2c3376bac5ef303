package dev.iov.ethernet.rss;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RetaProperties {

    @Property
    void entriesAreIndexModuloQueues(@ForAll @IntRange(min = 0, max = 12) int log2Size,
            @ForAll @IntRange(min = 1, max = 4096) int queues) {
        int size = 1 << log2Size;
        int q = Math.min(queues, size);
        Reta reta = Reta.of(size, q);

        for (int i = 0; i < size; i++) {
            assertThat(reta.entry(i)).isEqualTo(i % q);
        }
    }

    @Property
    void everyHashPicksTheEntryOfItsLowBits(@ForAll int hash, @ForAll boolean large,
            @ForAll @IntRange(min = 1, max = 128) int queues) {
        Reta reta = Reta.of(large ? 512 : 128, queues);

        assertThat(reta.queue(hash)).isEqualTo(reta.entry(hash & (reta.size() - 1)))
                .isEqualTo((hash & (reta.size() - 1)) % queues).isBetween(0, queues - 1);
    }

    @Property
    void theDefaultFillSpreadsEntriesEvenly(@ForAll boolean large, @ForAll @IntRange(min = 1, max = 128) int queues) {
        Reta reta = Reta.of(large ? 512 : 128, queues);
        int[] perQueue = new int[queues];
        for (int i = 0; i < reta.size(); i++) {
            perQueue[reta.entry(i)]++;
        }

        int fewest = reta.size() / queues;
        for (int count : perQueue) {
            assertThat(count).isBetween(fewest, fewest + 1);
        }
    }
}
