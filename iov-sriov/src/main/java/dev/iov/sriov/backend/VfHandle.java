package dev.iov.sriov.backend;

import dev.iov.api.net.PciAddress;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sriov} backend's name for a VF, {@code <pf-pci>/vf<N>} ({@link VfLease#handle()} writes it), read back
 * from an attachment the fabric recorded.
 *
 * @param pf the PF's PCI address
 * @param vf the VF number on the PF
 */
record VfHandle(PciAddress pf, int vf) {

    private static final Pattern FORM = Pattern.compile("(.+)/vf(\\d{1,9})");

    VfHandle {
        Objects.requireNonNull(pf, "pf");
    }

    /**
     * @param handle an attachment's handle
     * @return the PF and VF it names
     * @throws IllegalArgumentException naming the handle when it is not {@code <pf-pci>/vf<N>}
     */
    static VfHandle parse(String handle) {
        Matcher m = FORM.matcher(handle);
        if (m.matches()) {
            try {
                return new VfHandle(PciAddress.parse(m.group(1)), Integer.parseInt(m.group(2)));
            } catch (IllegalArgumentException e) {
                // reported below with the whole handle
            }
        }
        throw new IllegalArgumentException("VF handle '" + handle + "' is not <pf-pci>/vf<N>, e.g. 0000:3b:00.0/vf3");
    }
}
