package dev.iov.sriov.sysfs;

import dev.iov.api.net.PciAddress;

/** Where the PCI bus keeps devices and drivers in sysfs, relative to its root ({@code drivers/pci/pci-sysfs.c}). */
final class PciPaths {
    /** One symlink per PCI function, named by address, to its directory under {@code devices/}. */
    static final String DEVICES = "bus/pci/devices";
    /** Writing a device's address here makes the kernel look for a driver for it (drivers/base/bus.c). */
    static final String DRIVERS_PROBE = "bus/pci/drivers_probe";

    private PciPaths() {
    }

    static String device(PciAddress address) {
        return DEVICES + "/" + address;
    }

    static String driver(String name) {
        return "bus/pci/drivers/" + name;
    }
}
