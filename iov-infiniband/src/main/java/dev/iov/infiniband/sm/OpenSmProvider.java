package dev.iov.infiniband.sm;

import dev.iov.infiniband.partition.ManagedPartitionsFile;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Type {@code opensm}: settings {@code partitions-file} (required, OpenSM's {@code partitions.conf}),
 * {@code pid-file} (optional, OpenSM's {@code --pidfile}; OpenSM then gets {@code SIGHUP} after each change) and
 * {@code ip-over-ib} ({@code true}/{@code false}, default true: partitions iov creates get the {@code ipoib} flag).
 */
public final class OpenSmProvider implements SubnetManagerProvider {

    /** The type name. */
    public static final String TYPE = "opensm";

    private static final Set<String> KEYS = Set.of("partitions-file", "pid-file", "ip-over-ib");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SubnetManager create(Map<String, String> settings) {
        SubnetManagers.requireKnownKeys(TYPE, settings, KEYS);
        Path file = Path.of(SubnetManagers.required(TYPE, settings, "partitions-file"));
        String pid = settings.get("pid-file");
        boolean ipoib = SubnetManagers.flag(TYPE, settings, "ip-over-ib", true);
        ManagedPartitionsFile managed = pid == null ? ManagedPartitionsFile.of(file)
                : ManagedPartitionsFile.of(file, Path.of(pid));
        return OpenSmSubnetManager.of(managed, ipoib);
    }
}
