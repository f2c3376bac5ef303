package dev.iov.api.fabric;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.spi.Attachment;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operation on a vNIC is about to do to a host, written into the vNIC's record before the host is touched
 * (a write-ahead record), so that a manager that stops in the middle finds out on restart what to finish or undo:
 *
 * <ul>
 *   <li>{@link Kind#PROVISION}: attach on {@code place}; the vNIC does not exist yet. Undone: the backend
 *       {@linkplain dev.iov.api.spi.IoBackend#abandon abandons} the request, the record goes, the addresses are freed.
 *   <li>{@link Kind#MIGRATE}: attach on {@code place}, the target; the vNIC is still on its source. Undone: the
 *       target abandons the request, the vNIC stays on its source.
 *   <li>{@link Kind#RELEASE}: detach from {@code place}, where the vNIC is. Finished: detach, record deleted.
 *   <li>{@link Kind#DETACH_PREVIOUS}: the vNIC has moved; its old port ({@code attachment} on {@code place}) is to be
 *       detached. Finished: detach, intent cleared.
 * </ul>
 *
 * @param kind what the operation does
 * @param node the management node that runs it; only that node resolves it
 * @param place where it touches the host
 * @param attachment the port it detaches ({@link Kind#DETACH_PREVIOUS} only)
 */
record Intent(Kind kind, String node, Place place, Optional<Attachment> attachment) {

    enum Kind {
        PROVISION, MIGRATE, RELEASE, DETACH_PREVIOUS
    }

    /**
     * A backend of a host and the uplink charged.
     *
     * @param host the host
     * @param uplink the uplink
     * @param backendId the backend
     * @param kind the kind of vNIC it makes
     */
    record Place(HostId host, String uplink, String backendId, BackendKind kind) {
        Place {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(uplink, "uplink");
            Objects.requireNonNull(backendId, "backendId");
            Objects.requireNonNull(kind, "kind");
        }

        static Place of(Vnic vnic) {
            return new Place(vnic.host(), vnic.uplink(), vnic.attachment().backendId(), vnic.backendKind());
        }
    }

    Intent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(attachment, "attachment");
        if ((kind == Kind.DETACH_PREVIOUS) != attachment.isPresent()) {
            throw new IllegalArgumentException(kind + " intent " + (attachment.isPresent() ? "with" : "without")
                    + " an attachment");
        }
    }

    static Intent provision(String node, Place target) {
        return new Intent(Kind.PROVISION, node, target, Optional.empty());
    }

    static Intent migrate(String node, Place target) {
        return new Intent(Kind.MIGRATE, node, target, Optional.empty());
    }

    static Intent release(String node, Vnic vnic) {
        return new Intent(Kind.RELEASE, node, Place.of(vnic), Optional.empty());
    }

    static Intent detachPrevious(String node, Vnic previous) {
        return new Intent(Kind.DETACH_PREVIOUS, node, Place.of(previous), Optional.of(previous.attachment()));
    }

    /** @return the operation in words, for reports ({@code release from h1 via h1-vs}) */
    String describe() {
        return switch (kind) {
            case PROVISION -> "provision on " + place.host() + " via " + place.backendId();
            case MIGRATE -> "migration to " + place.host() + " via " + place.backendId();
            case RELEASE -> "release from " + place.host() + " via " + place.backendId();
            case DETACH_PREVIOUS -> "removal of the old port " + attachment.orElseThrow().handle() + " on "
                    + place.host() + " after a migration";
        };
    }
}
