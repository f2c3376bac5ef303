package dev.iov.ethernet.ovs;

import dev.iov.api.model.VnicId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which port name each vNIC holds on one {@link OvsBackend} instance: the ports it attached or adopted, and those a
 * {@linkplain OvsBackend#restore restore} found missing, so that no other vNIC is given such a name while its vNIC
 * may still come back for it. Port names are a hash of the vNIC id ({@link OvsBackend#portName}), so two ids can
 * share one; the database's marks tell whose an existing port is, this tells whose a missing one is. One port per
 * vNIC, one vNIC per port. Thread-safe.
 */
final class PortReservations {

    private final Map<String, VnicId> holders = new HashMap<>();
    private final Map<VnicId, String> ports = new HashMap<>();

    /**
     * @param vnic a vNIC
     * @return the port name it holds, if any
     */
    synchronized Optional<String> portOf(VnicId vnic) {
        return Optional.ofNullable(ports.get(vnic));
    }

    /**
     * @param port a port name
     * @return the vNIC holding it, if any
     */
    synchronized Optional<VnicId> holderOf(String port) {
        return Optional.ofNullable(holders.get(port));
    }

    /**
     * Gives a port name to a vNIC unless another vNIC holds it; a name the vNIC held before is given up.
     *
     * @param port the port name
     * @param vnic the vNIC
     * @return the vNIC that holds the name now: {@code vnic}, or the other vNIC that already held it
     */
    synchronized VnicId reserve(String port, VnicId vnic) {
        VnicId holder = holders.get(port);
        if (holder != null && !holder.equals(vnic)) {
            return holder;
        }
        String previous = ports.put(vnic, port);
        if (previous != null && !previous.equals(port)) {
            holders.remove(previous);
        }
        holders.put(port, vnic);
        return vnic;
    }

    /**
     * Gives a port name up, if that vNIC holds it.
     *
     * @param port the port name
     * @param vnic the vNIC
     */
    synchronized void release(String port, VnicId vnic) {
        if (vnic.equals(holders.get(port))) {
            holders.remove(port);
            ports.remove(vnic);
        }
    }
}
