package dev.iov.api.embedded;

import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The "host" of an {@link EmbeddedBackend}: a table of ports and their counters that outlives the backend instances
 * working on it, as a real switch or NIC outlives the manager process. Give a new {@link EmbeddedBackend} the same
 * device to simulate a manager restart; change it behind the fabric's back ({@link #tamper}, {@link #removePort},
 * {@link #addPort}) to exercise drift detection; {@link #addTraffic} counts frames a VM would send and receive.
 * Thread-safe.
 */
public final class EmbeddedDevice {

    /**
     * A port as the device keeps it.
     *
     * @param owner the vNIC it was made for, or null for a port iov does not own
     * @param mac its MAC address
     * @param guid its port GUID
     * @param segment its VLAN, VNI or partition number
     * @param maxRate its rate limit, {@link Bandwidth#ZERO} for none
     */
    public record Port(VnicId owner, Optional<MacAddress> mac, Optional<Guid> guid, int segment, Bandwidth maxRate) {

        /**
         * @param owner the vNIC it was made for, or null
         * @param mac its MAC address
         * @param guid its port GUID
         * @param segment its segment
         * @param maxRate its rate limit
         */
        public Port {
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(guid, "guid");
            Objects.requireNonNull(maxRate, "maxRate");
        }

        /**
         * @param newSegment another segment
         * @return this port in another segment
         */
        public Port withSegment(int newSegment) {
            return new Port(owner, mac, guid, newSegment, maxRate);
        }
    }

    private final Map<String, Port> ports = new ConcurrentHashMap<>();
    private final Map<String, VnicStats> counters = new ConcurrentHashMap<>();
    private volatile RuntimeException nextProgrammingFailure;

    /** Creates a device without ports. */
    public EmbeddedDevice() {
    }

    /** @return a sorted copy of the ports, by handle */
    public Map<String, Port> ports() {
        return new TreeMap<>(ports);
    }

    /**
     * @param handle a port's handle
     * @return the port, if the device has it
     */
    public Optional<Port> port(String handle) {
        return Optional.ofNullable(ports.get(handle));
    }

    /**
     * Changes a port behind the fabric's back, as a person with a shell would.
     *
     * @param handle the port
     * @param change how to change it
     */
    public void tamper(String handle, UnaryOperator<Port> change) {
        ports.computeIfPresent(handle, (h, p) -> change.apply(p));
    }

    /**
     * Removes a port behind the fabric's back.
     *
     * @param handle the port
     */
    public void removePort(String handle) {
        ports.remove(handle);
        counters.remove(handle);
    }

    /**
     * Adds a port behind the fabric's back.
     *
     * @param handle the port's handle
     * @param port the port
     */
    public void addPort(String handle, Port port) {
        ports.put(handle, Objects.requireNonNull(port, "port"));
    }

    /**
     * Counts traffic on a port, as a VM sending and receiving frames would.
     *
     * @param handle the port
     * @param traffic what to add to its counters
     * @throws IllegalArgumentException when the device has no such port
     */
    public void addTraffic(String handle, VnicStats traffic) {
        if (!ports.containsKey(handle)) {
            throw new IllegalArgumentException("embedded device has no port '" + handle + "'");
        }
        counters.merge(handle, traffic, VnicStats::plus);
    }

    /**
     * Makes the next programming of a port (the second step of an attach or an update, after the port exists)
     * fail, to exercise rollback.
     *
     * @param failure what the device answers
     */
    public void failNextProgramming(RuntimeException failure) {
        this.nextProgrammingFailure = Objects.requireNonNull(failure, "failure");
    }

    // ---------------------------------------------------------------------------- what EmbeddedBackend does

    /** Creates a port, unprogrammed (no owner yet is not possible: the owner is the marker written first). */
    boolean create(String handle, VnicId owner) {
        return ports.putIfAbsent(handle, new Port(owner, Optional.empty(), Optional.empty(), 0, Bandwidth.ZERO))
                == null;
    }

    /** Programs a port's addresses, segment and rate; the failure injected with {@link #failNextProgramming}. */
    void program(String handle, Port port) {
        RuntimeException failure = nextProgrammingFailure;
        if (failure != null) {
            nextProgrammingFailure = null;
            throw failure;
        }
        ports.put(handle, port);
    }

    void delete(String handle) {
        ports.remove(handle);
        counters.remove(handle);
    }

    VnicStats counters(String handle) {
        return counters.getOrDefault(handle, VnicStats.ZERO);
    }
}
