package dev.iov.infiniband.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PKey;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.BackendException;
import dev.iov.infiniband.partition.ManagedPartitionsFile;
import dev.iov.infiniband.sm.OpenSmSubnetManager;
import dev.iov.linux.Errno;
import dev.iov.sriov.VethNamespace;
import dev.iov.sriov.backend.VfNetlink;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.SriovDiscovery;
import dev.iov.testing.Privileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GUID request really reaches the kernel: sysfs says the HCA PF's netdev is {@code iov-ib0}, a veth in a
 * namespace the test creates. The kernel answers the first GUID request ({@code IFLA_VF_IB_NODE_GUID}) on a device
 * without VFs with EOPNOTSUPP, and the failed attach leaves the pool, the lease store and OpenSM's file as they were;
 * abandoning it then reads the VFs from the kernel and finds nothing to clear.
 */
@Privileged(tools = "ip")
class InfinibandBackendIT {

    @TempDir
    Path dir;

    private VethNamespace veth;

    @BeforeEach
    void setUp() {
        veth = VethNamespace.create("iov-ib0");
    }

    @AfterEach
    void tearDown() {
        if (veth != null) {
            veth.close();
        }
    }

    @Test
    void theKernelsRefusalIsATypedErrorAndNothingChanges() throws Exception {
        Path sys = Files.createDirectory(dir.resolve("sys"));
        FakeSysfs sysfs = FakeSysfs.builder().pf("0000:86:00.0", FakeSysfs.Model.CONNECTX5_IB).netdev("iov-ib0")
                .vfs(2).and().build(sys);
        Path conf = dir.resolve("partitions.conf");
        String before = "Default=0x7fff,ipoib : ALL=full ;\n";
        Files.writeString(conf, before);
        InfinibandBackend backend = InfinibandBackend.builder("h1-ib").discovery(SriovDiscovery.on(sysfs.sysfs()))
                .netlink(VfNetlink.over(veth.rtnl()))
                .subnetManager(OpenSmSubnetManager.of(ManagedPartitionsFile.of(conf), true)).build();
        Guid guid = GuidPool.DEFAULT_FIRST;
        VnicSpec spec = VnicSpec.builder("mpi-1", "mpi", "storage").build();
        AttachRequest request = new AttachRequest(spec, HostId.of("h1"), "ib0",
                Network.ibPartition("storage", PKey.of(0x8001)), VnicAddresses.ofGuid(guid));

        assertThatThrownBy(() -> backend.attach(request)).isInstanceOf(BackendException.class)
                .hasMessageContaining("0000:86:00.0/vf0")
                .satisfies(e -> assertThat(((BackendException) e).errno()).hasValue(Errno.EOPNOTSUPP.number()));

        assertThat(backend.pool().free()).isEqualTo(2);
        assertThat(backend.leases()).isEmpty();
        assertThat(Files.readString(conf)).isEqualTo(before);
        assertThat(veth.rtnl().vfs(InterfaceName.of("iov-ib0"))).isEmpty();
        assertThat(Optional.of(backend.discover(HostId.of("h1")))).hasValueSatisfying(p -> assertThat(p).isEmpty());
        backend.abandon(request); // reads the veth's VFs from the kernel: none carries the GUID
        assertThat(Files.readString(conf)).isEqualTo(before);
    }
}
