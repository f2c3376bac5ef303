package dev.iov.api.net;

/**
 * ASCII digit parsing for the value types.
 *
 * <p>{@link Character#digit(char, int)} and {@link Long#parseLong(String)} accept non-ASCII digits (Arabic-Indic,
 * fullwidth) and a leading sign, which no kernel or tool would print; these helpers accept exactly {@code 0-9},
 * {@code a-f} and {@code A-F} and report problems as return codes so each caller can word its own message.
 */
final class Digits {

    /** Returned by {@link #parse} when the text is empty or has a character that is not a digit. */
    static final long NOT_A_NUMBER = -1;
    /** Returned by {@link #parse} when the digits are valid but the value exceeds {@link Long#MAX_VALUE}. */
    static final long TOO_LARGE = -2;

    private Digits() {
    }

    /** Returns the value of an ASCII hex digit, or -1. */
    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean isDecimal(char c) {
        return c >= '0' && c <= '9';
    }

    /** Returns true when {@code text[from, to)} is non-empty and only ASCII hex digits. */
    static boolean isHex(String text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (hex(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code text[from, to)} as an unsigned number in radix 10 or 16. A bad digit wins over overflow so the
     * caller's message names the real problem.
     */
    static long parse(String text, int from, int to, int radix) {
        if (from >= to) {
            return NOT_A_NUMBER;
        }
        long value = 0;
        boolean overflow = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int digit = radix == 16 ? hex(c) : (isDecimal(c) ? c - '0' : -1);
            if (digit < 0) {
                return NOT_A_NUMBER;
            }
            if (value > (Long.MAX_VALUE - digit) / radix) {
                overflow = true;
            } else {
                value = value * radix + digit;
            }
        }
        return overflow ? TOO_LARGE : value;
    }
}
