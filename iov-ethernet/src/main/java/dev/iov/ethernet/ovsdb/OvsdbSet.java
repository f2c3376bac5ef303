package dev.iov.ethernet.ovsdb;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An OVSDB set {@code ["set",[atom, ...]]}. Elements are atoms ({@link String}, {@link Long}, {@link Double},
 * {@link Boolean}, {@link Uuid}, {@link NamedUuid}). An empty set is how an optional column says "no value".
 *
 * @param elements the atoms, in the order given
 */
public record OvsdbSet(Set<Object> elements) {

    /** The empty set. */
    public static final OvsdbSet EMPTY = new OvsdbSet(Set.of());

    /** @param elements the atoms */
    public OvsdbSet {
        elements = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(elements));
        elements.forEach(OvsdbValues::requireAtom);
    }

    /**
     * @param atoms the atoms
     * @return the set of them
     */
    public static OvsdbSet of(Object... atoms) {
        return new OvsdbSet(new LinkedHashSet<>(java.util.Arrays.asList(atoms)));
    }

    /**
     * @param atoms the atoms
     * @return the set of them
     */
    public static OvsdbSet copyOf(Collection<?> atoms) {
        return new OvsdbSet(new LinkedHashSet<>(atoms));
    }
}
