package dev.iov.infiniband.backend;

import dev.iov.api.net.Guid;
import dev.iov.api.spi.BackendProvider;
import dev.iov.api.spi.BackendSettings;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.journal.JournalStateStore;
import dev.iov.infiniband.partition.Membership;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.infiniband.sm.SubnetManagers;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.backend.VfNetlink;
import dev.iov.sriov.backend.VfSelector;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Provides {@link InfinibandBackend}s as backend type {@code infiniband}. Settings:
 * <ul>
 *   <li>{@code sm}: the subnet manager type, {@code opensm} or {@code ufm} (required); every {@code sm.KEY} setting
 *       is handed to it as {@code KEY} (e.g. {@code sm.partitions-file}, {@code sm.url});</li>
 *   <li>{@code sysfs-root}: where sysfs is mounted (default {@code /sys});</li>
 *   <li>{@code vendor}, {@code device}, {@code pf}, {@code driver}, {@code numa-node}: which HCA PFs to take VFs from
 *       (default every SR-IOV network PF with a netdev);</li>
 *   <li>{@code guid-method}: {@code netlink} (default) or {@code mlx5-sysfs} (see {@link VfGuidWriter});</li>
 *   <li>{@code membership}: {@code full} (default) or {@code limited}; {@code index0}: {@code true} or
 *       {@code false} (default);</li>
 *   <li>{@code guid-range}: {@code FIRST-LAST}, the GUIDs that are iov's (default the fabric's default GUID pool,
 *       {@code 0269:6f00:0000:0000-0269:6fff:ffff:ffff});</li>
 *   <li>{@code lease-dir}: a directory for a journal of leases (optional: after a restart the fabric's records of
 *       the attachments are the source of truth and {@code restore} rebuilds the leases from them; the journal serves
 *       a fabric that does not restore, and is kept in line with the records when both exist).</li>
 * </ul>
 */
public final class InfinibandBackendProvider implements BackendProvider {

    /** The type name. */
    public static final String TYPE = "infiniband";

    private static final Set<String> KEYS;

    static {
        Set<String> keys = new TreeSet<>(VfSelector.KEYS);
        keys.addAll(Set.of("sm", "sysfs-root", "guid-method", "membership", "index0", "guid-range", "lease-dir"));
        KEYS = Set.copyOf(keys);
    }

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public InfinibandBackendProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public IoBackend create(String id, Map<String, String> config) {
        String source = "infiniband backend '" + id + "'";
        Map<String, String> own = new HashMap<>();
        Map<String, String> smSettings = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith("sm.")) {
                smSettings.put(key.substring(3), value);
            } else {
                own.put(key, value);
            }
        });
        BackendSettings.requireKnownKeys(TYPE, id, own, KEYS);
        String smType = own.get("sm");
        if (smType == null || smType.isBlank()) {
            throw new IllegalArgumentException(source + ": setting 'sm' is required (opensm or ufm)");
        }
        Path root = Path.of(own.getOrDefault("sysfs-root", "/sys"));
        if (!Files.isDirectory(root.resolve("bus/pci/devices"))) {
            throw new IllegalArgumentException(source + ": sysfs-root '" + root + "' has no bus/pci/devices");
        }
        String method = own.getOrDefault("guid-method", "netlink");
        if (!method.equals("netlink") && !method.equals("mlx5-sysfs")) {
            throw new IllegalArgumentException(source + ": guid-method '" + method
                    + "' is not netlink or mlx5-sysfs");
        }
        Membership membership = switch (own.getOrDefault("membership", "full")) {
            case "full" -> Membership.FULL;
            case "limited" -> Membership.LIMITED;
            default -> throw new IllegalArgumentException(source + ": membership '" + own.get("membership")
                    + "' is not full or limited");
        };
        boolean index0 = BackendSettings.flag(source, own, "index0", false);
        VfSelector selector = VfSelector.parse(own, source);
        InfinibandBackend.Builder builder = InfinibandBackend.builder(id).selector(selector).membership(membership)
                .index0(index0);
        if (own.containsKey("guid-range")) {
            setRange(builder, own.get("guid-range"), source);
        }
        Sysfs sysfs = Sysfs.at(root);
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            SubnetManager sm = SubnetManagers.create(smType, smSettings);
            opened.push(sm);
            if (own.containsKey("lease-dir")) {
                StateStore leases = JournalStateStore.open(Path.of(own.get("lease-dir")));
                opened.push(leases);
                builder.leaseStore(leases);
            }
            Rtnetlink rtnl = Rtnetlink.open();
            opened.push(rtnl);
            VfNetlink netlink = VfNetlink.over(rtnl);
            builder.discovery(SriovDiscovery.on(sysfs)).netlink(netlink).subnetManager(sm)
                    .guidWriter(method.equals("netlink") ? VfGuidWriter.netlink(netlink) : VfGuidWriter.mlx5Sysfs(sysfs))
                    .closing(() -> closeAll(opened));
            return builder.build();
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e instanceof IllegalArgumentException iae
                    ? new IllegalArgumentException(source + ": " + iae.getMessage(), iae) : e;
        }
    }

    private static void setRange(InfinibandBackend.Builder builder, String text, String source) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException(source + ": guid-range '" + text + "' is not FIRST-LAST");
        }
        try {
            builder.ownedGuids(Guid.parse(text.substring(0, dash).strip()), Guid.parse(text.substring(dash + 1).strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": guid-range '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Newest first, as a stack unwinds; every resource is closed even when one fails. */
    private static void closeAll(Deque<AutoCloseable> opened) {
        RuntimeException first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
