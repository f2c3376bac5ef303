package dev.iov.sriov.backend;

import dev.iov.api.spi.BackendProvider;
import dev.iov.api.spi.BackendSettings;
import dev.iov.api.spi.IoBackend;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Provides {@link SriovBackend}s as backend type {@code sriov}. Settings:
 * <ul>
 *   <li>{@code sysfs-root}: where sysfs is mounted (default {@code /sys});</li>
 *   <li>{@code vendor}, {@code device}, {@code pf}, {@code driver}, {@code numa-node}: the {@link VfSelector} of the
 *       PFs to take VFs from (default: every SR-IOV network PF with a netdev);</li>
 *   <li>{@code vfio}: {@code true} to bind attached VFs to vfio-pci (default {@code false}).</li>
 * </ul>
 * VFs are programmed over rtnetlink in the process's network namespace, where the PF netdevs live.
 */
public final class SriovBackendProvider implements BackendProvider {

    private static final Set<String> KEYS;

    static {
        Set<String> keys = new TreeSet<>(VfSelector.KEYS);
        keys.add("sysfs-root");
        keys.add("vfio");
        KEYS = Set.copyOf(keys);
    }

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public SriovBackendProvider() {
    }

    @Override
    public String type() {
        return "sriov";
    }

    @Override
    public IoBackend create(String id, Map<String, String> config) {
        String source = "sriov backend '" + id + "'";
        BackendSettings.requireKnownKeys("sriov", id, config, KEYS);
        Path root = Path.of(config.getOrDefault("sysfs-root", "/sys"));
        if (!Files.isDirectory(root.resolve("bus/pci/devices"))) {
            throw new IllegalArgumentException(source + ": sysfs-root '" + root + "' has no bus/pci/devices");
        }
        boolean vfio = BackendSettings.flag(source, config, "vfio", false);
        VfSelector selector = VfSelector.parse(config, source);
        Sysfs sysfs = Sysfs.at(root);
        Rtnetlink rtnl = Rtnetlink.open();
        try {
            return SriovBackend.builder(id).sysfs(SriovDiscovery.on(sysfs), SriovControl.on(sysfs))
                    .netlink(VfNetlink.over(rtnl)).closing(rtnl).selector(selector).bindVfio(vfio).build();
        } catch (RuntimeException e) {
            rtnl.close();
            throw e;
        }
    }
}
