package dev.iov.sriov.backend;

import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import dev.iov.sriov.sysfs.VirtualFunction;
import java.util.Optional;

/**
 * Hands attached VFs to {@code vfio-pci}, so that a VM can be given them, and gives them back to the driver they had
 * afterwards — or does nothing at all when the backend is configured without vfio. The driver a VF had before is
 * returned by {@link #bind} so that the caller can keep it with the attachment: after a restart only the fabric's
 * record still knows it.
 */
final class VfioBinding {

    private final boolean enabled;
    private final SriovDiscovery discovery;
    private final SriovControl control;

    VfioBinding(boolean enabled, SriovDiscovery discovery, SriovControl control) {
        this.enabled = enabled;
        this.discovery = discovery;
        this.control = control;
    }

    /**
     * Binds the VF to vfio-pci (nothing is written when it is bound there already).
     *
     * @param vf the VF
     * @return the driver it had before; empty when binding is off or it had none
     * @throws dev.iov.sriov.sysfs.SriovException when the bind fails; the VF's driver is as before
     */
    Optional<String> bind(VfLease vf) {
        if (!enabled) {
            return Optional.empty();
        }
        Optional<String> before = driverOf(vf);
        control.bindToVfio(vf.address());
        return before;
    }

    /**
     * Clears the override and lets the kernel pick the VF's driver, as after boot; only when that is not the driver
     * it had before does an override pin the old one.
     *
     * @param vf the VF
     * @param driverBefore what {@link #bind} returned for it
     * @throws dev.iov.sriov.sysfs.SriovException when a write fails
     */
    void giveBack(VfLease vf, Optional<String> driverBefore) {
        if (!enabled) {
            return;
        }
        Optional<String> now = control.releaseToDefaultDriver(vf.address());
        if (driverBefore.isPresent() && !now.equals(driverBefore)) {
            control.bindDriver(vf.address(), driverBefore.get());
        }
    }

    /**
     * For a VF an attach cut short by a restart may have bound: released to the kernel's default driver when it is
     * on vfio-pci. What it had before that attach is unknown (the attach's record was never written), so a VF an
     * administrator had put on vfio-pci by hand also ends on its default driver; the next attach binds it again.
     *
     * @param vf the VF
     * @return true when it was on vfio-pci and was released
     */
    boolean releaseIfBound(VfLease vf) {
        if (!enabled || !driverOf(vf).equals(Optional.of(SriovControl.VFIO_PCI))) {
            return false;
        }
        control.releaseToDefaultDriver(vf.address());
        return true;
    }

    /** The VF's driver now (sysfs is read again: the pool's view is from startup). */
    private Optional<String> driverOf(VfLease vf) {
        return discovery.physicalFunction(vf.pf()).flatMap(pf -> pf.virtualFunction(vf.vf()))
                .flatMap(VirtualFunction::driver);
    }
}
