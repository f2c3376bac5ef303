package dev.iov.ethernet.rss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RssQueueSelectorProperties {

    @Property
    void randomBytesAlwaysGetAQueueAndNeverThrow(@ForAll @Size(max = 200) byte[] frame,
            @ForAll @IntRange(min = 1, max = 64) int queues, @ForAll boolean large) {
        RssQueueSelector selector = new RssQueueSelector(ToeplitzHash.microsoft(), Reta.of(large ? 512 : 128, queues));
        ByteBuffer buf = ByteBuffer.allocateDirect(frame.length + 8);
        buf.put(4, frame);

        int queue = selector.queue(buf, 4, frame.length);

        assertThat(queue).isBetween(0, queues - 1);
        assertThat(selector.hash(buf, 4, frame.length)).as("the same frame, the same flow")
                .isEqualTo(selector.hash(buf, 4, frame.length));
    }

    @Property
    void onlyTheFrameIsRead(@ForAll @Size(min = 14, max = 120) byte[] frame, @ForAll byte noise) {
        RssQueueSelector selector = new RssQueueSelector(ToeplitzHash.microsoft(), Reta.of(16));
        ByteBuffer a = ByteBuffer.allocate(frame.length + 64);
        ByteBuffer b = ByteBuffer.allocate(frame.length + 64);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, noise);
        }
        a.put(32, frame);
        b.put(32, frame);

        assertThat(selector.hash(a, 32, frame.length)).isEqualTo(selector.hash(b, 32, frame.length));
    }
}
