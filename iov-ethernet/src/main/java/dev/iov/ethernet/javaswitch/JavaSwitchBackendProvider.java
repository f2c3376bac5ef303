package dev.iov.ethernet.javaswitch;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.spi.BackendProvider;
import dev.iov.api.spi.IoBackend;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Provides {@link JavaSwitchBackend}s as backend type {@code java-switch}. Settings:
 * <ul>
 *   <li>{@code uplink}: an interface of the process's namespace bound with {@code AF_PACKET} as a trunk port
 *       (optional; without it the switch only connects its vNICs);</li>
 *   <li>{@code max-ports}: the most ports, uplink included, 1-1024 (default 64).</li>
 * </ul>
 * TAPs are created in the process's namespace; placing them in VM namespaces is a programmatic choice
 * ({@link JavaSwitchBackend.Builder#tapPlacement}), since a namespace handle cannot be written in configuration.
 */
public final class JavaSwitchBackendProvider implements BackendProvider {

    private static final Set<String> KEYS = Set.of("uplink", "max-ports");

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JavaSwitchBackendProvider() {
    }

    @Override
    public String type() {
        return "java-switch";
    }

    @Override
    public IoBackend create(String id, Map<String, String> config) {
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("java-switch backend '" + id + "': unknown setting(s) " + unknown
                    + "; known: " + new TreeSet<>(KEYS));
        }
        JavaSwitchBackend.Builder b = JavaSwitchBackend.builder(id);
        String maxPorts = config.get("max-ports");
        if (maxPorts != null) {
            int value;
            try {
                value = Integer.parseInt(maxPorts.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("java-switch backend '" + id + "': max-ports '" + maxPorts
                        + "' is not a number", e);
            }
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("java-switch backend '" + id + "': max-ports " + value
                        + " is outside 1-1024");
            }
            b.maxPorts(value);
        }
        String uplink = config.get("uplink");
        if (uplink != null) {
            InterfaceName name;
            try {
                name = InterfaceName.of(uplink);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("java-switch backend '" + id + "': uplink: " + e.getMessage(), e);
            }
            b.uplink(name);
        }
        return b.build();
    }
}
