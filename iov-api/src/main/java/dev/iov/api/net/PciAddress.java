package dev.iov.api.net;

/**
 * A PCI function address (domain, bus, device, function), as used in {@code /sys/bus/pci/devices/<bdf>}.
 *
 * <p>Domain is 16 bits, bus 8 bits, device 5 bits (0-0x1f), function 3 bits (0-7). Canonical text is the sysfs form
 * {@code dddd:bb:dd.f} in lowercase hex, e.g. {@code 0000:3b:00.1}. The four fields are packed into one {@code int}
 * the way the kernel's BDF is ({@code domain<<16 | bus<<8 | device<<3 | function}); ordering is by domain, bus,
 * device, then function.
 */
public final class PciAddress implements Comparable<PciAddress> {

    private static final String KIND = "PCI address";

    private final int packed;

    private PciAddress(int packed) {
        this.packed = packed;
    }

    /**
     * Returns the address.
     *
     * @param domain 0 to 0xffff
     * @param bus 0 to 0xff
     * @param device 0 to 0x1f
     * @param function 0 to 7
     * @return the address
     * @throws IllegalArgumentException when a field is out of range
     */
    public static PciAddress of(int domain, int bus, int device, int function) {
        String input = "domain=" + domain + " bus=" + bus + " device=" + device + " function=" + function;
        return checked(domain, bus, device, function, input);
    }

    /**
     * Parses {@code dddd:bb:dd.f} or the short {@code bb:dd.f} (domain 0), hex digits in either case. Domain takes 1-4
     * digits, bus and device 1-2, function 1.
     *
     * @param text the address text, e.g. {@code 0000:3b:00.1} or {@code 3b:00.1}
     * @return the address
     * @throws IllegalArgumentException when the text is not in one of those forms or a field is out of range
     */
    public static PciAddress parse(String text) {
        int dot = text.lastIndexOf('.');
        if (dot < 0) {
            throw Invalid.value(KIND, text, "expected dddd:bb:dd.f or bb:dd.f, found no '.'");
        }
        String[] parts = text.substring(0, dot).split(":", -1);
        if (parts.length != 2 && parts.length != 3) {
            throw Invalid.value(KIND, text, "expected dddd:bb:dd.f or bb:dd.f");
        }
        int first = parts.length - 2;
        int domain = parts.length == 3 ? field(text, "domain", parts[0], 4) : 0;
        int bus = field(text, "bus", parts[first], 2);
        int device = field(text, "device", parts[first + 1], 2);
        int function = field(text, "function", text.substring(dot + 1), 1);
        return checked(domain, bus, device, function, text);
    }

    private static int field(String text, String name, String digits, int maxDigits) {
        if (digits.isEmpty() || digits.length() > maxDigits || !Digits.isHex(digits, 0, digits.length())) {
            String expected = maxDigits == 1 ? "one hex digit" : "1-" + maxDigits + " hex digits";
            throw Invalid.value(KIND, text, name + " '" + digits + "' is not " + expected);
        }
        return (int) Digits.parse(digits, 0, digits.length(), 16);
    }

    private static PciAddress checked(int domain, int bus, int device, int function, String input) {
        check(input, "domain", domain, 0xffff);
        check(input, "bus", bus, 0xff);
        check(input, "device", device, 0x1f);
        check(input, "function", function, 7);
        return new PciAddress(domain << 16 | bus << 8 | device << 3 | function);
    }

    private static void check(String input, String name, int value, int max) {
        if (value < 0 || value > max) {
            String shown = value < 0 ? Integer.toString(value) : "0x" + Integer.toHexString(value);
            throw Invalid.value(KIND, input, name + " " + shown + " is out of range 0-0x" + Integer.toHexString(max));
        }
    }

    /** @return the PCI domain (segment), 0 to 0xffff */
    public int domain() {
        return packed >>> 16;
    }

    /** @return the bus number, 0 to 0xff */
    public int bus() {
        return (packed >>> 8) & 0xff;
    }

    /** @return the device number, 0 to 0x1f */
    public int device() {
        return (packed >>> 3) & 0x1f;
    }

    /** @return the function number, 0 to 7 */
    public int function() {
        return packed & 7;
    }

    /**
     * Orders by domain, bus, device, then function.
     *
     * @param other another address
     * @return negative, zero or positive as this address sorts before, with or after {@code other}
     */
    @Override
    public int compareTo(PciAddress other) {
        // Domains at or above 0x8000 make the packed int negative.
        return Integer.compareUnsigned(packed, other.packed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PciAddress && ((PciAddress) o).packed == packed;
    }

    @Override
    public int hashCode() {
        return packed;
    }

    /** @return the sysfs form {@code dddd:bb:dd.f}, lowercase, e.g. {@code 0000:3b:00.1} */
    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain(), bus(), device(), function());
    }
}
