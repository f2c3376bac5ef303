package dev.iov.api.spi;

import java.util.Map;

/**
 * Makes {@link IoBackend}s of one type; found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.iov.api.spi.BackendProvider}. Use {@link Backends#create} to look one up by type.
 */
public interface BackendProvider {

    /** @return the type name configuration uses ({@code java-switch}, {@code ovs}, {@code sriov}) */
    String type();

    /**
     * Creates a backend.
     *
     * @param id the new backend's {@link IoBackend#id() id}
     * @param config type-specific settings; unknown keys are an error
     * @return the backend
     * @throws IllegalArgumentException when a setting is missing or invalid (the message names the key and value)
     */
    IoBackend create(String id, Map<String, String> config);
}
