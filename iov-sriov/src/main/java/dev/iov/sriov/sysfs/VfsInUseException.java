package dev.iov.sriov.sysfs;

/**
 * The kernel refused to change a PF's VF count with {@code EBUSY}: its VFs are in use (assigned to a VM, or enabled
 * while a driver holds them). Release the VFs and try again.
 */
public final class VfsInUseException extends SriovException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was refused, naming the PF
     * @param cause the refused write
     */
    public VfsInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
