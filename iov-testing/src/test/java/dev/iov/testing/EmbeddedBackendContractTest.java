package dev.iov.testing;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The backend contract for the in-memory {@code embedded} backend; a restart is a new backend on the same device. */
class EmbeddedBackendContractTest extends IoBackendContract {

    private EmbeddedDevice device;

    @Override
    protected void createHost() {
        device = new EmbeddedDevice();
    }

    @Override
    protected void destroyHost() {
        device = null;
    }

    @Override
    protected IoBackend newBackend() {
        return new EmbeddedBackend("h1/embedded", BackendKind.VSWITCH_PORT, EnumSet.allOf(Capability.class), device);
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
        device.failNextProgramming(new IllegalStateException("the device refused the port's settings"));
    }

    @Override
    protected void removeBehindTheBackendsBack(Attachment attachment) {
        device.removePort(attachment.handle());
    }

    @Override
    protected Set<String> hostResources() {
        return device.ports().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.toSet());
    }
}
