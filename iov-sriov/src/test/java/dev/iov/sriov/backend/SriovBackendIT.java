package dev.iov.sriov.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.linux.Errno;
import dev.iov.sriov.VethNamespace;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import dev.iov.testing.Privileged;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VF requests really reach the kernel: the sysfs tree says the PF's netdev is {@code iov-pf0}, which is a veth
 * in a namespace the test creates. The kernel answers the VF request with EOPNOTSUPP, and the failed attach leaves
 * the pool, sysfs and the device as they were; it lists no VFs for the veth, so a restored VF is missing and an
 * abandon finds nothing to reset.
 */
@Privileged(tools = "ip")
class SriovBackendIT {

    @TempDir
    Path root;

    private VethNamespace veth;

    @BeforeEach
    void setUp() {
        veth = VethNamespace.create("iov-pf0");
    }

    @AfterEach
    void tearDown() {
        if (veth != null) {
            veth.close();
        }
    }

    private FakeSysfs sysfs;
    private SriovBackend backend;
    private VnicSpec spec;
    private AttachRequest request;

    private void build() {
        sysfs = FakeSysfs.builder().pf("0000:3b:00.0", Model.CONNECTX5).netdev("iov-pf0").vfs(2).and().build(root);
        backend = SriovBackend.builder("h1/sriov")
                .sysfs(SriovDiscovery.on(sysfs.sysfs()), SriovControl.on(sysfs.sysfs()))
                .netlink(VfNetlink.over(veth.rtnl())).bindVfio(true).build();
        spec = VnicSpec.builder("web-1", "web", "net42").mac(MacAddress.parse("02:69:6f:00:00:01")).build();
        request = new AttachRequest(spec, HostId.of("h1"), "uplink0", Network.vlan("net42", VlanId.of(42)),
                new VnicAddresses(spec.mac(), Optional.empty()));
    }

    @Test
    void theKernelsRefusalIsATypedErrorAndNothingChanges() {
        build();

        assertThatThrownBy(() -> backend.attach(request)).isInstanceOf(BackendException.class)
                .hasMessageContaining("the kernel refused VF 0 of iov-pf0")
                .satisfies(e -> assertThat(((BackendException) e).errno()).hasValue(Errno.EOPNOTSUPP.number()));

        assertThat(backend.pool().free()).isEqualTo(2);
        assertThat(sysfs.writes()).as("no vfio binding was attempted").isEmpty();
        assertThat(veth.rtnl().vfs(InterfaceName.of("iov-pf0"))).isEmpty();
        assertThat(veth.rtnl().link(InterfaceName.of("iov-pf0")).orElseThrow().macAddress())
                .as("the device's own MAC is untouched").isNotEqualTo(spec.mac());
    }

    @Test
    void aRecordedVfTheKernelDoesNotListIsMissingAndAbandonFindsNothing() {
        build();
        Attachment recorded = new Attachment(spec.id(), "h1/sriov", "0000:3b:00.0/vf0",
                Map.of(SriovBackend.PCI, "0000:3b:00.2"));

        RestoreReport report = backend.restore(List.of(new RecordedAttachment(request, recorded)));
        backend.abandon(request);

        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .isEqualTo("the kernel does not list VF 0 of iov-pf0"));
        assertThat(backend.pool().free()).as("the VF exists in sysfs: kept for web-1").isEqualTo(1);
        assertThat(sysfs.writes()).isEmpty();
    }
}
