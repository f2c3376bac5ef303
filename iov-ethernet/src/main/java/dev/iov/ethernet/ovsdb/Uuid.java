package dev.iov.ethernet.ovsdb;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A row's UUID, the OVSDB atom {@code ["uuid","<36 characters>"]}.
 *
 * @param value the UUID in its canonical lower-case text form
 */
public record Uuid(String value) {

    private static final Pattern FORM = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * @param value the UUID text, any case
     * @throws IllegalArgumentException when it is not a UUID
     */
    public Uuid {
        Objects.requireNonNull(value, "value");
        value = value.toLowerCase(Locale.ROOT);
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a UUID: '" + value + "'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
