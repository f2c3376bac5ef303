package dev.iov.api.fabric;

import dev.iov.api.model.VnicId;

/**
 * A vNIC could not be changed because another operation is changing it (fail fast rather than wait), or because an
 * operation of this management node on it was interrupted and waits for {@code Fabric.repair}. Nothing was changed;
 * retry later.
 */
public class VnicBusyException extends FabricException {
    private static final long serialVersionUID = 1L;

    /** The vNIC. */
    private final VnicId vnic;

    /**
     * @param operation what was asked ({@code release web-1})
     * @param vnic the vNIC
     * @param why what it is busy with
     */
    public VnicBusyException(String operation, VnicId vnic, String why) {
        super(operation, "vNIC '" + vnic + "' is busy: " + why);
        this.vnic = vnic;
    }

    /** @return the vNIC */
    public VnicId vnic() {
        return vnic;
    }
}
