package dev.iov.api.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks shared by every {@link BackendProvider} on the settings map it is given: a typo in a key must be an error
 * that names it, never a setting silently ignored.
 */
public final class BackendSettings {

    private BackendSettings() {
    }

    /**
     * @param type the backend type ({@code java-switch}, {@code ovs}, ...)
     * @param id the backend's id
     * @param settings the settings given to {@link BackendProvider#create}
     * @param known the keys the provider understands
     * @throws IllegalArgumentException naming the backend, the unknown keys and the known ones, when a key is unknown
     */
    public static void requireKnownKeys(String type, String id, Map<String, String> settings, Set<String> known) {
        Objects.requireNonNull(known, "known");
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(type + " backend '" + id + "': unknown setting(s) " + unknown
                    + "; known: " + new TreeSet<>(known));
        }
    }

    /**
     * Reads a boolean setting, which must be spelled {@code true} or {@code false}.
     *
     * @param source the backend, as messages name it ({@code sriov backend 'h1-vf'})
     * @param settings the settings
     * @param key the key
     * @param defaultValue the value when the key is absent
     * @return the value
     * @throws IllegalArgumentException naming the backend, the key and the value when it is neither word
     */
    public static boolean flag(String source, Map<String, String> settings, String key, boolean defaultValue) {
        String value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(source + ": " + key + " '" + value
                    + "' is not true or false");
        };
    }
}
