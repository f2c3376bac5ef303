package dev.iov.api.net;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 48-bit IEEE 802 MAC address, held as the low 48 bits of a {@code long} (first octet in bits 47..40).
 *
 * <p>Canonical text: six lowercase hex pairs separated by colons ({@code 02:69:6f:00:00:01}). {@link #parse} also
 * accepts dashes and upper case. Ordering is numeric, which is also the order of the canonical text.
 */
public final class MacAddress implements Comparable<MacAddress> {

    private static final String KIND = "MAC address";
    private static final long MASK = 0xFFFF_FFFF_FFFFL;
    /** I/G bit: least significant bit of the first octet. */
    private static final long MULTICAST_BIT = 1L << 40;
    /** U/L bit: second least significant bit of the first octet. */
    private static final long LOCAL_BIT = 1L << 41;
    private static final int TEXT_LENGTH = 17;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The all-zero address {@code 00:00:00:00:00:00}. */
    public static final MacAddress ZERO = new MacAddress(0);
    /** The broadcast address {@code ff:ff:ff:ff:ff:ff}. */
    public static final MacAddress BROADCAST = new MacAddress(MASK);

    private final long value;

    private MacAddress(long value) {
        this.value = value;
    }

    /**
     * Returns the address whose 48 bits are the low bits of {@code value}.
     *
     * @param value the address as a number, {@code 0} to {@code 0xffffffffffff}
     * @return the address
     * @throws IllegalArgumentException when a bit above bit 47 is set
     */
    public static MacAddress of(long value) {
        if ((value & ~MASK) != 0) {
            throw Invalid.value(KIND, "0x" + Long.toHexString(value), "more than 48 bits");
        }
        return new MacAddress(value);
    }

    /**
     * Returns the address made of six octets in wire order.
     *
     * @param octets exactly six bytes, first octet first; the array is not kept
     * @return the address
     * @throws IllegalArgumentException when the array does not hold six bytes
     */
    public static MacAddress of(byte[] octets) {
        if (octets.length != 6) {
            throw Invalid.value(KIND, HexFormat.ofDelimiter(":").formatHex(octets),
                    "expected 6 bytes, got " + octets.length);
        }
        long v = 0;
        for (byte b : octets) {
            v = (v << 8) | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} or {@code aa-bb-cc-dd-ee-ff}, hex digits in either case. Every group has two
     * digits and one separator is used throughout.
     *
     * @param text the address text
     * @return the address
     * @throws IllegalArgumentException when the text is not a MAC address in one of those forms
     */
    public static MacAddress parse(String text) {
        if (text.length() != TEXT_LENGTH) {
            throw Invalid.value(KIND, text, "expected six 2-digit hex groups separated by ':' or '-'");
        }
        char separator = text.charAt(2);
        if (separator != ':' && separator != '-') {
            throw Invalid.value(KIND, text, "expected ':' or '-' after the first group");
        }
        long v = 0;
        for (int group = 0; group < 6; group++) {
            int at = group * 3;
            if (group > 0 && text.charAt(at - 1) != separator) {
                throw Invalid.value(KIND, text, "expected '" + separator + "' at position " + (at - 1));
            }
            int high = Digits.hex(text.charAt(at));
            int low = Digits.hex(text.charAt(at + 1));
            if (high < 0 || low < 0) {
                throw Invalid.value(KIND, text, "'" + text.substring(at, at + 2) + "' is not two hex digits");
            }
            v = (v << 8) | (high << 4) | low;
        }
        return new MacAddress(v);
    }

    /** @return the address as a number, {@code 0} to {@code 0xffffffffffff} */
    public long toLong() {
        return value;
    }

    /** @return a new six-byte array, first octet first */
    public byte[] toBytes() {
        byte[] octets = new byte[6];
        for (int i = 0; i < 6; i++) {
            octets[i] = octet(i);
        }
        return octets;
    }

    /**
     * Writes the six octets at an absolute index, the way a frame header is filled in. Neither the buffer's position
     * nor its byte order matters or changes.
     *
     * @param buf the buffer
     * @param index where the first octet goes
     * @throws IndexOutOfBoundsException when fewer than six bytes fit between {@code index} and the limit; nothing is
     *     written then
     * @throws java.nio.ReadOnlyBufferException when the buffer is read-only
     */
    public void writeTo(ByteBuffer buf, int index) {
        // Checked up front so a short buffer is never left half-written.
        Objects.checkFromIndexSize(index, 6, buf.limit());
        for (int i = 0; i < 6; i++) {
            buf.put(index + i, octet(i));
        }
    }

    /** @return true when the I/G bit is set (group address; includes broadcast) */
    public boolean isMulticast() {
        return (value & MULTICAST_BIT) != 0;
    }

    /** @return true for {@code ff:ff:ff:ff:ff:ff} */
    public boolean isBroadcast() {
        return value == MASK;
    }

    /**
     * Checks that this address may be given to an interface: unicast and not all-zero. Multicast and broadcast
     * addresses are group addresses, and {@code 00:00:00:00:00:00} is what the kernel reports for "no address" (a VF
     * without an administratively set MAC), so none of them is ever written as an interface's address.
     *
     * @param holder what would get the address, for the message: {@code "a VF"}, {@code "a vNIC"}
     * @return this address
     * @throws IllegalArgumentException naming the address and why, e.g. {@code MAC 01:00:5e:00:00:01 is multicast;
     *     a VF needs a unicast address}
     */
    public MacAddress requireAssignable(String holder) {
        String why = isBroadcast() ? "the broadcast address" : isMulticast() ? "multicast"
                : value == 0 ? "the all-zero address" : null;
        if (why != null) {
            throw new IllegalArgumentException("MAC " + this + " is " + why + "; " + holder
                    + " needs a unicast address");
        }
        return this;
    }

    /** @return true when the U/L bit is set (not assigned from a vendor OUI) */
    public boolean isLocallyAdministered() {
        return (value & LOCAL_BIT) != 0;
    }

    /** @return true when the I/G bit is clear (individual address) */
    public boolean isUnicast() {
        return !isMulticast();
    }

    private byte octet(int i) {
        return (byte) (value >>> (40 - 8 * i));
    }

    /**
     * Orders by numeric value.
     *
     * @param other another address
     * @return negative, zero or positive as this address is below, equal to or above {@code other}
     */
    @Override
    public int compareTo(MacAddress other) {
        return Long.compare(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && ((MacAddress) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    /** @return the canonical form, lowercase with colons: {@code 02:69:6f:00:00:01} */
    @Override
    public String toString() {
        char[] text = new char[TEXT_LENGTH];
        for (int i = 0; i < 6; i++) {
            int b = octet(i) & 0xFF;
            text[i * 3] = HEX[b >>> 4];
            text[i * 3 + 1] = HEX[b & 0xF];
            if (i < 5) {
                text[i * 3 + 2] = ':';
            }
        }
        return new String(text);
    }
}
