package dev.iov.sriov.sysfs;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.sriov.PciClass;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An SR-IOV capable network function (Ethernet or InfiniBand) as sysfs shows it under
 * {@code /sys/bus/pci/devices/<address>/}.
 *
 * @param address the PF's PCI address
 * @param id vendor and device ID ({@code vendor}, {@code device})
 * @param classCode the 24-bit PCI class ({@code class}): 0x02xxxx, 0x0207xx for InfiniBand
 * @param driver the bound driver ({@code driver} link), empty when none is bound
 * @param netdev the PF's network interface ({@code net/<name>}), empty when it has none (no driver, or a driver that
 *     creates none); a function with several interfaces reports the first in name order
 * @param numaNode the NUMA node ({@code numa_node}), -1 when the platform does not say
 * @param totalVfs how many VFs the PF supports ({@code sriov_totalvfs}), at least 1
 * @param numVfs how many are enabled now ({@code sriov_numvfs})
 * @param virtualFunctions the enabled VFs ({@code virtfnN} links), in index order (numeric: virtfn9 before
 *     virtfn10)
 */
public record PhysicalFunction(PciAddress address, PciId id, int classCode, Optional<String> driver,
        Optional<InterfaceName> netdev, int numaNode, int totalVfs, int numVfs,
        List<VirtualFunction> virtualFunctions) {

    /**
     * @throws IllegalArgumentException when the counts are inconsistent or the VFs are not in ascending index order
     */
    public PhysicalFunction {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(netdev, "netdev");
        virtualFunctions = List.copyOf(virtualFunctions);
        if (totalVfs < 1 || numVfs < 0 || numVfs > totalVfs) {
            throw new IllegalArgumentException("PF " + address + ": sriov_numvfs " + numVfs + " and sriov_totalvfs "
                    + totalVfs + " are inconsistent");
        }
        for (int i = 1; i < virtualFunctions.size(); i++) {
            if (virtualFunctions.get(i).index() <= virtualFunctions.get(i - 1).index()) {
                throw new IllegalArgumentException("PF " + address + ": VF index " + virtualFunctions.get(i).index()
                        + " follows VF index " + virtualFunctions.get(i - 1).index());
            }
        }
    }

    /** @return true for an InfiniBand function (class 0x0207xx) */
    public boolean infiniBand() {
        return PciClass.isInfiniBand(classCode);
    }

    /**
     * @param index a VF number
     * @return that VF, empty when it is not enabled
     */
    public Optional<VirtualFunction> virtualFunction(int index) {
        return virtualFunctions.stream().filter(vf -> vf.index() == index).findFirst();
    }
}
