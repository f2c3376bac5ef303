package dev.iov.infiniband.sm;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds {@link SubnetManagerProvider}s with {@link ServiceLoader} and holds the argument and settings checks every
 * plug-in shares, so each refuses bad input with the same words.
 */
public final class SubnetManagers {

    private static final int DEFAULT_PARTITION = 0x7fff;

    private SubnetManagers() {
    }

    /**
     * @return the providers on the class path by type
     * @throws IllegalStateException when two providers claim one type
     */
    public static Map<String, SubnetManagerProvider> providers() {
        Map<String, SubnetManagerProvider> byType = new TreeMap<>();
        for (SubnetManagerProvider p : ServiceLoader.load(SubnetManagerProvider.class,
                SubnetManagers.class.getClassLoader())) {
            SubnetManagerProvider old = byType.putIfAbsent(p.type(), p);
            if (old != null) {
                throw new IllegalStateException("two subnet manager providers for type '" + p.type() + "': "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return byType;
    }

    /**
     * @param type {@code opensm}, {@code ufm} or another provider's type
     * @param settings the provider's settings
     * @return a new subnet manager
     * @throws IllegalArgumentException for an unknown type (naming the known ones) or bad settings
     */
    public static SubnetManager create(String type, Map<String, String> settings) {
        Objects.requireNonNull(type, "type");
        Map<String, SubnetManagerProvider> providers = providers();
        SubnetManagerProvider p = providers.get(type);
        if (p == null) {
            throw new IllegalArgumentException("unknown subnet manager type '" + type + "'; known: "
                    + providers.keySet());
        }
        return p.create(Map.copyOf(settings));
    }

    /** Same message style as {@code dev.iov.api.spi.BackendSettings.requireKnownKeys}. */
    static void requireKnownKeys(String type, Map<String, String> settings, Set<String> known) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(type + " subnet manager: unknown setting(s) " + unknown + "; known: "
                    + new TreeSet<>(known));
        }
    }

    static String required(String type, Map<String, String> settings, String key) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(type + " subnet manager: setting '" + key + "' is required");
        }
        return v;
    }

    static boolean flag(String type, Map<String, String> settings, String key, boolean dflt) {
        String v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(type + " subnet manager: setting '" + key + "' is '" + v
                + "', expected true or false");
    }

    /** @return the partition in limited form */
    static PKey checkPartition(PKey partition) {
        Objects.requireNonNull(partition, "partition");
        if (partition.partition() == DEFAULT_PARTITION) {
            throw new IllegalArgumentException("invalid partition " + partition
                    + ": the default partition 0x7fff is not managed by iov");
        }
        return partition.asLimited();
    }

    static void checkMembers(PKey partition, List<SubnetMember> members) {
        Objects.requireNonNull(members, "members");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no members given for partition " + partition);
        }
        Set<Guid> seen = new HashSet<>();
        for (SubnetMember m : members) {
            Objects.requireNonNull(m, "member");
            if (!seen.add(m.guid())) {
                throw new IllegalArgumentException("GUID " + m.guid() + " listed twice for partition " + partition);
            }
        }
    }

    static void checkGuids(PKey partition, List<Guid> guids) {
        Objects.requireNonNull(guids, "guids");
        if (guids.isEmpty()) {
            throw new IllegalArgumentException("no GUIDs given for partition " + partition);
        }
        guids.forEach(g -> Objects.requireNonNull(g, "guid"));
    }
}
