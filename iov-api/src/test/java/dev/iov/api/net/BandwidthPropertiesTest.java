package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BandwidthPropertiesTest {

    @Property
    void textRoundTrips(@ForAll("rates") long bits) {
        Bandwidth rate = Bandwidth.ofBitsPerSecond(bits);
        assertThat(Bandwidth.parse(rate.toString())).isEqualTo(rate);
        assertThat(rate.toString()).endsWith("bit/s");
    }

    @Property
    void canonicalTextUsesAtMostThreeDecimalsAndALeadingNonZero(@ForAll("rates") long bits) {
        String text = Bandwidth.ofBitsPerSecond(bits).toString();
        assertThat(text).matches("(0|[1-9][0-9]*)(\\.[0-9]{0,2}[1-9])?[kMGT]?bit/s");
    }

    @Property
    void wholeUnitsMatchLongArithmetic(@ForAll @LongRange(min = 0, max = 9_000_000) long amount) {
        assertThat(Bandwidth.parse(amount + "k").bitsPerSecond()).isEqualTo(amount * 1_000);
        assertThat(Bandwidth.parse(amount + "Mbit/s").bitsPerSecond()).isEqualTo(amount * 1_000_000);
        assertThat(Bandwidth.parse(amount + "Gbps")).isEqualTo(Bandwidth.ofGbps(amount));
        assertThat(Bandwidth.parse(amount + "bit").bitsPerSecond()).isEqualTo(amount);
    }

    @Property
    void decimalsMatchLongArithmetic(@ForAll @LongRange(min = 0, max = 9_000_000) long whole,
            @ForAll @IntRange(min = 0, max = 999) int thousandths) {
        String text = whole + "." + String.format("%03d", thousandths) + "G";
        assertThat(Bandwidth.parse(text).bitsPerSecond()).isEqualTo(whole * 1_000_000_000L + thousandths * 1_000_000L);
    }

    @Property
    void floorsAndSums(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long a,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long b) {
        Bandwidth x = Bandwidth.ofBitsPerSecond(a);
        assertThat(x.toKbps()).isEqualTo(Math.floorDiv(a, 1000));
        assertThat(x.toMbps()).isEqualTo(Math.floorDiv(a, 1_000_000));
        assertThat(x.plus(Bandwidth.ofBitsPerSecond(b)).bitsPerSecond()).isEqualTo(a + b);
        assertThat(Integer.signum(x.compareTo(Bandwidth.ofBitsPerSecond(b)))).isEqualTo(Long.signum(a - b));
    }

    @Property(tries = 3000)
    void anyTextParsesBackOrIsRejectedWithItsQuote(@ForAll("bandwidthLike") String text) {
        ParseContract.parsesBackOrRejects(text, Bandwidth::parse);
    }

    /** Mostly round numbers, since those exercise the unit choice; plus arbitrary ones. */
    @Provide
    Arbitrary<Long> rates() {
        Arbitrary<Long> round = Combinators.combine(
                Arbitraries.longs().between(0, 9_999_999),
                Arbitraries.of(1L, 10L, 100L, 1_000L, 1_000_000L, 1_000_000_000L))
                .as((mantissa, scale) -> mantissa * scale);
        return Arbitraries.oneOf(round, Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.of(0L, 1L, 999L, 1000L, 1001L, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<String> bandwidthLike() {
        Arbitrary<String> number = Arbitraries.oneOf(
                Arbitraries.longs().greaterOrEqual(0).map(String::valueOf),
                Combinators.combine(Arbitraries.longs().between(0, 99_999), Arbitraries.strings().numeric()
                        .ofMinLength(1).ofMaxLength(5)).as((w, f) -> w + "." + f));
        Arbitrary<String> unit = Arbitraries.of("", "k", "K", "M", "m", "G", "g", "T", "t", "x", "B");
        Arbitrary<String> suffix = Arbitraries.of("", "bit/s", "bit", "bps", "Bps", "b/s", "/s");
        Arbitrary<String> valid = Combinators.combine(number, unit, suffix).as((n, u, s) -> n + u + s);
        return ParseContract.near(valid, "0123456789.kMGTbit/ps-E ");
    }
}
