package dev.iov.ethernet.javaswitch;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.OwnershipException;
import dev.iov.linux.Errno;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which TAP name belongs to which vNIC in one {@code java-switch} backend: the vNICs' switch ports, and the names of
 * restored vNICs whose TAP was not found, which stay theirs until a repair or a release. A vNIC's port is only ever
 * handed out after its owner is checked ({@link #port}). Reads are safe from any thread; the backend makes changes
 * under its lock.
 */
final class TapTable {

    /** What the backend holds under a TAP name. */
    sealed interface Entry permits Port, Reserved {
        /** @return the vNIC the name belongs to */
        VnicId owner();
    }

    /**
     * A vNIC's TAP, a port of the switch.
     *
     * @param owner the vNIC
     * @param index the switch port
     * @param mac the vNIC's MAC, which port security allows
     * @param maxRate the rate limit the port was given
     * @param namespace where the TAP is
     */
    record Port(VnicId owner, int index, MacAddress mac, Optional<Bandwidth> maxRate, TapNamespace namespace)
            implements Entry {
    }

    /**
     * A recorded vNIC whose TAP a restore did not find.
     *
     * @param owner the vNIC
     * @param namespaceName the namespace its attachment names, empty for the backend's own
     * @param reason why it was not adopted
     */
    record Reserved(VnicId owner, String namespaceName, String reason) implements Entry {
    }

    private final String backendId;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param backendId the backend, named in errors */
    TapTable(String backendId) {
        this.backendId = Objects.requireNonNull(backendId, "backendId");
    }

    /**
     * @param name a TAP name
     * @return what is held under it
     */
    Optional<Entry> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * @param name a TAP name
     * @param port the vNIC's port under that name, replacing a reservation
     */
    void put(String name, Port port) {
        entries.put(name, port);
    }

    /**
     * Keeps a name for a vNIC whose TAP is missing, unless a port or another vNIC holds it.
     *
     * @param name a TAP name
     * @param reserved the reservation
     */
    void reserve(String name, Reserved reserved) {
        entries.compute(name, (n, held) -> held == null
                || held instanceof Reserved && held.owner().equals(reserved.owner()) ? reserved : held);
    }

    /** @param name a TAP name, given up */
    void remove(String name) {
        entries.remove(name);
    }

    /**
     * The port of an attachment, after checking it is the attachment's vNIC's.
     *
     * @param operation what is being done, for errors
     * @param attachment the attachment
     * @return its port
     * @throws BackendException ({@code ENODEV}) when there is no port of that name, or its TAP is missing
     * @throws OwnershipException when the name belongs to another vNIC
     */
    Port port(String operation, Attachment attachment) {
        Entry entry = entries.get(attachment.handle());
        if (entry == null) {
            throw new BackendException(backendId, operation, "no port " + attachment.handle() + " on this switch",
                    Errno.ENODEV.number(), null);
        }
        if (!entry.owner().equals(attachment.vnic())) {
            throw new OwnershipException(backendId, operation, "TAP " + attachment.handle(), attachment.vnic(),
                    entry.owner());
        }
        if (entry instanceof Reserved reserved) {
            throw new BackendException(backendId, operation, "TAP " + attachment.handle() + " is missing ("
                    + reserved.reason() + "); attach the vNIC again to re-create it", Errno.ENODEV.number(), null);
        }
        return (Port) entry;
    }

    /** @return the ports by TAP name, sorted */
    Map<String, Port> ports() {
        Map<String, Port> ports = new TreeMap<>();
        entries.forEach((name, entry) -> {
            if (entry instanceof Port port) {
                ports.put(name, port);
            }
        });
        return ports;
    }

    /** @return the backend's own namespace and those its ports' TAPs are in, each once, by name */
    Map<String, TapNamespace> namespaces() {
        Map<String, TapNamespace> found = new LinkedHashMap<>();
        found.put("", TapNamespace.OWN);
        ports().values().forEach(port -> found.putIfAbsent(port.namespace().name(), port.namespace()));
        return found;
    }

    /** Forgets everything, releasing the namespaces the ports' TAPs are in. */
    void clear() {
        List<Port> ports = List.copyOf(ports().values());
        entries.clear();
        ports.forEach(port -> port.namespace().release());
    }

    /** @return how many names are held */
    int size() {
        return entries.size();
    }
}
