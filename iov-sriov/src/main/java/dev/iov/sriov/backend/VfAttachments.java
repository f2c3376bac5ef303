package dev.iov.sriov.backend;

import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.VnicId;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.sriov.libvirt.HostdevXml;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an {@code sriov} attachment says about its VF, written by attach and read back by restore: the fabric stores
 * the attachment, and after a restart it is the only place that still knows, for example, which driver the VF had
 * before it was bound to vfio-pci.
 */
final class VfAttachments {

    private VfAttachments() {
    }

    /**
     * @param backendId the backend
     * @param vnic the vNIC
     * @param lease its VF
     * @param mac the MAC the VF carries for it
     * @param vlan the VLAN the PF tags it with
     * @param driverBefore the VF's driver before the attach bound it to vfio-pci
     * @return the attachment: handle {@code <pf-pci>/vf<N>}, details as {@link SriovBackend} names them
     */
    static Attachment describe(String backendId, VnicId vnic, VfLease lease, Optional<MacAddress> mac,
            Optional<VlanId> vlan, Optional<String> driverBefore) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(SriovBackend.PCI, lease.address().toString());
        details.put(SriovBackend.PF, lease.pfNetdev().value());
        details.put(SriovBackend.VF, Integer.toString(lease.vf()));
        // libvirt sets MAC and VLAN itself from this element when it starts the VM, so they are the same values.
        details.put(SriovBackend.LIBVIRT_XML, HostdevXml.hostdevInterface(lease.address(), mac, vlan, 0));
        driverBefore.ifPresent(driver -> details.put(SriovBackend.DRIVER_BEFORE, driver));
        return new Attachment(vnic, backendId, lease.handle(), details);
    }

    /**
     * @param attachment a recorded attachment
     * @return the driver its VF had before the attach, empty when the record names none
     */
    static Optional<String> driverBefore(Attachment attachment) {
        return Optional.ofNullable(attachment.details().get(SriovBackend.DRIVER_BEFORE)).filter(d -> !d.isEmpty());
    }

    /**
     * @param request a request
     * @return the MAC its VF is to carry: the allocated one, else the spec's; empty for none (all zeros)
     */
    static Optional<MacAddress> macOf(AttachRequest request) {
        return request.addresses().mac().or(request.spec()::mac).filter(m -> !m.equals(MacAddress.ZERO));
    }

    /**
     * @param request a request
     * @return the VLAN of its network, empty when the network is not a VLAN network
     */
    static Optional<VlanId> vlanOf(AttachRequest request) {
        return request.network().kind() == NetworkKind.VLAN ? Optional.of(VlanId.of(request.network().segment()))
                : Optional.empty();
    }
}
