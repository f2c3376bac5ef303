package dev.iov.infiniband.sm;

import java.util.Map;

/**
 * Creates {@link SubnetManager}s of one type from a settings map; found by {@link SubnetManagers} through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.iov.infiniband.sm.SubnetManagerProvider}).
 */
public interface SubnetManagerProvider {

    /** @return the type name, e.g. {@code opensm} or {@code ufm} */
    String type();

    /**
     * @param settings the settings; unknown keys are an error
     * @return a new subnet manager
     * @throws IllegalArgumentException naming the key when a setting is unknown, missing or invalid
     */
    SubnetManager create(Map<String, String> settings);
}
