package dev.iov.bench.report;

import java.util.Locale;

/** Number formats of the report: about three significant digits, thousands grouped with a thin space. */
final class Fmt {
    private Fmt() {
    }

    /** @return the value with about three significant digits, or {@code –} when NaN */
    static String num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        double abs = Math.abs(value);
        String text;
        if (abs >= 100) {
            text = String.format(Locale.ROOT, "%,.0f", value).replace(',', '\u202f');
        } else if (abs >= 10) {
            text = String.format(Locale.ROOT, "%.1f", value);
        } else if (abs >= 1 || abs == 0) {
            text = String.format(Locale.ROOT, "%.2f", value);
        } else {
            text = String.format(Locale.ROOT, "%.3f", value);
        }
        return text;
    }

    /** @return the value and its unit, or {@code –} when NaN */
    static String num(double value, String unit) {
        return Double.isNaN(value) ? "–" : num(value) + " " + unit;
    }

    /** @return a ratio such as {@code 13.5×}, or {@code –} when NaN */
    static String ratio(double value) {
        return Double.isNaN(value) ? "–" : num(value) + "×";
    }

    /** @return a whole number with grouped thousands, e.g. {@code 100 000} */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value).replace(',', '\u202f');
    }
}
