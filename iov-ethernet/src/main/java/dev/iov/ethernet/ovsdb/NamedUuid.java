package dev.iov.ethernet.ovsdb;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference, inside one transaction, to a row that an earlier {@code insert} of the same transaction creates: the
 * OVSDB atom {@code ["named-uuid","<id>"]}.
 *
 * @param name the {@code uuid-name} given to the insert; an OVSDB {@code <id>} ({@code [A-Za-z_][A-Za-z0-9_]*})
 */
public record NamedUuid(String name) {

    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * @param name the uuid-name
     * @throws IllegalArgumentException when it is not an OVSDB id
     */
    public NamedUuid {
        Objects.requireNonNull(name, "name");
        if (!ID.matcher(name).matches()) {
            throw new IllegalArgumentException("not an OVSDB uuid-name ([A-Za-z_][A-Za-z0-9_]*): '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
