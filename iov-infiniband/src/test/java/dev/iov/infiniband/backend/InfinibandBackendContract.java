package dev.iov.infiniband.backend;

import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.sriov.backend.FakeVfDriver;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.SriovDiscovery;
import dev.iov.testing.IoBackendContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract for {@code infiniband}, whatever the subnet manager: the HCA is a ConnectX-5 in InfiniBand
 * mode with four VFs laid out as sysfs does ({@link FakeSysfs}) behind a model of its PF driver that decodes the real
 * netlink requests ({@link FakeVfDriver}); the subnet manager's state is the subclass's. Both outlive the backend
 * instances of a test, so a restart is a new {@link InfinibandBackend}, with a new subnet-manager client, over the
 * same HCA and subnet manager. One network: an InfiniBand partition (an update cannot move a vNIC to another).
 */
abstract class InfinibandBackendContract extends IoBackendContract {

    /** The partition vNICs join. */
    static final Network STORAGE = Network.ibPartition("storage", PKey.of(0x8001));
    private static final String PF = "0000:86:00.0";

    @TempDir
    Path dir;

    private FakeSysfs sysfs;
    private FakeVfDriver driver;

    /**
     * Sets up the subnet manager's state for one test.
     *
     * @param dir a directory for its files
     * @throws Exception when it cannot be set up
     */
    protected abstract void createSubnetManager(Path dir) throws Exception;

    /** Stops what {@link #createSubnetManager} started. */
    protected abstract void destroySubnetManager();

    /** @return a new client of the subnet manager (a backend instance gets its own and closes it) */
    protected abstract SubnetManager newSubnetManagerClient();

    /**
     * @param builder a backend's builder with HCA, driver and subnet manager set
     * @return the builder with whatever else the subclass's backends use
     */
    protected InfinibandBackend.Builder configure(InfinibandBackend.Builder builder) {
        return builder;
    }

    @Override
    protected final void createHost() throws Exception {
        sysfs = FakeSysfs.builder().pf(PF, FakeSysfs.Model.CONNECTX5_IB).netdev("ib0").vfs(4).and()
                .build(Files.createDirectory(dir.resolve("sys")));
        driver = new FakeVfDriver().pf("ib0", 4);
        createSubnetManager(dir);
    }

    @Override
    protected final void destroyHost() {
        destroySubnetManager();
    }

    @Override
    protected final IoBackend newBackend() {
        SubnetManager sm = newSubnetManagerClient();
        return configure(InfinibandBackend.builder("h1/infiniband").discovery(SriovDiscovery.on(sysfs.sysfs()))
                .netlink(driver).subnetManager(sm).closing(sm)).build();
    }

    @Override
    protected final List<Network> networks() {
        return List.of(STORAGE);
    }

    @Override
    protected final VnicAddresses addresses(int n) {
        return VnicAddresses.ofGuid(Guid.of(GuidPool.DEFAULT_FIRST.toLong() + 1 + n));
    }

    /** The membership removed at the subnet manager, as another of its users would. */
    @Override
    protected final void removeBehindTheBackendsBack(Attachment attachment) {
        try (SubnetManager admin = newSubnetManagerClient()) {
            admin.removeMembers(STORAGE.pkey(), List.of(Guid.parse(attachment.handle())));
        }
    }

    /** The memberships of GUIDs in iov's default range, and every VF's GUIDs. */
    @Override
    protected final Set<String> hostResources() {
        Set<String> lines = new TreeSet<>();
        try (SubnetManager sm = newSubnetManagerClient()) {
            sm.partitions().forEach((pkey, members) -> members.stream()
                    .filter(m -> m.guid().compareTo(GuidPool.DEFAULT_FIRST) >= 0
                            && m.guid().compareTo(GuidPool.DEFAULT_LAST) <= 0)
                    .forEach(m -> lines.add("partition " + pkey + " " + m)));
        }
        driver.state().forEach((pf, vfs) -> {
            for (VfInfo vf : vfs) {
                lines.add(pf + " vf" + vf.vf() + " node=" + vf.nodeGuid().map(Guid::toString).orElse("-") + " port="
                        + vf.portGuid().map(Guid::toString).orElse("-"));
            }
        });
        return lines;
    }

    @Override
    protected final Set<String> resourcesOf(Attachment attachment) {
        return Set.of(attachment.handle(), "VF " + attachment.details().get(InfinibandBackend.VF_PCI));
    }
}
