package dev.iov.api.store;

import java.util.Objects;

/**
 * The rules for {@link StateStore} keys, prefixes and values, shared by every implementation so that a key valid
 * on one store is valid on all of them.
 *
 * <p>A key is a non-empty string of printable ASCII characters ({@code '!'} to {@code '~'}, so no whitespace or
 * control characters) of at most {@link #MAX_KEY_LENGTH} characters. A prefix follows the same rules but may be
 * empty. A value is at most {@link #MAX_VALUE_BYTES} bytes.
 */
public final class StoreKeys {

    /** The longest key, in characters (which are also bytes, keys being ASCII). */
    public static final int MAX_KEY_LENGTH = 1024;

    /** The largest value, in bytes: 16 MiB. */
    public static final int MAX_VALUE_BYTES = 16 * 1024 * 1024;

    /** How much of an offending key an error message shows; a 10 000 character key would drown the message. */
    private static final int MAX_SHOWN = 80;

    private StoreKeys() {
    }

    /**
     * Checks a key.
     *
     * @param key the key
     * @return {@code key}, for chaining
     * @throws NullPointerException when {@code key} is null
     * @throws IllegalArgumentException when the key is empty, too long, or has a character outside printable
     *     ASCII; the message names the key
     */
    public static String requireValidKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("invalid store key '': must not be empty");
        }
        checkCharacters("key", key);
        return key;
    }

    /**
     * Checks a key prefix as given to {@link StateStore#list} or {@link StateStore#watch}.
     *
     * @param prefix the prefix; may be empty
     * @return {@code prefix}, for chaining
     * @throws NullPointerException when {@code prefix} is null
     * @throws IllegalArgumentException when the prefix is too long or has a character outside printable ASCII
     */
    public static String requireValidPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        checkCharacters("key prefix", prefix);
        return prefix;
    }

    /**
     * Checks a value about to be written under {@code key}.
     *
     * @param key the key, named in the error message
     * @param value the value
     * @return {@code value}, for chaining
     * @throws NullPointerException when {@code value} is null
     * @throws IllegalArgumentException when the value is larger than {@link #MAX_VALUE_BYTES}
     */
    public static byte[] requireValidValue(String key, byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("value for store key '" + show(key) + "' is " + value.length
                    + " bytes, more than the maximum of " + MAX_VALUE_BYTES);
        }
        return value;
    }

    /**
     * Tells whether {@code key} is a valid key, without throwing.
     *
     * @param key the candidate, may be null
     * @return true when {@link #requireValidKey} would accept it
     */
    public static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (!isKeyChar(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static void checkCharacters(String what, String text) {
        if (text.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("invalid store " + what + " '" + show(text) + "': " + text.length()
                    + " characters, more than the maximum of " + MAX_KEY_LENGTH);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isKeyChar(c)) {
                throw new IllegalArgumentException("invalid store " + what + " '" + show(text) + "': character "
                        + escape(c) + " at index " + i + " is not printable ASCII (whitespace and control"
                        + " characters are not allowed)");
            }
        }
    }

    private static boolean isKeyChar(char c) {
        return c > ' ' && c < 0x7f;
    }

    /** The key as it may safely appear in a message or a log line: escaped and shortened. */
    private static String show(String text) {
        StringBuilder shown = new StringBuilder();
        int end = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            shown.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : escape(c));
        }
        if (end < text.length()) {
            shown.append("...");
        }
        return shown.toString();
    }

    private static String escape(char c) {
        switch (c) {
            case ' ':
                return "' '";
            case '\t':
                return "\\t";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            default:
                return String.format("\\u%04x", (int) c);
        }
    }
}
