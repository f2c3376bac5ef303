package dev.iov.sriov.backend;

import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PciAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import dev.iov.linux.Errno;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import dev.iov.testing.IoBackendContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract for {@code sriov}, with vfio-pci binding on. The "hardware" is a kernel-shaped sysfs tree
 * ({@link FakeSysfs}: a ConnectX-5 and an XL710, three VFs each, their default VF drivers {@code mlx5_core} and
 * {@code iavf}) and the PF drivers behind netlink ({@link FakeVfDriver}, which decodes the real request bytes); both
 * outlive the backend instances of a test, so a restart is a new {@link SriovBackend} over the same tree and driver.
 * The real rtnetlink request is proven against the kernel in {@code SriovBackendIT}.
 */
class SriovBackendContractTest extends IoBackendContract {

    private static final Map<String, PfOnTree> PFS = Map.of(
            "ens1f0", new PfOnTree(PciAddress.parse("0000:3b:00.0"), Model.CONNECTX5),
            "ens2f0", new PfOnTree(PciAddress.parse("0000:5e:00.0"), Model.XL710));
    private static final int VFS = 3;

    private record PfOnTree(PciAddress address, Model model) {
    }

    @TempDir
    Path root;

    private FakeSysfs sysfs;
    private FakeVfDriver driver;

    @Override
    protected void createHost() {
        FakeSysfs.Builder tree = FakeSysfs.builder();
        driver = new FakeVfDriver();
        PFS.forEach((netdev, pf) -> {
            tree.pf(pf.address().toString(), pf.model()).netdev(netdev).vfs(VFS);
            driver.pf(netdev, VFS);
        });
        sysfs = tree.build(root);
    }

    @Override
    protected void destroyHost() {
        // the tree is in a @TempDir and the driver is garbage: nothing outlives the test
    }

    @Override
    protected IoBackend newBackend() {
        return SriovBackend.builder("h1/sriov")
                .sysfs(SriovDiscovery.on(sysfs.sysfs()), SriovControl.on(sysfs.sysfs()))
                .netlink(driver).bindVfio(true).build();
    }

    @Override
    protected List<Network> networks() {
        return List.of(Network.vlan("tenant-a", VlanId.of(101)), Network.vlan("tenant-b", VlanId.of(102)));
    }

    @Override
    protected VnicAddresses addresses(int n) {
        return VnicAddresses.ofMac(MacAddress.of(0x02_69_6f_00_01_00L + n));
    }

    /** The VF is programmed, then its vfio-pci bind is refused by the kernel (drivers_probe answers ENOMEM). */
    @Override
    protected void failNextAttachMidway() {
        sysfs.failNextWrite("bus/pci/drivers_probe", Errno.ENOMEM);
    }

    /** {@code ip link set PF vf N mac 00:00:00:00:00:00}, as a person resetting the VF would. */
    @Override
    protected void removeBehindTheBackendsBack(Attachment attachment) {
        int vf = Integer.parseInt(attachment.details().get(SriovBackend.VF));
        driver.tamper(attachment.details().get(SriovBackend.PF), vf, VfConfig.forVf(vf).clearMac().build());
    }

    /** Every VF's programmed state and its driver. */
    @Override
    protected Set<String> hostResources() {
        Set<String> lines = new TreeSet<>();
        driver.state().forEach((netdev, vfs) -> {
            PfOnTree pf = PFS.get(netdev);
            for (VfInfo vf : vfs) {
                PciAddress address = pf.model().vfAddress(pf.address(), vf.vf());
                lines.add(netdev + " vf" + vf.vf() + " " + address + " mac=" + vf.mac().map(Object::toString)
                        .orElse("-") + " vlan=" + vf.vlan().map(Object::toString).orElse("-") + "/" + vf.qos()
                        + " rate=" + vf.minTxRate() + ".." + vf.maxTxRate() + " spoofchk=" + vf.spoofCheck()
                        .orElseThrow() + " trust=" + vf.trusted().orElseThrow() + " link=" + vf.linkState()
                        + " driver=" + sysfs.driverOf(address.toString()).orElse("-"));
            }
        });
        return lines;
    }

    @Override
    protected Set<String> resourcesOf(Attachment attachment) {
        return Set.of(attachment.handle(), "VF " + attachment.details().get(SriovBackend.PCI));
    }
}
