package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PKeyPropertiesTest {

    @Property
    void textRoundTrips(@ForAll("pkeys") PKey key) {
        assertThat(PKey.parse(key.toString())).isEqualTo(key);
        assertThat(PKey.parse(Integer.toString(key.value()))).isEqualTo(key);
        assertThat(key.toString()).matches("0x[0-9a-f]{4}");
    }

    @Property
    void membershipAndPartitionRecombine(@ForAll("pkeys") PKey key) {
        assertThat(key.value()).isEqualTo((key.isFullMember() ? 0x8000 : 0) | key.partition());
        assertThat(key.asFull().partition()).isEqualTo(key.partition());
        assertThat(key.asLimited().partition()).isEqualTo(key.partition());
        assertThat(key.asFull().isFullMember()).isTrue();
        assertThat(key.asLimited().isFullMember()).isFalse();
    }

    /** Few partitions so that pairs often share one. */
    @Property
    void communicationIsSymmetric(@ForAll("fewPartitions") PKey a, @ForAll("fewPartitions") PKey b) {
        assertThat(a.canCommunicateWith(b)).isEqualTo(b.canCommunicateWith(a));
    }

    @Property
    void twoLimitedMembersNeverTalk(@ForAll("fewPartitions") PKey a, @ForAll("fewPartitions") PKey b) {
        assertThat(a.asLimited().canCommunicateWith(b.asLimited())).isFalse();
    }

    @Property
    void aFullMemberTalksToEveryMemberOfItsPartitionOnly(
            @ForAll("fewPartitions") PKey a, @ForAll("fewPartitions") PKey b) {
        assertThat(a.asFull().canCommunicateWith(b)).isEqualTo(a.partition() == b.partition());
    }

    @Property
    void ofAcceptsExactlyTheValidValues(@ForAll int value) {
        boolean valid = value > 0 && value <= 0xffff && value != 0x8000;
        try {
            assertThat(PKey.of(value).value()).isEqualTo(value);
            assertThat(valid).as("accepted %d", value).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(valid).as("refused %d", value).isFalse();
        }
    }

    @Property(tries = 3000)
    void anyTextParsesBackOrIsRejectedWithItsQuote(@ForAll("pkeyLike") String text) {
        ParseContract.parsesBackOrRejects(text, PKey::parse);
    }

    @Provide
    Arbitrary<PKey> pkeys() {
        return Arbitraries.integers().between(1, 0xffff).filter(v -> v != 0x8000).map(PKey::of);
    }

    @Provide
    Arbitrary<PKey> fewPartitions() {
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(true, false))
                .as((partition, full) -> PKey.of(partition | (full ? 0x8000 : 0)));
    }

    @Provide
    Arbitrary<String> pkeyLike() {
        Arbitrary<String> valid = Arbitraries.integers().between(0, 0x10000)
                .flatMap(v -> Arbitraries.of(String.format("0x%04x", v), Integer.toString(v)));
        return ParseContract.near(valid, "0123456789abcdefABCDEFxXg-+ ");
    }
}
