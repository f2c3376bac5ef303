package dev.iov.bench.fabric;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.FabricBuilder;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.store.StateStore;
import java.util.List;

/**
 * The simulated data center of {@link FabricScaleBench}: {@code hosts} hosts, each with two 100 Gbit/s uplinks that
 * carry vswitch ports and one {@link EmbeddedBackend} (a port table in memory, as a real backend keeps its ports),
 * and {@value #NETWORKS} tenant VLANs. Admission is enforced at 4:1 oversubscription, and every vNIC has a
 * guaranteed and a maximum rate, so both of admission's sums are checked and charged on every provision.
 */
final class ScaleFabric {
    /** Tenant networks the vNICs are spread over. */
    static final int NETWORKS = 16;
    private static final Bandwidth UPLINK_SPEED = Bandwidth.ofGbps(100);
    private static final Bandwidth MIN_RATE = Bandwidth.ofMbps(10);
    private static final Bandwidth MAX_RATE = Bandwidth.ofMbps(50);

    private final Fabric fabric;
    private final HostId[] hostIds;
    private final List<EmbeddedBackend> backends;

    private ScaleFabric(Fabric fabric, HostId[] hostIds, List<EmbeddedBackend> backends) {
        this.fabric = fabric;
        this.hostIds = hostIds;
        this.backends = backends;
    }

    /**
     * Builds the fabric on a store and declares its networks.
     *
     * @param store where the fabric keeps its records
     * @param hosts how many hosts
     * @return the fabric, with no vNIC yet
     */
    static ScaleFabric create(StateStore store, int hosts) {
        FabricBuilder builder = Fabric.builder().store(store).oversubscription(OversubscriptionPolicy.allowUpTo(4.0));
        HostId[] ids = new HostId[hosts];
        EmbeddedBackend[] backends = new EmbeddedBackend[hosts];
        for (int h = 0; h < hosts; h++) {
            Host host = Host.of(hostName(h), Uplink.ethernet("eth0", UPLINK_SPEED, BackendKind.VSWITCH_PORT),
                    Uplink.ethernet("eth1", UPLINK_SPEED, BackendKind.VSWITCH_PORT));
            backends[h] = EmbeddedBackend.of(hostName(h) + "-vs", BackendKind.VSWITCH_PORT);
            builder.host(host, backends[h]);
            ids[h] = host.id();
        }
        Fabric fabric = builder.build();
        for (int n = 0; n < NETWORKS; n++) {
            fabric.defineNetwork(Network.vlan(networkName(n), VlanId.of(100 + n)));
        }
        return new ScaleFabric(fabric, ids, List.of(backends));
    }

    /**
     * The specs of {@code count} vNICs: two per VM, round-robin over the networks.
     *
     * @param prefix makes the ids unique among runs on one fabric
     * @param count how many
     * @return the specs, in provisioning order
     */
    static VnicSpec[] specs(String prefix, int count) {
        VnicSpec[] specs = new VnicSpec[count];
        for (int i = 0; i < count; i++) {
            specs[i] = VnicSpec.builder(prefix + i, prefix + "vm" + (i / 2), networkName(i % NETWORKS))
                    .minRate(MIN_RATE).maxRate(MAX_RATE).backends(BackendKind.VSWITCH_PORT).build();
        }
        return specs;
    }

    /** @return the host vNIC {@code i} goes to: round-robin, so every host gets the same share */
    HostId hostOf(int i) {
        return hostIds[i % hostIds.length];
    }

    /** @return the hosts */
    HostId[] hostIds() {
        return hostIds.clone();
    }

    /** @return the fabric */
    Fabric fabric() {
        return fabric;
    }

    /** @return how many ports all backends hold: what they would report to drift detection */
    int ports() {
        return backends.stream().mapToInt(b -> b.device().ports().size()).sum();
    }

    private static String hostName(int h) {
        return String.format("host-%04d", h);
    }

    private static String networkName(int n) {
        return "tenant-" + n;
    }
}
