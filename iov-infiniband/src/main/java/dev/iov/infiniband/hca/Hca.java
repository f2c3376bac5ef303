package dev.iov.infiniband.hca;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.NumberedState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An RDMA device ({@code /sys/class/infiniband/<name>}): an InfiniBand HCA, a RoCE NIC or a software device such as
 * {@code rxe0}.
 *
 * @param name the device name, e.g. {@code mlx5_0}
 * @param pci the PCI function behind it ({@code device} link); empty for software devices
 * @param nodeGuid the node GUID ({@code node_guid})
 * @param nodeType the node type, e.g. {@code 1: CA} ({@code node_type})
 * @param firmware the firmware version ({@code fw_ver}); empty when the driver reports none
 * @param ports the ports, by number
 * @param vfGuidPolicies the mlx5 VF GUID and policy entries ({@code device/sriov/<vf>}), by VF; empty elsewhere
 */
public record Hca(String name, Optional<PciAddress> pci, Guid nodeGuid, NumberedState nodeType,
        Optional<String> firmware, List<HcaPort> ports, List<VfGuidPolicy> vfGuidPolicies) {

    /**
     * @param name not blank
     * @param pci not null
     * @param nodeGuid not null
     * @param nodeType not null
     * @param firmware not null
     * @param ports not null; copied
     * @param vfGuidPolicies not null; copied
     */
    public Hca {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("HCA name '" + name + "' is blank");
        }
        Objects.requireNonNull(pci, "pci");
        Objects.requireNonNull(nodeGuid, "nodeGuid");
        Objects.requireNonNull(nodeType, "nodeType");
        Objects.requireNonNull(firmware, "firmware");
        ports = List.copyOf(ports);
        vfGuidPolicies = List.copyOf(vfGuidPolicies);
    }

    /**
     * @param number a port number
     * @return that port, empty when the HCA has none with that number
     */
    public Optional<HcaPort> port(int number) {
        return ports.stream().filter(p -> p.number() == number).findFirst();
    }
}
