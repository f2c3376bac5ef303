package dev.iov.sriov.sysfs;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtual function as its physical function's {@code virtfn<index>} link and the VF's own sysfs directory show it.
 *
 * @param index the VF number N of the PF's {@code virtfnN} link (0-based, the number {@code ip link set ... vf N}
 *     takes)
 * @param address the VF's PCI address
 * @param id the VF's vendor and device ID (e.g. 15b3:1018 for a ConnectX-5 VF, 8086:154c for an Intel XL710 VF)
 * @param driver the bound driver ({@code mlx5_core}, {@code iavf}, {@code vfio-pci}), empty when none is bound
 * @param netdev the VF's network interface, empty when its driver is not a network driver (vfio-pci) or none is bound
 */
public record VirtualFunction(int index, PciAddress address, PciId id, Optional<String> driver,
        Optional<InterfaceName> netdev) {

    /**
     * @throws IllegalArgumentException when the index is negative
     */
    public VirtualFunction {
        if (index < 0) {
            throw new IllegalArgumentException("VF index " + index + " of " + address + " is negative");
        }
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(netdev, "netdev");
    }

    /** @return true when the VF is bound to {@code vfio-pci}, i.e. ready to be passed to a VM */
    public boolean boundToVfio() {
        return driver.filter(SriovControl.VFIO_PCI::equals).isPresent();
    }
}
