package dev.iov.api.spi;

import dev.iov.api.model.VnicId;
import java.util.List;
import java.util.Objects;

/**
 * What {@link IoBackend#restore} found: every recorded attachment it was given is in exactly one of the two lists.
 *
 * @param adopted the attachments the backend found on the host and owns again, possibly with refreshed details
 * @param missing the attachments it could not find, and why; their resources stay reserved for their vNICs
 */
public record RestoreReport(List<Attachment> adopted, List<Missing> missing) {

    /**
     * @param adopted the attachments owned again
     * @param missing the attachments not found
     */
    public RestoreReport {
        adopted = List.copyOf(adopted);
        missing = List.copyOf(missing);
    }

    /**
     * A recorded attachment the backend could not find on the host.
     *
     * @param vnic the vNIC
     * @param handle the attachment's handle
     * @param reason what was looked for and not found, or what was found instead
     */
    public record Missing(VnicId vnic, String handle, String reason) {

        /**
         * @param vnic the vNIC
         * @param handle the handle
         * @param reason why it is missing
         */
        public Missing {
            Objects.requireNonNull(vnic, "vnic");
            Objects.requireNonNull(handle, "handle");
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * @param attachment the attachment not found
         * @param reason why
         * @return the entry
         */
        public static Missing of(Attachment attachment, String reason) {
            return new Missing(attachment.vnic(), attachment.handle(), reason);
        }
    }
}
