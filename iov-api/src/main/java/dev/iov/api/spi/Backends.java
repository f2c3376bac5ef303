package dev.iov.api.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link BackendProvider}s on the class path by type name. */
public final class Backends {

    private Backends() {
    }

    /**
     * @param classLoader where to look
     * @return every provider found, by type name
     * @throws IllegalStateException when two providers claim the same type
     */
    public static Map<String, BackendProvider> providers(ClassLoader classLoader) {
        Map<String, BackendProvider> byType = new TreeMap<>();
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class, classLoader)) {
            BackendProvider previous = byType.putIfAbsent(provider.type(), provider);
            if (previous != null) {
                throw new IllegalStateException("backend type '" + provider.type() + "' is provided twice: by "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return byType;
    }

    /**
     * Creates a backend of a named type.
     *
     * @param type the provider's {@link BackendProvider#type() type}
     * @param id the new backend's id
     * @param config type-specific settings
     * @return the backend
     * @throws IllegalArgumentException when no provider has that type (the message lists the types found) or the
     *     config is invalid
     */
    public static IoBackend create(String type, String id, Map<String, String> config) {
        Map<String, BackendProvider> providers = providers(Thread.currentThread().getContextClassLoader());
        BackendProvider provider = providers.get(type);
        if (provider == null) {
            throw new IllegalArgumentException("unknown backend type '" + type + "'; available: "
                    + (providers.isEmpty() ? "none" : String.join(", ", providers.keySet())));
        }
        return provider.create(id, config);
    }
}
