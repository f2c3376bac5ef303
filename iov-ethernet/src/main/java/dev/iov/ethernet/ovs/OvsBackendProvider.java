package dev.iov.ethernet.ovs;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.BackendProvider;
import dev.iov.api.spi.BackendSettings;
import dev.iov.api.spi.IoBackend;
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.ethernet.ovsdb.OvsdbException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link OvsBackend}s as backend type {@code ovs}; a database that cannot be reached is a
 * {@link BackendException}. Settings:
 * <ul>
 *   <li>{@code db} (required): the OVSDB server, {@code unix:/path/db.sock} or {@code tcp:host:port}</li>
 *   <li>{@code bridge}: the bridge for vNIC ports, created (marked as iov's) if missing; default {@code iov-br0}</li>
 *   <li>{@code datapath-type}: for a bridge iov creates; {@code netdev} (userspace, no kernel module; the default)
 *       or {@code system}</li>
 *   <li>{@code port-type}: {@code internal} (default), {@code tap}, or {@code system} for a device that already
 *       exists in ovs-vswitchd's namespace under the port's name ({@link OvsBackend#portName})</li>
 *   <li>{@code timeout}: seconds to wait for a reply or for ovs-vswitchd to apply a change (an attach it does not
 *       apply in time is taken out of the database again and fails); default 10</li>
 * </ul>
 */
public final class OvsBackendProvider implements BackendProvider {

    private static final Set<String> KEYS = Set.of("db", "bridge", "datapath-type", "port-type", "timeout");

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public OvsBackendProvider() {
    }

    @Override
    public String type() {
        return "ovs";
    }

    @Override
    public IoBackend create(String id, Map<String, String> config) {
        BackendSettings.requireKnownKeys("ovs", id, config, KEYS);
        String db = config.get("db");
        if (db == null || !(db.startsWith("unix:") || db.startsWith("tcp:"))) {
            throw new IllegalArgumentException("ovs backend '" + id + "': setting db must be unix:PATH or "
                    + "tcp:HOST:PORT, got " + (db == null ? "nothing" : "'" + db + "'"));
        }
        String bridge = config.getOrDefault("bridge", "iov-br0");
        try {
            InterfaceName.of(bridge);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ovs backend '" + id + "': setting bridge '" + bridge + "': "
                    + e.getMessage(), e);
        }
        String datapath = config.getOrDefault("datapath-type", "netdev");
        if (!Set.of("netdev", "system").contains(datapath)) {
            throw new IllegalArgumentException("ovs backend '" + id + "': setting datapath-type '" + datapath
                    + "' is not netdev or system");
        }
        String portTypeText = config.getOrDefault("port-type", "internal");
        InterfaceType portType = switch (portTypeText.toLowerCase(Locale.ROOT)) {
            case "internal" -> InterfaceType.INTERNAL;
            case "tap" -> InterfaceType.TAP;
            case "system" -> InterfaceType.SYSTEM;
            default -> throw new IllegalArgumentException("ovs backend '" + id + "': setting port-type '"
                    + portTypeText + "' is not internal, tap or system");
        };
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(config.getOrDefault("timeout", "10")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ovs backend '" + id + "': setting timeout '" + config.get("timeout")
                    + "' is not a whole number of seconds", e);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ovs backend '" + id + "': setting timeout '" + config.get("timeout")
                    + "' must be positive");
        }
        OvsdbClient client = null;
        try {
            client = OvsdbClient.connect(db, timeout);
            return new OvsBackend(id, client, new OvsSwitch(client, id, timeout), bridge, datapath, portType);
        } catch (OvsdbException e) {
            if (client != null) {
                client.close();
            }
            throw new BackendException(id, "open " + db + " bridge " + bridge, e.getMessage(), 0, e);
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            throw e;
        }
    }
}
