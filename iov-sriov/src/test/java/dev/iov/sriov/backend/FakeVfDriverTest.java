package dev.iov.sriov.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import org.junit.jupiter.api.Test;

/** The fake PF driver answers the request bytes iov sends as the kernel and a driver would. */
class FakeVfDriverTest {

    private static final InterfaceName PF = InterfaceName.of("ens1f0");

    private final FakeVfDriver driver = new FakeVfDriver().pf("ens1f0", 2);

    @Test
    void everySettingGoesThroughTheRequestBytesAndReadsBack() {
        driver.setVf(PF, VfConfig.forVf(1).mac(MacAddress.parse("02:69:6f:00:00:07"))
                .vlan(VlanId.of(300), 5, VlanProtocol.IEEE_802_1AD).minTxRate(Bandwidth.ofMbps(100))
                .maxTxRate(Bandwidth.ofMbps(2500)).spoofCheck(false).trust(true).linkState(VfLinkState.DISABLE)
                .build());

        VfInfo vf = driver.vf("ens1f0", 1);
        assertThat(vf.mac()).contains(MacAddress.parse("02:69:6f:00:00:07"));
        assertThat(vf.vlan()).contains(VlanId.of(300));
        assertThat(vf.qos()).isEqualTo(5);
        assertThat(vf.vlanProtocol()).isEqualTo(VlanProtocol.IEEE_802_1AD);
        assertThat(vf.minTxRate()).isEqualTo(Bandwidth.ofMbps(100));
        assertThat(vf.maxTxRate()).isEqualTo(Bandwidth.ofMbps(2500));
        assertThat(vf.spoofCheck()).contains(false);
        assertThat(vf.trusted()).contains(true);
        assertThat(vf.linkState()).isEqualTo(VfLinkState.DISABLE);
        assertThat(driver.vf("ens1f0", 0)).as("VF 0 untouched").isEqualTo(new FakeVfDriver().pf("x", 1).vf("x", 0));
    }

    @Test
    void oneRateIsCompletedWithTheOtherAsRtnetlinkDoes() {
        driver.setVf(PF, VfConfig.forVf(0).minTxRate(Bandwidth.ofMbps(10)).maxTxRate(Bandwidth.ofMbps(900)).build());

        driver.setVf(PF, VfConfig.forVf(0).maxTxRate(Bandwidth.ofMbps(400)).build());

        assertThat(driver.vf("ens1f0", 0).minTxRate()).isEqualTo(Bandwidth.ofMbps(10));
        assertThat(driver.vf("ens1f0", 0).maxTxRate()).isEqualTo(Bandwidth.ofMbps(400));
    }

    @Test
    void aRequestWithBothGuidsSetsOnlyTheNodeGuidAsTheKernelDoes() {
        Guid guid = Guid.parse("0269:6f00:0000:0001");

        driver.setVf(PF, VfConfig.forVf(0).nodeGuid(guid).portGuid(guid).build());

        assertThat(driver.vf("ens1f0", 0).nodeGuid()).contains(guid);
        assertThat(driver.vf("ens1f0", 0).portGuid()).as("do_setvfinfo returns after the node GUID").isEmpty();
        driver.setVf(PF, VfConfig.forVf(0).portGuid(guid).build());
        assertThat(driver.vf("ens1f0", 0).portGuid()).contains(guid);
    }

    @Test
    void anUnknownPfIsEnodevAndAVfPastTheEnabledOnesIsEinval() {
        assertThatThrownBy(() -> driver.setVf(InterfaceName.of("ens9"), VfConfig.forVf(0).trust(true).build()))
                .isInstanceOfSatisfying(LinuxException.class,
                        e -> assertThat(e.errno()).hasValue(Errno.ENODEV.number()));
        assertThatThrownBy(() -> driver.setVf(PF, VfConfig.forVf(2).trust(true).build()))
                .isInstanceOfSatisfying(LinuxException.class,
                        e -> assertThat(e.errno()).hasValue(Errno.EINVAL.number()));
        assertThatThrownBy(() -> driver.vfs(InterfaceName.of("ens9")))
                .isInstanceOfSatisfying(LinuxException.class,
                        e -> assertThat(e.errno()).hasValue(Errno.ENODEV.number()));
    }
}
