package dev.iov.ethernet.rss;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The Toeplitz hash that NICs use for receive-side scaling (RSS), computed from precomputed per-byte tables.
 *
 * <h2>What is hashed</h2>
 * The input is the flow tuple in network byte order, exactly as Microsoft's RSS specification and every NIC define
 * it: source address, destination address and, for the 4-tuple, source port and destination port. IPv4 2-tuple = 8
 * bytes, IPv4 4-tuple = 12, IPv6 2-tuple = 32, IPv6 4-tuple = 36. The key is 40 bytes, which is what a 36-byte input
 * needs (input length + 4: the last input bit uses key bits 287..318). {@link #microsoft()} is the default key of
 * the specification (and of most NIC drivers); {@link #symmetric()} repeats {@code 0x6d5a}, so that swapping source
 * and destination (addresses and ports together) gives the same hash and both directions of a flow land on the same
 * queue.
 *
 * <p>Addresses and ports are passed as primitives whose most significant bits are the first on the wire: the IPv4
 * address {@code 66.9.149.187} is the {@code int} {@code 0x420995bb} (what {@link ByteBuffer#getInt} returns from a
 * big-endian buffer), an IPv6 address is two {@code long}s (bytes 0-7 and 8-15), a port is its 16-bit value in the
 * low bits of an {@code int} (higher bits are ignored).
 *
 * <h2>Why it is built this way (mechanical sympathy)</h2>
 * The textbook algorithm ({@link ReferenceToeplitz}, DPDK's {@code rte_softrss}) walks the input bit by bit: for
 * every set bit it XORs a 32-bit window of the key into the result, 96 data-dependent, unpredictable branches for
 * an IPv4+TCP tuple. The hash is linear over GF(2), so the contribution of one input byte depends only on its
 * position and value; this class precomputes it for every position (0..35) and value (0..255) into one
 * {@code int[36 * 256]} (36 KiB, position-major so that the 12 rows an IPv4+TCP tuple touches are 12 KiB of
 * consecutive memory, which stays in L1 when the switch hashes frame after frame). A hash is then one load and one
 * XOR per input byte, with no branch that depends on the data: the 12 (IPv4) or 36 (IPv6) loads are independent of
 * each other, so an out-of-order core issues them in parallel and the latency is a few load-to-use cycles plus an
 * XOR tree, not a chain of 96 branches. The tuple methods take primitives and unroll the byte positions by hand, so
 * that the row offsets are constants folded into the addressing and nothing is boxed, copied or allocated: the switch
 * calls them once per frame. The table is built once per key; instances are immutable and safe to share between
 * threads.
 */
public final class ToeplitzHash {

    /** Key length in bytes. */
    public static final int KEY_LENGTH = 40;

    /** Longest input in bytes: an IPv6 4-tuple (16 + 16 + 2 + 2). */
    public static final int MAX_INPUT_LENGTH = KEY_LENGTH - 4;

    private static final HexFormat HEX = HexFormat.of();

    /** Microsoft's default RSS key, used by most NIC drivers when none is configured. */
    private static final byte[] MICROSOFT_KEY = HEX.parseHex(
            "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");

    private static final ToeplitzHash MICROSOFT = new ToeplitzHash(MICROSOFT_KEY);

    private static final ToeplitzHash SYMMETRIC = new ToeplitzHash(symmetricKey());

    private final byte[] key;

    /** {@code table[(position << 8) | value]}: what input byte {@code value} at {@code position} XORs in. */
    private final int[] table;

    private ToeplitzHash(byte[] key) {
        this.key = key;
        this.table = buildTable(key);
    }

    /**
     * The hash with Microsoft's default key {@code 6d5a56da…a42b73bbeac01fa}.
     *
     * @return the shared instance
     */
    public static ToeplitzHash microsoft() {
        return MICROSOFT;
    }

    /**
     * The hash with the symmetric key (20 times {@code 0x6d5a}): {@code hash(a, b) == hash(b, a)} for addresses and
     * ports swapped together.
     *
     * @return the shared instance
     */
    public static ToeplitzHash symmetric() {
        return SYMMETRIC;
    }

    /**
     * The hash with a custom key.
     *
     * @param key exactly {@value #KEY_LENGTH} bytes; copied
     * @return the hash (builds its 36 KiB table)
     * @throws IllegalArgumentException when the key is not {@value #KEY_LENGTH} bytes long
     */
    public static ToeplitzHash of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "RSS key must be " + KEY_LENGTH + " bytes, got " + key.length + " bytes");
        }
        return new ToeplitzHash(key.clone());
    }

    /**
     * The hash with a key given as {@code 2 * }{@value #KEY_LENGTH} hex digits, as DPDK and most tools print it.
     *
     * @param hexKey 80 hex digits (either case), optionally with {@code :} between the bytes as {@code ethtool -x}
     *     prints them
     * @return the hash
     * @throws IllegalArgumentException naming the key when it is not 40 bytes of hex
     */
    public static ToeplitzHash ofHex(String hexKey) {
        Objects.requireNonNull(hexKey, "hexKey");
        String digits = hexKey.matches("\\p{XDigit}{2}(:\\p{XDigit}{2}){39}") ? hexKey.replace(":", "") : hexKey;
        if (!digits.matches("\\p{XDigit}{" + 2 * KEY_LENGTH + "}")) {
            throw new IllegalArgumentException("invalid RSS key '" + hexKey + "': expected " + 2 * KEY_LENGTH
                    + " hex digits (" + KEY_LENGTH + " bytes), got " + hexKey.length() + " characters");
        }
        return new ToeplitzHash(HEX.parseHex(digits));
    }

    /**
     * The key.
     *
     * @return a copy of the {@value #KEY_LENGTH} key bytes
     */
    public byte[] key() {
        return key.clone();
    }

    /**
     * The hash of an IPv4 2-tuple (no ports), as NICs compute it for non-TCP/UDP IPv4 packets.
     *
     * @param src source address, first byte on the wire in the most significant bits
     * @param dst destination address, same layout
     * @return the 32-bit Toeplitz hash
     */
    public int hashIpv4(int src, int dst) {
        final int[] t = table;
        return t[src >>> 24] ^ t[0x100 | (src >>> 16) & 0xff] ^ t[0x200 | (src >>> 8) & 0xff] ^ t[0x300 | src & 0xff]
                ^ t[0x400 | dst >>> 24] ^ t[0x500 | (dst >>> 16) & 0xff] ^ t[0x600 | (dst >>> 8) & 0xff]
                ^ t[0x700 | dst & 0xff];
    }

    /**
     * The hash of an IPv4 4-tuple (TCP or UDP).
     *
     * @param src source address, first byte on the wire in the most significant bits
     * @param dst destination address, same layout
     * @param sport source port (low 16 bits are used)
     * @param dport destination port (low 16 bits are used)
     * @return the 32-bit Toeplitz hash
     */
    public int hashIpv4(int src, int dst, int sport, int dport) {
        final int[] t = table;
        return t[src >>> 24] ^ t[0x100 | (src >>> 16) & 0xff] ^ t[0x200 | (src >>> 8) & 0xff] ^ t[0x300 | src & 0xff]
                ^ t[0x400 | dst >>> 24] ^ t[0x500 | (dst >>> 16) & 0xff] ^ t[0x600 | (dst >>> 8) & 0xff]
                ^ t[0x700 | dst & 0xff]
                ^ t[0x800 | (sport >>> 8) & 0xff] ^ t[0x900 | sport & 0xff]
                ^ t[0xa00 | (dport >>> 8) & 0xff] ^ t[0xb00 | dport & 0xff];
    }

    /**
     * The hash of an IPv6 2-tuple (no ports).
     *
     * @param srcHi source address bytes 0-7 (byte 0 in the most significant bits)
     * @param srcLo source address bytes 8-15
     * @param dstHi destination address bytes 0-7
     * @param dstLo destination address bytes 8-15
     * @return the 32-bit Toeplitz hash
     */
    public int hashIpv6(long srcHi, long srcLo, long dstHi, long dstLo) {
        final int[] t = table;
        return row8(t, 0x0000, srcHi) ^ row8(t, 0x0800, srcLo) ^ row8(t, 0x1000, dstHi) ^ row8(t, 0x1800, dstLo);
    }

    /**
     * The hash of an IPv6 4-tuple (TCP or UDP).
     *
     * @param srcHi source address bytes 0-7 (byte 0 in the most significant bits)
     * @param srcLo source address bytes 8-15
     * @param dstHi destination address bytes 0-7
     * @param dstLo destination address bytes 8-15
     * @param sport source port (low 16 bits are used)
     * @param dport destination port (low 16 bits are used)
     * @return the 32-bit Toeplitz hash
     */
    public int hashIpv6(long srcHi, long srcLo, long dstHi, long dstLo, int sport, int dport) {
        final int[] t = table;
        return row8(t, 0x0000, srcHi) ^ row8(t, 0x0800, srcLo) ^ row8(t, 0x1000, dstHi) ^ row8(t, 0x1800, dstLo)
                ^ t[0x2000 | (sport >>> 8) & 0xff] ^ t[0x2100 | sport & 0xff]
                ^ t[0x2200 | (dport >>> 8) & 0xff] ^ t[0x2300 | dport & 0xff];
    }

    /**
     * The hash of arbitrary input bytes, for tuples laid out elsewhere (a frame's bytes, a prepared buffer).
     * Reads with absolute gets, byte by byte: the buffer's position, mark and byte order neither matter nor change.
     *
     * @param input the bytes
     * @param offset index of the first input byte
     * @param length number of bytes, at most {@value #MAX_INPUT_LENGTH}
     * @return the 32-bit Toeplitz hash
     * @throws IndexOutOfBoundsException when the range is not inside the buffer's limit
     * @throws IllegalArgumentException when {@code length} exceeds {@value #MAX_INPUT_LENGTH}
     */
    public int hash(ByteBuffer input, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, input.limit());
        checkLength(length);
        final int[] t = table;
        int h = 0;
        for (int i = 0; i < length; i++) {
            h ^= t[i << 8 | input.get(offset + i) & 0xff];
        }
        return h;
    }

    /**
     * The hash of arbitrary input bytes in an array.
     *
     * @param input the bytes
     * @param offset index of the first input byte
     * @param length number of bytes, at most {@value #MAX_INPUT_LENGTH}
     * @return the 32-bit Toeplitz hash
     * @throws IndexOutOfBoundsException when the range is not inside the array
     * @throws IllegalArgumentException when {@code length} exceeds {@value #MAX_INPUT_LENGTH}
     */
    public int hash(byte[] input, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, input.length);
        checkLength(length);
        final int[] t = table;
        int h = 0;
        for (int i = 0; i < length; i++) {
            h ^= t[i << 8 | input[offset + i] & 0xff];
        }
        return h;
    }

    /**
     * Formats a hash the way NIC tools and this project's CLI print it.
     *
     * @param hash a hash
     * @return {@code 0x} and 8 lower-case hex digits, e.g. {@code 0x51ccc178}
     */
    public static String toHex(int hash) {
        return "0x" + HEX.toHexDigits(hash);
    }

    /** @return the key in hex, e.g. {@code ToeplitzHash[6d5a56da…]} */
    @Override
    public String toString() {
        return "ToeplitzHash[" + HEX.formatHex(key) + "]";
    }

    /** Value equality by key. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ToeplitzHash && Arrays.equals(key, ((ToeplitzHash) other).key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    /** Eight consecutive byte positions starting at row {@code base >>> 8}, from a long (byte 0 = top byte). */
    private static int row8(int[] t, int base, long x) {
        return t[base | (int) (x >>> 56)] ^ t[base + 0x100 | (int) (x >>> 48) & 0xff]
                ^ t[base + 0x200 | (int) (x >>> 40) & 0xff] ^ t[base + 0x300 | (int) (x >>> 32) & 0xff]
                ^ t[base + 0x400 | (int) (x >>> 24) & 0xff] ^ t[base + 0x500 | (int) (x >>> 16) & 0xff]
                ^ t[base + 0x600 | (int) (x >>> 8) & 0xff] ^ t[base + 0x700 | (int) x & 0xff];
    }

    private static void checkLength(int length) {
        if (length > MAX_INPUT_LENGTH) {
            throw new IllegalArgumentException(
                    "Toeplitz input of " + length + " bytes exceeds " + MAX_INPUT_LENGTH + " (40-byte key)");
        }
    }

    private static byte[] symmetricKey() {
        byte[] key = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i += 2) {
            key[i] = 0x6d;
            key[i + 1] = 0x5a;
        }
        return key;
    }

    /**
     * The 32 key bits starting at bit {@code bit} (bit 0 = most significant bit of key byte 0), zeros past the end.
     */
    static int window(byte[] key, int bit) {
        int first = bit >>> 3;
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            int index = first + i;
            bits = bits << 8 | (index < key.length ? key[index] & 0xff : 0);
        }
        return (int) (bits << (bit & 7) >>> 32);
    }

    private static int[] buildTable(byte[] key) {
        int[] table = new int[MAX_INPUT_LENGTH << 8];
        int[] windows = new int[8];
        for (int position = 0; position < MAX_INPUT_LENGTH; position++) {
            for (int b = 0; b < 8; b++) {
                windows[b] = window(key, position * 8 + b);
            }
            int row = position << 8;
            // Linearity: value v contributes what v without its lowest set bit contributes, plus that bit's window.
            for (int v = 1; v < 256; v++) {
                int lowest = v & -v;
                table[row | v] = table[row | v ^ lowest] ^ windows[7 - Integer.numberOfTrailingZeros(lowest)];
            }
        }
        return table;
    }
}
