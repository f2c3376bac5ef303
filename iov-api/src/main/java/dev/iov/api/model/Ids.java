package dev.iov.api.model;

import java.util.regex.Pattern;

/** The one rule for identifiers of hosts, networks and vNICs, so every id is safe in store keys, file names and logs. */
final class Ids {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Ids() {
    }

    static String check(String kind, String value) {
        if (value == null) {
            throw new NullPointerException(kind + " id is null");
        }
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + kind + " id '" + value
                    + "': use 1-64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return value;
    }
}
