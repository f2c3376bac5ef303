package dev.iov.sriov.libvirt;

import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PciAddress;
import dev.iov.api.net.VlanId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes the libvirt elements that give a VM a virtual function, following libvirt's domain format
 * (formatdomain.html, "PCI Passthrough" under network interfaces, and "Host device assignment"):
 *
 * <pre>{@code
 * <interface type='hostdev' managed='yes'>
 *   <mac address='02:69:6f:00:00:01'/>
 *   <driver name='vfio'/>
 *   <source>
 *     <address type='pci' domain='0x0000' bus='0x3b' slot='0x00' function='0x2'/>
 *   </source>
 *   <vlan>
 *     <tag id='42'/>
 *   </vlan>
 * </interface>
 * }</pre>
 *
 * With {@code <interface type='hostdev'>} libvirt itself sets the VF's MAC and VLAN through the PF before the guest
 * starts, and {@code managed='yes'} lets it detach the VF from its host driver and bind it to vfio-pci; that is the
 * element for a NIC. {@code <hostdev mode='subsystem' type='pci'>} passes the device through as it is, with no MAC or
 * VLAN handling, for a VF whose settings iov has programmed already. Every value comes from a validated value type, so
 * nothing needs escaping. Indentation is two spaces, starting at the given depth, so the text can be pasted into
 * {@code <devices>} as it is.
 */
public final class HostdevXml {

    private HostdevXml() {
    }

    /**
     * The {@code <interface type='hostdev' managed='yes'>} element of a VF.
     *
     * @param vf the VF's PCI address
     * @param mac the MAC the guest sees, or empty to let libvirt generate one
     * @param vlan the access VLAN libvirt programs on the VF, or empty for untagged
     * @param indent the number of spaces before the opening tag
     * @return the element, lines ending in {@code \n}
     */
    public static String hostdevInterface(PciAddress vf, Optional<MacAddress> mac, Optional<VlanId> vlan, int indent) {
        Objects.requireNonNull(vf, "vf");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(vlan, "vlan");
        String in = spaces(indent);
        StringBuilder xml = new StringBuilder(320);
        xml.append(in).append("<interface type='hostdev' managed='yes'>\n");
        mac.ifPresent(m -> xml.append(in).append("  <mac address='").append(m).append("'/>\n"));
        xml.append(in).append("  <driver name='vfio'/>\n");
        xml.append(in).append("  <source>\n");
        xml.append(in).append("    ").append(address(vf, true)).append('\n');
        xml.append(in).append("  </source>\n");
        vlan.ifPresent(v -> xml.append(in).append("  <vlan>\n")
                .append(in).append("    <tag id='").append(v.value()).append("'/>\n")
                .append(in).append("  </vlan>\n"));
        xml.append(in).append("</interface>\n");
        return xml.toString();
    }

    /**
     * The {@code <hostdev mode='subsystem' type='pci' managed='yes'>} element of a PCI device.
     *
     * @param device the device's PCI address
     * @param indent the number of spaces before the opening tag
     * @return the element, lines ending in {@code \n}
     */
    public static String hostdev(PciAddress device, int indent) {
        Objects.requireNonNull(device, "device");
        String in = spaces(indent);
        return in + "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
                + in + "  <driver name='vfio'/>\n"
                + in + "  <source>\n"
                + in + "    " + address(device, false) + "\n"
                + in + "  </source>\n"
                + in + "</hostdev>\n";
    }

    /** libvirt's PCI address element: hexadecimal with {@code 0x}, as {@code virsh dumpxml} prints it. */
    private static String address(PciAddress a, boolean typed) {
        return String.format(Locale.ROOT, "<address %sdomain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>",
                typed ? "type='pci' " : "", a.domain(), a.bus(), a.device(), a.function());
    }

    private static String spaces(int indent) {
        if (indent < 0 || indent > 64) {
            throw new IllegalArgumentException("indent " + indent + " is out of range 0-64");
        }
        return " ".repeat(indent);
    }
}
