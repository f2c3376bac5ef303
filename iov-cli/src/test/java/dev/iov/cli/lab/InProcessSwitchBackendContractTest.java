package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import dev.iov.ethernet.switching.EmbeddedSwitch;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanSet;
import dev.iov.testing.IoBackendContract;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The backend contract for the in-process lab backend. Its host is what the in-process plane gives each host: a
 * software switch with a trunk uplink on port 0 and the marks iov writes on its ports ({@link InProcessSwitch}); a
 * restart is a new backend on the same switch, as a manager restarted in the same process would be. No namespace,
 * TAP or privilege is involved: the backend drives none.
 *
 * <p>The host's resources are every switch port with its configuration and mark, and every bare mark. A half-done
 * attach is one whose port the switch refuses after the backend marked its index
 * ({@link InProcessSwitch#failNextPortAdd}).
 */
class InProcessSwitchBackendContractTest extends IoBackendContract {

    private static final int MAX_PORTS = 16;

    private final Object lock = new Object();
    private InProcessSwitch host;

    @Override
    protected void createHost() {
        EmbeddedSwitch sw = new EmbeddedSwitch(MAX_PORTS);
        sw.addPort(0, PortConfig.trunk(VlanSet.all()));
        host = new InProcessSwitch(sw);
    }

    @Override
    protected void destroyHost() {
        host = null;
    }

    @Override
    protected IoBackend newBackend() {
        return new InProcessSwitchBackend(HostId.of("h1"), host, 1, lock);
    }

    @Override
    protected List<Network> networks() {
        return List.of(Network.vlan("tenant-a", VlanId.of(101)), Network.vlan("tenant-b", VlanId.of(102)));
    }

    @Override
    protected VnicAddresses addresses(int n) {
        return VnicAddresses.ofMac(MacAddress.of(0x02_69_6f_00_00_00L + n));
    }

    @Override
    protected void failNextAttachMidway() {
        host.failNextPortAdd(new IllegalStateException("the switch refused the port"));
    }

    @Override
    protected void removeBehindTheBackendsBack(Attachment attachment) {
        synchronized (lock) {
            host.removePort(Integer.parseInt(attachment.details().get("switchPort")));
        }
    }

    @Override
    protected Set<String> hostResources() {
        synchronized (lock) {
            Set<String> found = new TreeSet<>();
            Map<Integer, InProcessSwitch.Mark> marks = host.marks();
            for (int index = 0; index < host.maxPorts(); index++) {
                PortConfig config = host.portConfig(index);
                InProcessSwitch.Mark mark = marks.get(index);
                if (config != null) {
                    found.add("port " + index + " " + config + " mark " + (mark == null ? "none" : mark));
                } else if (mark != null) {
                    found.add("bare mark " + index + " " + mark);
                }
            }
            return found;
        }
    }
}
