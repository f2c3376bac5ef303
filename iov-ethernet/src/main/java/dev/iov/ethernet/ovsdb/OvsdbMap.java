package dev.iov.ethernet.ovsdb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OVSDB map {@code ["map",[[key, value], ...]]} of atoms, such as {@code external_ids} or {@code statistics}.
 *
 * @param entries the pairs, in the order given
 */
public record OvsdbMap(Map<Object, Object> entries) {

    /** The empty map. */
    public static final OvsdbMap EMPTY = new OvsdbMap(Map.of());

    /** @param entries the pairs */
    public OvsdbMap {
        LinkedHashMap<Object, Object> copy = new LinkedHashMap<>(entries);
        copy.forEach((k, v) -> {
            OvsdbValues.requireAtom(k);
            OvsdbValues.requireAtom(v);
        });
        entries = Collections.unmodifiableMap(copy);
    }

    /**
     * @param entries string pairs
     * @return the map of them
     */
    public static OvsdbMap ofStrings(Map<String, String> entries) {
        return new OvsdbMap(new LinkedHashMap<>(entries));
    }

    /**
     * @return the entries whose key and value are both strings, as a string map (how {@code external_ids} and
     *     {@code other_config} are used)
     */
    public Map<String, String> strings() {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k instanceof String key && v instanceof String value) {
                out.put(key, value);
            }
        });
        return out;
    }

    /** @return the entries whose key is a string and value an integer (how {@code statistics} is used) */
    public Map<String, Long> longs() {
        Map<String, Long> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k instanceof String key && v instanceof Long value) {
                out.put(key, value);
            }
        });
        return out;
    }
}
