package dev.iov.sriov.sysfs;

/**
 * A PCI vendor and device ID pair, as in the sysfs {@code vendor} and {@code device} files ({@code 0x15b3},
 * {@code 0x1017}) and in {@code lspci -n} ({@code 15b3:1017}).
 *
 * @param vendor the vendor ID, 0 to 0xffff (0x15b3 Mellanox/NVIDIA, 0x8086 Intel)
 * @param device the device ID, 0 to 0xffff
 */
public record PciId(int vendor, int device) {

    /**
     * @throws IllegalArgumentException when an ID does not fit in 16 bits
     */
    public PciId {
        if (vendor < 0 || vendor > 0xffff || device < 0 || device > 0xffff) {
            throw new IllegalArgumentException("PCI ID vendor=0x" + Integer.toHexString(vendor) + " device=0x"
                    + Integer.toHexString(device) + " does not fit in 16 bits");
        }
    }

    /** @return {@code vvvv:dddd} in lowercase hex, the {@code lspci -n} form */
    @Override
    public String toString() {
        return String.format("%04x:%04x", vendor, device);
    }
}
