package dev.iov.api.net;

import java.math.BigDecimal;

/**
 * A data rate in bits per second, 0 to {@link Long#MAX_VALUE}.
 *
 * <p>Units are decimal SI (k = 1000, M = 10<sup>6</sup>, G = 10<sup>9</sup>, T = 10<sup>12</sup>), as link speeds and
 * {@code tc} rates are. {@link #parse} reads {@code 100M}, {@code 2.5G}, {@code 10Gbit/s}, {@code 1.5Mbps},
 * {@code 500k}, {@code 1000}. Note that {@code bps} here means <em>bits</em> per second, unlike {@code tc}, where it
 * means bytes.
 *
 * <p>Canonical text: the largest unit in which the value is at least 1 and exact with at most three decimals, then
 * {@code bit/s}: {@code 2.5Gbit/s}, {@code 100Mbit/s}, {@code 1.234kbit/s}, {@code 999bit/s}, {@code 0bit/s}.
 */
public final class Bandwidth implements Comparable<Bandwidth> {

    private static final String KIND = "bandwidth";
    /** Longer text is refused before it reaches {@link BigDecimal}, whose cost grows with the digit count. */
    private static final int MAX_TEXT = 64;
    private static final long KILO = 1_000L;
    private static final long MEGA = 1_000_000L;
    private static final long GIGA = 1_000_000_000L;
    private static final long TERA = 1_000_000_000_000L;
    private static final long[] UNITS = {TERA, GIGA, MEGA, KILO};
    private static final String[] PREFIXES = {"T", "G", "M", "k"};
    private static final String UNITS_HELP = "use k, M, G or T, optionally followed by bit/s, bit or bps";

    /** No bandwidth at all, {@code 0bit/s}. */
    public static final Bandwidth ZERO = new Bandwidth(0);

    private final long bitsPerSecond;

    private Bandwidth(long bitsPerSecond) {
        this.bitsPerSecond = bitsPerSecond;
    }

    /**
     * Returns the rate.
     *
     * @param bitsPerSecond bits per second, not negative
     * @return the rate
     * @throws IllegalArgumentException when the rate is negative
     */
    public static Bandwidth ofBitsPerSecond(long bitsPerSecond) {
        if (bitsPerSecond < 0) {
            throw Invalid.value(KIND, bitsPerSecond + "bit/s", "negative");
        }
        return bitsPerSecond == 0 ? ZERO : new Bandwidth(bitsPerSecond);
    }

    /**
     * Returns the rate.
     *
     * @param kbps kilobits (1000 bits) per second, not negative
     * @return the rate
     * @throws IllegalArgumentException when the rate is negative or exceeds {@link Long#MAX_VALUE} bit/s
     */
    public static Bandwidth ofKbps(long kbps) {
        return scaled(kbps, KILO, "k");
    }

    /**
     * Returns the rate.
     *
     * @param mbps megabits (10<sup>6</sup> bits) per second, not negative
     * @return the rate
     * @throws IllegalArgumentException when the rate is negative or exceeds {@link Long#MAX_VALUE} bit/s
     */
    public static Bandwidth ofMbps(long mbps) {
        return scaled(mbps, MEGA, "M");
    }

    /**
     * Returns the rate.
     *
     * @param gbps gigabits (10<sup>9</sup> bits) per second, not negative
     * @return the rate
     * @throws IllegalArgumentException when the rate is negative or exceeds {@link Long#MAX_VALUE} bit/s
     */
    public static Bandwidth ofGbps(long gbps) {
        return scaled(gbps, GIGA, "G");
    }

    private static Bandwidth scaled(long amount, long unit, String prefix) {
        String input = amount + prefix + "bit/s";
        if (amount < 0) {
            throw Invalid.value(KIND, input, "negative");
        }
        if (amount > Long.MAX_VALUE / unit) {
            throw Invalid.value(KIND, input, "more than " + Long.MAX_VALUE + "bit/s");
        }
        return ofBitsPerSecond(amount * unit);
    }

    /**
     * Parses a number with an optional decimal fraction, an optional SI prefix ({@code k}, {@code M}, {@code G},
     * {@code T}, either case) and an optional {@code bit/s}, {@code bit} or {@code bps}; no spaces. A plain number
     * is bits per second.
     *
     * @param text e.g. {@code 100M}, {@code 2.5G}, {@code 10Gbit/s}, {@code 1.5Mbps}, {@code 1000}
     * @return the rate
     * @throws IllegalArgumentException when the text is not in that form, is negative, is not a whole number of bits
     *     per second, or exceeds {@link Long#MAX_VALUE} bit/s
     */
    public static Bandwidth parse(String text) {
        int length = text.length();
        if (length == 0) {
            throw Invalid.value(KIND, text, "empty");
        }
        if (length > MAX_TEXT) {
            throw Invalid.value(KIND, text, "longer than " + MAX_TEXT + " characters");
        }
        if (text.charAt(0) == '-') {
            throw Invalid.value(KIND, text, "negative");
        }
        int end = digitsEnd(text, 0);
        if (end == 0) {
            throw Invalid.value(KIND, text, "does not start with a number");
        }
        if (end < length && text.charAt(end) == '.') {
            int fractionEnd = digitsEnd(text, end + 1);
            if (fractionEnd == end + 1) {
                throw Invalid.value(KIND, text, "no digits after the decimal point");
            }
            end = fractionEnd;
        }
        long unit = unit(text, end);
        // The number is only ASCII digits and at most one '.', so BigDecimal sees no sign or exponent.
        BigDecimal bits = new BigDecimal(text.substring(0, end)).multiply(BigDecimal.valueOf(unit));
        if (bits.remainder(BigDecimal.ONE).signum() != 0) {
            throw Invalid.value(KIND, text, "not a whole number of bits per second");
        }
        if (bits.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw Invalid.value(KIND, text, "more than " + Long.MAX_VALUE + "bit/s");
        }
        return ofBitsPerSecond(bits.longValue());
    }

    private static int digitsEnd(String text, int from) {
        int i = from;
        while (i < text.length() && Digits.isDecimal(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static long unit(String text, int from) {
        long unit = 1;
        int at = from;
        if (at < text.length()) {
            unit = switch (text.charAt(at)) {
                case 'k', 'K' -> KILO;
                case 'm', 'M' -> MEGA;
                case 'g', 'G' -> GIGA;
                case 't', 'T' -> TERA;
                default -> 1;
            };
            if (unit != 1) {
                at++;
            }
        }
        String suffix = text.substring(at);
        if (!suffix.isEmpty() && !suffix.equals("bit/s") && !suffix.equals("bit") && !suffix.equals("bps")) {
            throw Invalid.value(KIND, text, "unknown unit '" + text.substring(from) + "' (" + UNITS_HELP + ")");
        }
        return unit;
    }

    /** @return the rate in bits per second */
    public long bitsPerSecond() {
        return bitsPerSecond;
    }

    /** @return the rate in kilobits per second, rounded down */
    public long toKbps() {
        return bitsPerSecond / KILO;
    }

    /** @return the rate in megabits per second, rounded down */
    public long toMbps() {
        return bitsPerSecond / MEGA;
    }

    /**
     * Adds two rates, e.g. to sum the guaranteed rates on an uplink.
     *
     * @param other the rate to add
     * @return the sum
     * @throws ArithmeticException when the sum exceeds {@link Long#MAX_VALUE} bit/s
     */
    public Bandwidth plus(Bandwidth other) {
        return ofBitsPerSecond(Math.addExact(bitsPerSecond, other.bitsPerSecond));
    }

    /**
     * Orders by rate.
     *
     * @param other another rate
     * @return negative, zero or positive as this rate is below, equal to or above {@code other}
     */
    @Override
    public int compareTo(Bandwidth other) {
        return Long.compare(bitsPerSecond, other.bitsPerSecond);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bandwidth && ((Bandwidth) o).bitsPerSecond == bitsPerSecond;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bitsPerSecond);
    }

    /** @return the canonical text, e.g. {@code 2.5Gbit/s}, {@code 100Mbit/s}, {@code 0bit/s} */
    @Override
    public String toString() {
        for (int i = 0; i < UNITS.length; i++) {
            long unit = UNITS[i];
            long milli = unit / KILO;
            if (bitsPerSecond >= unit && bitsPerSecond % milli == 0) {
                long whole = bitsPerSecond / unit;
                long thousandths = (bitsPerSecond % unit) / milli;
                return whole + fraction(thousandths) + PREFIXES[i] + "bit/s";
            }
        }
        return bitsPerSecond + "bit/s";
    }

    private static String fraction(long thousandths) {
        if (thousandths == 0) {
            return "";
        }
        String digits = String.format(".%03d", thousandths);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
