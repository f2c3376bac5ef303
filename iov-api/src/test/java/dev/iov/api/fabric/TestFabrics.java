package dev.iov.api.fabric;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.PKey;
import dev.iov.api.net.VlanId;

/** The small fabric the fabric tests share: three hosts with different backends, three networks. */
final class TestFabrics {
    static final Network TENANT_A = Network.vlan("tenant-a", VlanId.of(10)).withDefaultMaxRate(Bandwidth.ofGbps(2));
    static final Network TENANT_B = Network.vlan("tenant-b", VlanId.of(20));
    static final Network STORAGE = Network.ibPartition("storage", PKey.of(0x8010));

    /** h1: one 10G vswitch uplink. */
    static final Host H1 = Host.of("h1", Uplink.ethernet("eth0", Bandwidth.ofGbps(10), BackendKind.VSWITCH_PORT));
    /** h2: one 10G SR-IOV NIC that also carries a vswitch. */
    static final Host H2 = Host.of("h2",
            Uplink.ethernet("eth0", Bandwidth.ofGbps(10), BackendKind.SRIOV_VF, BackendKind.VSWITCH_PORT));
    /** h3: a 1G vswitch uplink and a 100G InfiniBand port. */
    static final Host H3 = Host.of("h3", Uplink.ethernet("eth0", Bandwidth.ofGbps(1), BackendKind.VSWITCH_PORT),
            Uplink.infiniband("mlx5_0/1", Bandwidth.ofGbps(100)));

    private TestFabrics() {
    }
}
