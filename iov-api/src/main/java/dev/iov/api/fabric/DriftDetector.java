package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Vnic;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.spi.DiscoveredPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Compares what one backend of one host should have (the vNIC records) with what it found. Pure: no I/O, so every
 * rule is testable on its own. Ports iov does not own are ignored: they are not ours to report or repair.
 */
final class DriftDetector {

    private DriftDetector() {
    }

    static List<Drift> compare(HostId host, String backendId, List<Vnic> declared, List<DiscoveredPort> found,
            Map<dev.iov.api.model.NetworkId, Network> networks) {
        Map<String, DiscoveredPort> byHandle = new HashMap<>();
        for (DiscoveredPort port : found) {
            byHandle.put(port.handle(), port);
        }
        List<Drift> drifts = new ArrayList<>();
        Set<String> declaredHandles = new HashSet<>();
        for (Vnic vnic : declared) {
            String handle = vnic.attachment().handle();
            declaredHandles.add(handle);
            DiscoveredPort port = byHandle.get(handle);
            if (port == null) {
                drifts.add(new Drift(host, backendId, Drift.Kind.MISSING, Optional.of(vnic.id()), handle,
                        "port not found on the host"));
                continue;
            }
            List<String> differences = differences(vnic, port, networks.get(vnic.spec().network()));
            if (!differences.isEmpty()) {
                drifts.add(new Drift(host, backendId, Drift.Kind.MISMATCH, Optional.of(vnic.id()), handle,
                        String.join(", ", differences)));
            }
        }
        for (DiscoveredPort port : found) {
            if (port.owner().isPresent() && !declaredHandles.contains(port.handle())) {
                drifts.add(new Drift(host, backendId, Drift.Kind.UNEXPECTED, port.owner(), port.handle(),
                        "port made by iov but no vNIC record declares it"));
            }
        }
        return drifts;
    }

    private static List<String> differences(Vnic vnic, DiscoveredPort port, Network network) {
        List<String> differences = new ArrayList<>();
        port.owner().filter(owner -> !owner.equals(vnic.id()))
                .ifPresent(owner -> differences.add("port is marked for vNIC '" + owner + "'"));
        compare(differences, "MAC", port.mac(), vnic.addresses().mac());
        compare(differences, "GUID", port.guid(), vnic.addresses().guid());
        if (network != null && port.segment().isPresent() && port.segment().getAsInt() != network.segment()) {
            differences.add(network.kind() + " segment " + port.segment().getAsInt() + " on the port, "
                    + network.segment() + " declared");
        }
        if (port.maxRate().isPresent() && network != null) {
            Bandwidth declared = vnic.spec().maxRate().or(network::defaultMaxRate).orElse(Bandwidth.ZERO);
            compare(differences, "max rate", port.maxRate(), Optional.of(declared));
        }
        return differences;
    }

    private static <T> void compare(List<String> differences, String what, Optional<T> onPort, Optional<T> declared) {
        if (onPort.isPresent() && !Objects.equals(onPort, declared)) {
            differences.add(what + " " + onPort.get() + " on the port, "
                    + declared.map(Object::toString).orElse("none") + " declared");
        }
    }
}
