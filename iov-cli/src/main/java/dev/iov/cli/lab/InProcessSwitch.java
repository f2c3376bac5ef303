package dev.iov.cli.lab;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.MacAddress;
import dev.iov.ethernet.switching.EmbeddedSwitch;
import dev.iov.ethernet.switching.PortConfig;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One in-process lab host as the "host" side of {@link InProcessSwitchBackend}: its software switch and the mark iov
 * writes on each port it makes for a vNIC, {@code iov:<backend-id>:<vnic-id>} and the vNIC's MAC — the in-process
 * counterpart of the alias and address of a {@code java-switch} TAP. Both outlive any backend instance serving the
 * host, so a new instance (a manager restarted in the same process) can tell from the host itself which port is whose;
 * neither outlives the process.
 *
 * <p>A mark may exist without a port: a backend marks an index before it adds the port there, so an attach cut short
 * between the two leaves a mark that {@link InProcessSwitchBackend#abandon} can find. A mark never outlives its port
 * when the port is removed through {@link #removePort}, as a TAP's alias goes with the TAP. Not thread-safe: every
 * caller holds the lab's lock, as for the switch itself.
 */
final class InProcessSwitch {

    /** What every mark's text starts with, as a TAP alias iov writes. */
    static final String MARK_PREFIX = "iov:";

    /**
     * What iov wrote on one switch port.
     *
     * @param backendId the backend that made the port
     * @param owner the vNIC it was made for
     * @param mac the vNIC's MAC
     */
    record Mark(String backendId, VnicId owner, MacAddress mac) {

        Mark {
            Objects.requireNonNull(backendId, "backendId");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(mac, "mac");
        }

        /** @return the mark as text, {@code iov:<backend-id>:<vnic-id>} */
        String text() {
            return MARK_PREFIX + backendId + ":" + owner;
        }

        @Override
        public String toString() {
            return text() + " " + mac;
        }
    }

    private final EmbeddedSwitch sw;
    private final Map<Integer, Mark> marks = new TreeMap<>();
    private RuntimeException nextAddFailure;

    /** @param sw the host's switch */
    InProcessSwitch(EmbeddedSwitch sw) {
        this.sw = Objects.requireNonNull(sw, "sw");
    }

    /** @return the switch */
    EmbeddedSwitch embedded() {
        return sw;
    }

    /** @return the number of port indexes */
    int maxPorts() {
        return sw.switchUnderTest().maxPorts();
    }

    /**
     * @param index a port index
     * @return whether the switch has a port there
     */
    boolean hasPort(int index) {
        return sw.switchUnderTest().portConfig(index) != null;
    }

    /**
     * @param index a port index
     * @return its configuration, or null when there is no port
     */
    PortConfig portConfig(int index) {
        return sw.switchUnderTest().portConfig(index);
    }

    /**
     * @param index a port index
     * @return the mark on it, if any
     */
    Optional<Mark> mark(int index) {
        return Optional.ofNullable(marks.get(index));
    }

    /** @return every mark, by port index */
    Map<Integer, Mark> marks() {
        return new TreeMap<>(marks);
    }

    /**
     * @param index a port index
     * @param mark what to write on it, replacing what was there
     */
    void mark(int index, Mark mark) {
        if (index < 0 || index >= maxPorts()) {
            throw new IllegalArgumentException("port " + index + " is out of range 0-" + (maxPorts() - 1));
        }
        marks.put(index, Objects.requireNonNull(mark, "mark"));
    }

    /** @param index a port index whose mark is removed (if any) */
    void unmark(int index) {
        marks.remove(index);
    }

    /**
     * Adds a port to the switch.
     *
     * @param index the index
     * @param config its configuration
     * @throws IllegalStateException when the index holds a port, or the switch was told to refuse this add
     */
    void addPort(int index, PortConfig config) {
        RuntimeException failure = nextAddFailure;
        nextAddFailure = null;
        if (failure != null) {
            throw failure;
        }
        sw.addPort(index, config);
    }

    /**
     * Removes a port and its mark.
     *
     * @param index a port index
     * @throws IllegalStateException when there is no port, or it is a mirror's output (nothing is changed)
     */
    void removePort(int index) {
        sw.switchUnderTest().removePort(index);
        marks.remove(index);
    }

    /**
     * Makes the next {@link #addPort} fail. The switch cannot refuse a valid port at a free index by itself (it is
     * memory in this process), so this is how tests reach the step a backend must undo when it does.
     *
     * @param failure what the add throws
     */
    void failNextPortAdd(RuntimeException failure) {
        this.nextAddFailure = Objects.requireNonNull(failure, "failure");
    }
}
