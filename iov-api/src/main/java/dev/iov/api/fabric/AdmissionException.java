package dev.iov.api.fabric;

import java.util.List;

/**
 * Admission control refused a vNIC: no uplink that could carry it has the capacity the oversubscription policy
 * allows, or no backend on the host can give it what its spec needs. Nothing was changed.
 */
public class AdmissionException extends FabricException {
    private static final long serialVersionUID = 1L;

    /** Why each candidate was refused. */
    private final List<String> reasons;

    /**
     * @param subject what was refused ({@code vNIC 'web-7-eth0' on host 'h1'})
     * @param reasons one line per candidate uplink or backend, saying why it could not take the vNIC
     */
    public AdmissionException(String subject, List<String> reasons) {
        super("admission of " + subject, subject + " refused: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    /** @return why each candidate was refused */
    public List<String> reasons() {
        return reasons;
    }
}
