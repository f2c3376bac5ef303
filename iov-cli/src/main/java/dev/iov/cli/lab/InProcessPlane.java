package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.spi.IoBackend;
import dev.iov.ethernet.switching.EmbeddedSwitch;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanMode;
import dev.iov.ethernet.switching.VlanSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The data plane for machines where the lab cannot create namespaces or TAP devices (not root, no
 * {@code /dev/net/tun}): every host is an in-process software switch ({@link EmbeddedSwitch}) with a trunk uplink on
 * port 0, the uplinks form one wire (a frame leaving one host's uplink enters every other host's), and the VMs'
 * traffic is generated frames: gratuitous ARP when a NIC comes up, ICMP echo request and reply for a ping, TCP data
 * segments for the transfer. A ping counts as answered when the request reached the target's port and the reply
 * came back to the sender's port, byte for byte. The switch clock follows the wall clock, so policing and pcap
 * timestamps are real.
 */
final class InProcessPlane implements LabPlane {

    private static final int UPLINK = 0;
    private static final int TRANSFER_SEGMENTS = 1024;
    private static final int SEGMENT_PAYLOAD = 1448;

    private final Object lock = new Object();
    private final Map<HostId, EmbeddedSwitch> switches = new LinkedHashMap<>();
    private final Map<HostId, InProcessSwitch> hosts = new LinkedHashMap<>();
    private final Map<HostId, InProcessSwitchBackend> backends = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private final long startEpochNanos = System.currentTimeMillis() * 1_000_000L;
    private int sequence;

    @Override
    public String description() {
        return "VMs are generated frames, hosts are in-process switches, uplinks are one in-memory trunk";
    }

    @Override
    public void start(LabPlan plan) {
        synchronized (lock) {
            for (HostId host : plan.hosts()) {
                EmbeddedSwitch sw = new EmbeddedSwitch(plan.vms().size() + 8);
                sw.switchUnderTest().pcapClockOffsetNanos(0);
                sw.advanceNanos(startEpochNanos);
                sw.addPort(UPLINK, PortConfig.trunk(VlanSet.all()));
                switches.put(host, sw);
                hosts.put(host, new InProcessSwitch(sw));
                backends.put(host, new InProcessSwitchBackend(host, hosts.get(host), UPLINK + 1, lock));
            }
        }
    }

    @Override
    public IoBackend backend(HostId host) {
        synchronized (lock) {
            return backends.get(host);
        }
    }

    @Override
    public String namespaceOf(String vm, HostId host) {
        return "(in-process)";
    }

    @Override
    public void vmUp(LabVm vm, Vnic vnic) {
        announce(vm, vnic);
    }

    @Override
    public PingResult ping(LabVm from, LabVm to, int count) {
        long received = 0;
        for (int i = 0; i < count; i++) {
            received += echo(from, to) ? 1 : 0;
        }
        return new PingResult(count, received);
    }

    @Override
    public PingResult pingDuring(LabVm from, LabVm to, Supplier<LabVm> move) {
        int count = 40;
        long received = 0;
        LabVm target = to;
        for (int i = 0; i < count; i++) {
            if (i == count / 4) {
                target = move.get();
            }
            received += echo(from, target) ? 1 : 0;
        }
        return new PingResult(count, received);
    }

    /** One echo request and, if it arrived, its reply; true when both arrived intact. */
    private boolean echo(LabVm from, LabVm to) {
        synchronized (lock) {
            int seq = ++sequence & 0xffff;
            byte[] request = GeneratedFrames.echo(from.mac(), to.mac(), from.address(), to.address(), seq, false);
            if (!deliver(from, request, to)) {
                return false;
            }
            byte[] reply = GeneratedFrames.echo(to.mac(), from.mac(), to.address(), from.address(), seq, true);
            return deliver(to, reply, from);
        }
    }

    @Override
    public TransferResult transfer(LabVm from, LabVm to) {
        synchronized (lock) {
            long start = System.nanoTime();
            long bytes = 0;
            long seq = 1;
            for (int i = 0; i < TRANSFER_SEGMENTS; i++) {
                byte[] segment = GeneratedFrames.tcpData(from.mac(), to.mac(), from.address(), to.address(), seq,
                        SEGMENT_PAYLOAD);
                seq += SEGMENT_PAYLOAD;
                if (deliver(from, segment, to)) {
                    bytes += SEGMENT_PAYLOAD;
                }
            }
            double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            return new TransferResult(bytes, bytes * 8 / seconds, "generated-frames");
        }
    }

    @Override
    public long mirror(LabVm vm, Vnic vnic, LabVm peer, Path file) {
        synchronized (lock) {
            EmbeddedSwitch sw = switches.get(vm.host());
            int port = backends.get(vm.host()).portIndex(vnic.attachment());
            return PcapMirror.capture(file, vm.name(), port, sw.switchUnderTest()::addMirror,
                    sw.switchUnderTest()::removeMirror, () -> ping(peer, vm, 3));
        }
    }

    @Override
    public void moved(LabVm before, LabVm after, Vnic vnic) {
        announce(after, vnic);
    }

    @Override
    public void tamper(Vnic vnic, int vlan) {
        synchronized (lock) {
            EmbeddedSwitch sw = switches.get(vnic.host());
            int port = backends.get(vnic.host()).portIndex(vnic.attachment());
            PortConfig now = sw.switchUnderTest().portConfig(port);
            PortConfig.Builder changed = PortConfig.builder(VlanMode.ACCESS).tag(vlan);
            vnic.addresses().mac().ifPresent(changed::allowSource);
            if (now.policingRateKbps() > 0) {
                changed.policing(now.policingRateKbps(), now.policingBurstKbit());
            }
            sw.switchUnderTest().reconfigurePort(port, changed.build());
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            // The backends leave their ports (a backend's ports outlive it); the switches go with the plane.
            backends.values().forEach(InProcessSwitchBackend::close);
            hosts.clear();
            switches.clear();
        }
    }

    /** A gratuitous ARP from the VM's port, so that every switch learns where its MAC is. */
    private void announce(LabVm vm, Vnic vnic) {
        synchronized (lock) {
            inject(vm.host(), backends.get(vm.host()).portIndex(vnic.attachment()),
                    GeneratedFrames.gratuitousArp(vm.mac(), vm.address()));
            switches.values().forEach(EmbeddedSwitch::clearOutbound);
        }
    }

    /** Sends a frame from one VM's port and reports whether it came out of the other's port unchanged. */
    private boolean deliver(LabVm from, byte[] frame, LabVm to) {
        int fromPort = portOf(from);
        int toPort = portOf(to);
        inject(from.host(), fromPort, frame);
        List<byte[]> out = switches.get(to.host()).drainOutbound(toPort);
        switches.values().forEach(EmbeddedSwitch::clearOutbound);
        return out.stream().anyMatch(f -> Arrays.equals(f, frame));
    }

    private int portOf(LabVm vm) {
        return backends.get(vm.host()).portIndexOf(vm.vnic());
    }

    /** Injects a frame and runs the switches, moving frames between uplinks until none is left in flight. */
    private void inject(HostId host, int port, byte[] frame) {
        tick();
        switches.get(host).send(port, frame);
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Map.Entry<HostId, EmbeddedSwitch> source : switches.entrySet()) {
                for (byte[] onWire : source.getValue().drainOutbound(UPLINK)) {
                    moved = true;
                    for (Map.Entry<HostId, EmbeddedSwitch> target : switches.entrySet()) {
                        if (!target.getKey().equals(source.getKey())) {
                            target.getValue().inject(UPLINK, onWire);
                        }
                    }
                }
            }
            switches.values().forEach(EmbeddedSwitch::run);
        }
    }

    /** Moves every switch's clock to the wall clock. */
    private void tick() {
        long now = startEpochNanos + (System.nanoTime() - startNanos);
        for (EmbeddedSwitch sw : switches.values()) {
            if (now > sw.now()) {
                sw.advanceNanos(now - sw.now());
            }
        }
    }
}
