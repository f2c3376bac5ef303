package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import dev.iov.ethernet.port.PortDevice;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.testing.IoBackendContract;
import dev.iov.testing.Privileged;
import dev.iov.testing.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The backend contract for {@code java-switch} on the real kernel: every test gets a network namespace of its own
 * (the "host"), the backend puts every TAP there, and a restart is a new backend with the same id over the TAPs the
 * previous one left. The host's resources are the TAP links in that namespace as rtnetlink reports them, plus any
 * link in the process's own namespace that carries this backend's mark (there must never be one).
 *
 * <p>A half-done attach fails honestly: {@link #failNextAttachMidway()} fills the switch's free ports with packet
 * sockets on the namespace's loopback, so that the next attach creates, marks and configures its TAP and is then
 * refused a switch port; the filler ports are removed when the attach after that one asks for its TAP's place.
 */
@Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
class JavaSwitchBackendContractIT extends IoBackendContract {

    private NetworkNamespace host;
    private String backendId;
    private JavaSwitchBackend latest;
    /** Switch ports taken by {@link #failNextAttachMidway()}; removed by the attach after the failing one. */
    private final List<Integer> fillers = new ArrayList<>();
    private boolean fillersFired;

    @Override
    protected void createHost() {
        host = NetworkNamespace.create(TestNamespaces.uniqueName());
        try (Rtnetlink rtnl = Rtnetlink.open(host)) {
            // The filler ports are packet sockets on the loopback: down, it would fail their reads (ENETDOWN).
            rtnl.setUp(InterfaceName.of("lo"));
        }
        // Unique per test: discover and the check in destroyHost look for this backend's mark in the process's own
        // namespace too, where other runs may have TAPs of their own.
        backendId = "h1/java-switch-" + host.name();
    }

    @Override
    protected void destroyHost() {
        try {
            assertThat(markedInOwnNamespace()).as("TAPs of %s outside its namespace", backendId).isEmpty();
        } finally {
            fillers.clear();
            fillersFired = false;
            host.close();
        }
    }

    @Override
    protected IoBackend newBackend() {
        latest = JavaSwitchBackend.builder(backendId).maxPorts(8).tapPlacement(request -> {
            releaseFillersAfterTheirFailure();
            return Optional.of(host);
        }).build();
        return latest;
    }

    @Override
    protected List<Network> networks() {
        return List.of(Network.vlan("tenant-a", VlanId.of(101)), Network.vlan("tenant-b", VlanId.of(102)));
    }

    @Override
    protected VnicAddresses addresses(int n) {
        return VnicAddresses.ofMac(MacAddress.of(0x02_00_5e_30_00_00L + n));
    }

    @Override
    protected void failNextAttachMidway() {
        while (true) {
            PacketSocket socket = PacketSocket.open("lo", host);
            try {
                fillers.add(latest.engine().addPort(PortDevice.packet(socket), PortConfig.access(4000)));
            } catch (IllegalStateException full) {
                socket.close();
                break;
            }
        }
        assertThat(fillers).as("free switch ports taken").isNotEmpty();
        fillersFired = false;
    }

    /** Called where every attach starts: the first attach after the fill is the one that fails, the next frees. */
    private void releaseFillersAfterTheirFailure() {
        if (fillers.isEmpty()) {
            return;
        }
        if (!fillersFired) {
            fillersFired = true;
            return;
        }
        fillers.forEach(latest.engine()::removePort);
        fillers.clear();
        fillersFired = false;
    }

    @Override
    protected void removeBehindTheBackendsBack(Attachment attachment) {
        try (Rtnetlink rtnl = Rtnetlink.open(host)) {
            rtnl.deleteLink(InterfaceName.of(attachment.handle()));
        }
    }

    @Override
    protected Set<String> hostResources() {
        Set<String> lines = new TreeSet<>();
        try (Rtnetlink rtnl = Rtnetlink.open(host)) {
            rtnl.links().stream().filter(l -> l.kind().equals(Optional.of("tun")))
                    .forEach(l -> lines.add(describe(host.name(), l)));
        }
        markedInOwnNamespace().forEach(l -> lines.add(describe("own", l)));
        return lines;
    }

    private List<LinkInfo> markedInOwnNamespace() {
        String mark = MarkedTaps.MARK_PREFIX + backendId + ":";
        try (Rtnetlink rtnl = Rtnetlink.open()) {
            return rtnl.links().stream().filter(l -> l.alias().filter(a -> a.startsWith(mark)).isPresent()).toList();
        }
    }

    private static String describe(String namespace, LinkInfo link) {
        return namespace + " " + link.name() + " alias=" + link.alias().orElse("-") + " mac="
                + link.macAddress().map(MacAddress::toString).orElse("-") + " mtu=" + link.mtu()
                + (link.up() ? " up" : " down");
    }
}
