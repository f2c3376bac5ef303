package dev.iov.sriov.sysfs;

import dev.iov.api.net.PciAddress;
import dev.iov.linux.Errno;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.linux.sysfs.SysfsException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes SR-IOV state through sysfs: the number of enabled VFs, whether new VFs get a driver automatically, and
 * which driver a VF is bound to ({@code vfio-pci} for passing it to a VM, back to its own driver afterwards).
 *
 * <p>Each operation checks its input before the first write, is idempotent (nothing is written when the state is
 * already as asked), and rolls back the steps it did when a later step fails, then throws {@link SriovException}
 * naming the function and the file.
 *
 * <p>The kernel's rules this follows ({@code drivers/pci/iov.c}, {@code drivers/pci/pci-sysfs.c},
 * {@code drivers/base/bus.c}):
 * <ul>
 *   <li>{@code sriov_numvfs} only goes from 0 to N or from N to 0: writing N while M &gt; 0 are enabled fails with
 *       {@code EBUSY}, so a change is "0, then N". A count above {@code sriov_totalvfs} fails with {@code ERANGE};
 *       it is refused here before writing. {@code EBUSY} on the way to 0 means the VFs are in use.</li>
 *   <li>A device's {@code driver_override} makes only the named driver match it; writing {@code "\n"} clears it
 *       (it then reads {@code "(null)"}).</li>
 *   <li>Writing the address to {@code drivers/<name>/unbind} detaches the current driver; writing it to
 *       {@code bus/pci/drivers_probe} lets the kernel bind the matching driver.</li>
 * </ul>
 */
public final class SriovControl {
    /** The driver that hands a PCI function to user space / a VM. */
    public static final String VFIO_PCI = "vfio-pci";

    private static final Logger LOG = LoggerFactory.getLogger(SriovControl.class);
    /** What {@code driver_override} reads when no override is set: the kernel prints a NULL string with %s. */
    private static final String NO_OVERRIDE = "(null)";
    /** The kernel's limit for driver names written to driver_override is a page; module names are far shorter. */
    private static final int MAX_DRIVER_NAME = 64;

    private final Sysfs sysfs;

    private SriovControl(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    /** @return control of this host's {@code /sys} */
    public static SriovControl system() {
        return new SriovControl(Sysfs.system());
    }

    /**
     * @param sysfs the sysfs to change (a test tree in tests)
     * @return control of it
     */
    public static SriovControl on(Sysfs sysfs) {
        return new SriovControl(Objects.requireNonNull(sysfs, "sysfs"));
    }

    /**
     * Enables {@code count} VFs on a PF, or disables them all with 0. Writes 0 first when a different non-zero count
     * is enabled; when writing the new count then fails, the previous count is written back.
     *
     * @param pf the physical function
     * @param count the number of VFs wanted, 0 to {@code sriov_totalvfs}
     * @throws IllegalArgumentException when {@code count} is negative
     * @throws VfsInUseException when the kernel refuses with EBUSY
     * @throws SriovException when {@code pf} is not an SR-IOV PF, {@code count} exceeds its {@code sriov_totalvfs},
     *     or a write fails
     */
    public void setNumVfs(PciAddress pf, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("VF count " + count + " for PF " + pf + " is negative");
        }
        String dir = requirePf(pf);
        int total = read(pf, () -> sysfs.readInt(dir + "/sriov_totalvfs"));
        if (count > total) {
            throw new SriovException("PF " + pf + " supports at most " + total + " VFs (sriov_totalvfs), " + count
                    + " requested", null);
        }
        int current = read(pf, () -> sysfs.readInt(dir + "/sriov_numvfs"));
        if (current == count) {
            return;
        }
        if (current == 0 || count == 0) {
            writeNumVfs(pf, dir, current, count);
            return;
        }
        writeNumVfs(pf, dir, current, 0);
        try {
            writeNumVfs(pf, dir, 0, count);
        } catch (SriovException e) {
            try {
                writeNumVfs(pf, dir, 0, current);
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /**
     * Sets {@code sriov_drivers_autoprobe}: whether VFs created from now on get their default driver bound. Turning it
     * off before enabling VFs that all go to {@code vfio-pci} avoids creating and destroying a netdev per VF.
     *
     * @param pf the physical function
     * @param enabled true to let the kernel bind drivers to new VFs
     * @throws SriovException when {@code pf} is not an SR-IOV PF or the write fails
     */
    public void setDriversAutoprobe(PciAddress pf, boolean enabled) {
        String dir = requirePf(pf);
        write(pf, dir + "/sriov_drivers_autoprobe", enabled ? "1" : "0");
    }

    /**
     * @param pf the physical function
     * @return whether new VFs get their default driver bound
     * @throws SriovException when {@code pf} is not an SR-IOV PF or the file cannot be read
     */
    public boolean driversAutoprobe(PciAddress pf) {
        String dir = requirePf(pf);
        return read(pf, () -> sysfs.readInt(dir + "/sriov_drivers_autoprobe")) != 0;
    }

    /**
     * Binds a function (normally a VF) to {@code vfio-pci}: {@link #bindDriver(PciAddress, String)} with
     * {@value #VFIO_PCI}.
     *
     * @param function the PCI function
     * @throws SriovException as {@link #bindDriver(PciAddress, String)}
     */
    public void bindToVfio(PciAddress function) {
        bindDriver(function, VFIO_PCI);
    }

    /**
     * Binds a function to {@code driver}: writes {@code driver_override}, unbinds the current driver, asks
     * {@code drivers_probe}, and checks that {@code driver} is now bound. On failure the previous override and the
     * previous driver are restored.
     *
     * @param function the PCI function
     * @param driver the driver's name as under {@code bus/pci/drivers/}
     * @throws IllegalArgumentException when {@code driver} is not a plausible driver name
     * @throws SriovException when the function does not exist, a write fails, or the driver did not bind (its module
     *     is not loaded, or it does not support the device)
     */
    public void bindDriver(PciAddress function, String driver) {
        checkDriverName(function, driver);
        String dir = requireDevice(function);
        Optional<String> previousOverride = override(function, dir);
        Optional<String> previousDriver = boundDriver(function, dir);
        if (previousDriver.equals(Optional.of(driver)) && previousOverride.equals(Optional.of(driver))) {
            return;
        }
        boolean overrideWritten = false;
        try {
            write(function, dir + "/driver_override", driver);
            overrideWritten = true;
            if (previousDriver.isPresent() && !previousDriver.get().equals(driver)) {
                unbind(function, previousDriver.get());
            }
            write(function, PciPaths.DRIVERS_PROBE, function.toString());
            Optional<String> now = boundDriver(function, dir);
            if (!now.equals(Optional.of(driver))) {
                throw new SriovException(function + ": after drivers_probe " + describe(now) + " is bound, not "
                        + driver + " (is its module loaded and does it support "
                        + sysfs.resolve(PciPaths.device(function)) + "?)", null);
            }
            LOG.debug("{}: bound to {} (was {})", function, driver, describe(previousDriver));
        } catch (RuntimeException e) {
            restore(function, dir, overrideWritten, previousOverride, previousDriver, e);
            throw e;
        }
    }

    /**
     * Gives a function back to the driver the kernel picks for it: clears {@code driver_override}, unbinds the
     * current driver (e.g. {@code vfio-pci}) and asks {@code drivers_probe}. On failure the previous override and
     * driver are restored.
     *
     * @param function the PCI function
     * @return the driver bound afterwards; empty when no loaded driver claims the device
     * @throws SriovException when the function does not exist or a write fails
     */
    public Optional<String> releaseToDefaultDriver(PciAddress function) {
        String dir = requireDevice(function);
        Optional<String> previousOverride = override(function, dir);
        Optional<String> previousDriver = boundDriver(function, dir);
        boolean overrideWritten = false;
        try {
            if (previousOverride.isPresent()) {
                write(function, dir + "/driver_override", "\n");
                overrideWritten = true;
            } else if (previousDriver.isPresent()) {
                return previousDriver;
            }
            if (previousDriver.isPresent()) {
                unbind(function, previousDriver.get());
            }
            write(function, PciPaths.DRIVERS_PROBE, function.toString());
            Optional<String> now = boundDriver(function, dir);
            LOG.debug("{}: released from {} to {}", function, describe(previousDriver), describe(now));
            return now;
        } catch (RuntimeException e) {
            restore(function, dir, overrideWritten, previousOverride, previousDriver, e);
            throw e;
        }
    }

    /**
     * Undoes a partly done bind: detach whatever got bound instead, put the override back (before binding, since the
     * override decides which driver may match), then bind the previous driver explicitly.
     */
    private void restore(PciAddress function, String dir, boolean overrideWritten, Optional<String> previousOverride,
            Optional<String> previousDriver, RuntimeException failure) {
        try {
            Optional<String> now = boundDriver(function, dir);
            if (now.isPresent() && !now.equals(previousDriver)) {
                unbind(function, now.get());
            }
            if (overrideWritten) {
                write(function, dir + "/driver_override", previousOverride.orElse("\n"));
            }
            if (previousDriver.isPresent() && !boundDriver(function, dir).equals(previousDriver)) {
                write(function, PciPaths.driver(previousDriver.get()) + "/bind", function.toString());
            }
        } catch (RuntimeException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    private void unbind(PciAddress function, String driver) {
        write(function, PciPaths.driver(driver) + "/unbind", function.toString());
    }

    private Optional<String> override(PciAddress function, String dir) {
        String text = read(function, () -> sysfs.read(dir + "/driver_override")).strip();
        return text.isEmpty() || text.equals(NO_OVERRIDE) ? Optional.empty() : Optional.of(text);
    }

    private Optional<String> boundDriver(PciAddress function, String dir) {
        return read(function, () -> sysfs.linkTarget(dir + "/driver"));
    }

    private void writeNumVfs(PciAddress pf, String dir, int from, int to) {
        try {
            sysfs.write(dir + "/sriov_numvfs", Integer.toString(to));
            LOG.debug("PF {}: sriov_numvfs {} -> {}", pf, from, to);
        } catch (SysfsException e) {
            if (Errno.EBUSY.is(e.errno())) {
                throw new VfsInUseException("VFs in use: PF " + pf + " refused changing sriov_numvfs from " + from
                        + " to " + to + " (EBUSY): " + e.getMessage(), e);
            }
            throw new SriovException("PF " + pf + ": changing sriov_numvfs from " + from + " to " + to + " failed: "
                    + e.getMessage(), e);
        }
    }

    private void write(PciAddress function, String file, String value) {
        try {
            sysfs.write(file, value);
        } catch (SysfsException e) {
            throw new SriovException(function + ": " + e.getMessage(), e);
        }
    }

    private <T> T read(PciAddress function, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (SysfsException e) {
            throw new SriovException(function + ": " + e.getMessage(), e);
        }
    }

    private String requireDevice(PciAddress function) {
        String dir = PciPaths.device(function);
        if (!sysfs.exists(dir)) {
            Path path = sysfs.resolve(dir);
            throw new SriovException("no PCI device " + function + ": " + path + " does not exist", null);
        }
        return dir;
    }

    private String requirePf(PciAddress pf) {
        String dir = requireDevice(pf);
        if (!sysfs.exists(dir + "/sriov_totalvfs")) {
            throw new SriovException(pf + " is not an SR-IOV physical function: "
                    + sysfs.resolve(dir + "/sriov_totalvfs") + " does not exist", null);
        }
        return dir;
    }

    private static void checkDriverName(PciAddress function, String driver) {
        Objects.requireNonNull(driver, "driver");
        boolean plausible = !driver.isEmpty() && driver.length() <= MAX_DRIVER_NAME && !driver.equals(".")
                && !driver.equals("..") && driver.chars().allMatch(c -> c > ' ' && c < 127 && c != '/');
        if (!plausible) {
            throw new IllegalArgumentException("driver name '" + driver + "' for " + function
                    + " is not a PCI driver name (1-" + MAX_DRIVER_NAME + " printable characters, no '/')");
        }
    }

    private static String describe(Optional<String> driver) {
        return driver.orElse("no driver");
    }
}
