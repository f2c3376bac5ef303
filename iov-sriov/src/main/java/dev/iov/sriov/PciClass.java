package dev.iov.sriov;

/**
 * The PCI class code of a device ({@code /sys/bus/pci/devices/<bdf>/class}, e.g. {@code 0x020000}): which devices
 * iov treats as network functions.
 */
public final class PciClass {
    private static final int BASE_CLASS_NETWORK = 0x02;
    private static final int SUBCLASS_INFINIBAND = 0x07;

    private PciClass() {
    }

    /**
     * Parses the sysfs {@code class} file.
     *
     * @param text the file's content, e.g. {@code "0x020000\n"}
     * @return the 24-bit class code
     * @throws IllegalArgumentException when the text is not a {@code 0x}-prefixed 24-bit hex number
     */
    public static int parse(String text) {
        String trimmed = text.strip();
        // Integer.parseInt alone would take a sign ("0x-1"); the kernel prints hex digits only.
        if (!trimmed.startsWith("0x") || trimmed.length() < 3 || trimmed.length() > 8
                || !trimmed.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            throw new IllegalArgumentException("not a PCI class code: '" + text + "'");
        }
        return Integer.parseInt(trimmed.substring(2), 16);
    }

    /**
     * @param classCode a 24-bit class code
     * @return true for network controllers (base class 0x02), InfiniBand included
     */
    public static boolean isNetwork(int classCode) {
        return (classCode >>> 16) == BASE_CLASS_NETWORK;
    }

    /**
     * @param classCode a 24-bit class code
     * @return true for InfiniBand controllers (0x0207xx)
     */
    public static boolean isInfiniBand(int classCode) {
        return isNetwork(classCode) && ((classCode >>> 8) & 0xff) == SUBCLASS_INFINIBAND;
    }
}
