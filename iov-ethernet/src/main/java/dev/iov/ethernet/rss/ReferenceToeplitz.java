package dev.iov.ethernet.rss;

import java.util.Objects;

/**
 * The Toeplitz hash computed bit by bit, as Microsoft's RSS specification states it and as DPDK's
 * {@code rte_softrss} does: for every set bit of the input, XOR in the 32 key bits starting at that bit's position.
 * It is the oracle {@link ToeplitzHash}'s tables are tested against and the baseline of the benchmark; use
 * {@link ToeplitzHash} on the data path.
 */
public final class ReferenceToeplitz {

    private final byte[] key;

    private ReferenceToeplitz(byte[] key) {
        this.key = key;
    }

    /**
     * The reference hash with a key of any length; input bits past {@code key.length * 8 - 32} see zero key bits.
     *
     * @param key the key; copied
     * @return the reference hash
     */
    public static ReferenceToeplitz of(byte[] key) {
        return new ReferenceToeplitz(key.clone());
    }

    /**
     * The hash of {@code length} bytes of {@code input}: the specification's loop, one input bit at a time.
     *
     * @param input the tuple in network byte order
     * @param offset index of the first input byte
     * @param length number of input bytes
     * @return the 32-bit hash
     */
    public int hash(byte[] input, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, input.length);
        int result = 0;
        // The leftmost 32 bits of the key, shifted left by one bit per input bit consumed.
        int window = keyBits(0);
        for (int i = 0; i < length; i++) {
            int b = input[offset + i];
            for (int bit = 7; bit >= 0; bit--) {
                if ((b >>> bit & 1) != 0) {
                    result ^= window;
                }
                int next = i * 8 + (7 - bit) + 32;
                window = window << 1 | keyBit(next);
            }
        }
        return result;
    }

    /**
     * The hash of an IPv4 4-tuple, bit by bit over the three 32-bit words (source, destination, ports), the way
     * {@code rte_softrss} walks its {@code uint32_t} tuple.
     *
     * @param src source address, first byte on the wire in the most significant bits
     * @param dst destination address
     * @param sport source port (low 16 bits)
     * @param dport destination port (low 16 bits)
     * @return the 32-bit hash
     */
    public int hashIpv4(int src, int dst, int sport, int dport) {
        return word(word(word(0, src, 0), dst, 1), (sport & 0xffff) << 16 | dport & 0xffff, 2);
    }

    /** XORs in the contribution of input word {@code index} (bits {@code 32 * index ..}) to {@code result}. */
    private int word(int result, int value, int index) {
        int current = keyBits(32 * index);
        int following = keyBits(32 * index + 32);
        for (int i = 0; i < 32; i++) {
            if ((value & 1 << 31 - i) != 0) {
                result ^= i == 0 ? current : current << i | following >>> 32 - i;
            }
        }
        return result;
    }

    private int keyBits(int bit) {
        return ToeplitzHash.window(key, bit);
    }

    private int keyBit(int bit) {
        int index = bit >>> 3;
        return index < key.length ? key[index] >>> (7 - (bit & 7)) & 1 : 0;
    }
}
