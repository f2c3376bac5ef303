package dev.iov.linux.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over a {@code struct ifaddrmsg} (linux/if_addr.h), the fixed header of address messages:
 * {@code u8 ifa_family; u8 ifa_prefixlen; u8 ifa_flags; u8 ifa_scope; u32 ifa_index;}, 8 bytes.
 */
public final class IfAddrMsg {

    /** Size of the structure in bytes. */
    public static final int LENGTH = 8;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a structure.
     *
     * @param buffer the buffer holding it
     * @param offset absolute index of its first byte
     * @return this flyweight
     */
    public IfAddrMsg wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return {@code ifa_family}: {@link NetlinkConstants#AF_INET} or {@link NetlinkConstants#AF_INET6} */
    public int family() {
        return NativeBytes.u8(buffer, offset);
    }

    /**
     * Sets {@code ifa_family}.
     *
     * @param family the address family
     * @return this flyweight
     */
    public IfAddrMsg family(int family) {
        NativeBytes.putU8(buffer, offset, family);
        return this;
    }

    /** @return {@code ifa_prefixlen} */
    public int prefixLength() {
        return NativeBytes.u8(buffer, offset + 1);
    }

    /**
     * Sets {@code ifa_prefixlen}.
     *
     * @param prefixLength the prefix length in bits
     * @return this flyweight
     */
    public IfAddrMsg prefixLength(int prefixLength) {
        NativeBytes.putU8(buffer, offset + 1, prefixLength);
        return this;
    }

    /** @return {@code ifa_flags} (low 8 bits of {@code IFA_F_*}) */
    public int flags() {
        return NativeBytes.u8(buffer, offset + 2);
    }

    /**
     * Sets {@code ifa_flags}.
     *
     * @param flags the low 8 bits of the {@code IFA_F_*} flags
     * @return this flyweight
     */
    public IfAddrMsg flags(int flags) {
        NativeBytes.putU8(buffer, offset + 2, flags);
        return this;
    }

    /** @return {@code ifa_scope} ({@code RT_SCOPE_*}) */
    public int scope() {
        return NativeBytes.u8(buffer, offset + 3);
    }

    /**
     * Sets {@code ifa_scope}.
     *
     * @param scope the {@code RT_SCOPE_*} scope
     * @return this flyweight
     */
    public IfAddrMsg scope(int scope) {
        NativeBytes.putU8(buffer, offset + 3, scope);
        return this;
    }

    /** @return {@code ifa_index}: the interface the address belongs to */
    public int index() {
        return NativeBytes.s32(buffer, offset + 4);
    }

    /**
     * Sets {@code ifa_index}.
     *
     * @param index the interface index
     * @return this flyweight
     */
    public IfAddrMsg index(int index) {
        NativeBytes.putS32(buffer, offset + 4, index);
        return this;
    }
}
