package dev.iov.api.spi;

import java.util.Objects;

/**
 * A port the fabric's state store says a backend owns, as {@link IoBackend#restore} receives it after a restart: the
 * attachment the backend returned then, and the request it was made for (so the backend can check the host against
 * what was asked, and rebuild whatever lived only in the old process).
 *
 * @param request the admitted vNIC, its network and addresses, as when it was attached
 * @param attachment what the backend returned for it
 */
public record RecordedAttachment(AttachRequest request, Attachment attachment) {

    /**
     * @param request the request
     * @param attachment the attachment
     * @throws IllegalArgumentException when the two name different vNICs
     */
    public RecordedAttachment {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(attachment, "attachment");
        if (!request.spec().id().equals(attachment.vnic())) {
            throw new IllegalArgumentException("attachment " + attachment.handle() + " of vNIC '" + attachment.vnic()
                    + "' recorded with the request of vNIC '" + request.spec().id() + "'");
        }
    }
}
