package dev.iov.sriov.backend;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import java.util.Objects;

/**
 * One VF handed out by a {@link VfPool}.
 *
 * @param pf the PF's PCI address
 * @param pfNetdev the PF's netdev, through which the VF is programmed
 * @param vf the VF number on the PF
 * @param address the VF's PCI address
 */
public record VfLease(PciAddress pf, InterfaceName pfNetdev, int vf, PciAddress address) {

    /** Checks that no part is null. */
    public VfLease {
        Objects.requireNonNull(pf, "pf");
        Objects.requireNonNull(pfNetdev, "pfNetdev");
        Objects.requireNonNull(address, "address");
    }

    /** @return the attachment handle: {@code <pf-pci>/vf<N>}, e.g. {@code 0000:3b:00.0/vf3} */
    public String handle() {
        return pf + "/vf" + vf;
    }
}
