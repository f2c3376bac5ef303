package dev.iov.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What {@link LinkChange} accepts before anything is sent to the kernel. */
class LinkChangeTest {

    @Test
    void anAliasIsOneTo255BytesOfUtf8() {
        String longest = "a".repeat(LinkChange.MAX_ALIAS_BYTES);

        assertThat(LinkChange.builder().alias(longest).build().alias()).contains(longest);
        assertThat(LinkChange.builder().alias("iov:h1/java-switch:web-7-eth0").build())
                .hasToString("LinkChange[alias 'iov:h1/java-switch:web-7-eth0']");
        assertThatThrownBy(() -> LinkChange.builder().alias(longest + "b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-255 bytes").hasMessageContaining("got 256");
        // Multi-byte characters count as bytes, as the kernel counts them.
        assertThatThrownBy(() -> LinkChange.builder().alias("é".repeat(128)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 256");
        assertThatThrownBy(() -> LinkChange.builder().alias("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> LinkChange.builder().alias("two\nlines")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'two\\nlines'");
        assertThatThrownBy(() -> LinkChange.builder().alias("nul\0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void anAliasAloneIsAChangeAndTakesPartInEquality() {
        LinkChange alias = LinkChange.builder().alias("x").build();

        assertThat(alias).isEqualTo(LinkChange.builder().alias("x").build())
                .isNotEqualTo(LinkChange.builder().alias("y").build())
                .hasSameHashCodeAs(LinkChange.builder().alias("x").build());
        assertThatThrownBy(() -> LinkChange.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
