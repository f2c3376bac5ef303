package dev.iov.api.net;

import java.nio.charset.StandardCharsets;

/**
 * A Linux network device name ({@code eth0}, {@code ens1f0v3}, {@code br-tenant42}).
 *
 * <p>Validation follows the kernel's {@code dev_valid_name()} in {@code net/core/dev.c} byte for byte on the UTF-8
 * encoding, so a name accepted here is never refused by {@code RTM_NEWLINK} for its spelling: not empty, at most 15
 * bytes ({@code IFNAMSIZ} is 16 including the NUL), not {@code .} or {@code ..}, and no {@code /}, {@code :} or
 * byte the kernel's {@code isspace()} matches (tab, LF, VT, FF, CR, space, and 0xa0, which appears inside the UTF-8
 * encoding of characters such as U+00A0 and U+00E0). NUL and unpaired surrogates are refused too, since they cannot
 * be passed to the kernel as written. Canonical text: the name itself. Ordering is {@link String#compareTo}.
 */
public final class InterfaceName implements Comparable<InterfaceName> {

    private static final String KIND = "interface name";
    /** {@code IFNAMSIZ - 1}: room for the terminating NUL. */
    private static final int MAX_BYTES = 15;

    private final String value;

    private InterfaceName(String value) {
        this.value = value;
    }

    /**
     * Returns the interface name.
     *
     * @param name the name
     * @return the interface name
     * @throws IllegalArgumentException when the kernel would refuse the name (the message says which rule)
     */
    public static InterfaceName of(String name) {
        if (name.isEmpty()) {
            throw Invalid.value(KIND, name, "empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw Invalid.value(KIND, name, "contains an unpaired surrogate, which has no UTF-8 encoding");
            }
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw Invalid.value(KIND, name,
                    bytes.length + " bytes in UTF-8, more than " + MAX_BYTES + " (IFNAMSIZ is 16 including the NUL)");
        }
        if (name.equals(".") || name.equals("..")) {
            throw Invalid.value(KIND, name, "'.' and '..' are not allowed");
        }
        for (byte b : bytes) {
            String problem = problem(b & 0xFF);
            if (problem != null) {
                throw Invalid.value(KIND, name, problem);
            }
        }
        return new InterfaceName(name);
    }

    private static String problem(int b) {
        switch (b) {
            case 0:
                return "contains a NUL character";
            case '/':
                return "contains '/'";
            case ':':
                return "contains ':'";
            case '\t', '\n', 0x0b, '\f', '\r', ' ':
                return "contains whitespace";
            case 0xa0:
                return "contains byte 0xa0 in UTF-8, which the kernel's isspace() treats as whitespace";
            default:
                return null;
        }
    }

    /** @return the name as given */
    public String value() {
        return value;
    }

    /**
     * Orders by {@link String#compareTo} of the names.
     *
     * @param other another name
     * @return negative, zero or positive as this name sorts before, with or after {@code other}
     */
    @Override
    public int compareTo(InterfaceName other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterfaceName && ((InterfaceName) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** @return the name */
    @Override
    public String toString() {
        return value;
    }
}
