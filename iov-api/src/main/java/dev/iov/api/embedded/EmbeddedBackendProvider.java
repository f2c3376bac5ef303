package dev.iov.api.embedded;

import dev.iov.api.model.BackendKind;
import dev.iov.api.spi.BackendProvider;
import dev.iov.api.spi.IoBackend;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link EmbeddedBackend}s as backend type {@code embedded}. One setting: {@code kind} ({@code vswitch_port}
 * by default, or {@code sriov_vf}, {@code ib_vf}).
 */
public final class EmbeddedBackendProvider implements BackendProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public EmbeddedBackendProvider() {
    }

    @Override
    public String type() {
        return "embedded";
    }

    @Override
    public IoBackend create(String id, Map<String, String> config) {
        Set<String> unknown = new java.util.TreeSet<>(config.keySet());
        unknown.remove("kind");
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("embedded backend '" + id + "': unknown setting(s) " + unknown
                    + "; known: [kind]");
        }
        String kindText = config.getOrDefault("kind", "vswitch_port");
        BackendKind kind;
        try {
            kind = BackendKind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("embedded backend '" + id + "': kind '" + kindText
                    + "' is not one of sriov_vf, vswitch_port, ib_vf", e);
        }
        return EmbeddedBackend.of(id, kind);
    }
}
