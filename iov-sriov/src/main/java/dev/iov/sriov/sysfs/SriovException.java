package dev.iov.sriov.sysfs;

import dev.iov.api.IovException;

/**
 * An SR-IOV operation on sysfs failed: the device is not there or is not an SR-IOV physical function, a VF count is
 * out of range, the kernel refused a write, or a driver did not bind. The message names the PCI function and, when a
 * file was involved, the file (the cause is then the {@link dev.iov.linux.sysfs.SysfsException}). A failed
 * multi-step operation has been rolled back when this is thrown; rollback steps that failed too are attached as
 * suppressed exceptions.
 */
public class SriovException extends IovException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the function and the file
     * @param cause the underlying failure, or null
     */
    public SriovException(String message, Throwable cause) {
        super("SR-IOV sysfs", message, IovException.errnoOf(cause).orElse(0), cause);
    }
}
