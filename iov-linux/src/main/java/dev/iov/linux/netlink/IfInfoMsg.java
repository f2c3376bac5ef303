package dev.iov.linux.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over a {@code struct ifinfomsg} (linux/rtnetlink.h), the fixed header of link messages:
 * {@code u8 ifi_family; u8 pad; u16 ifi_type; s32 ifi_index; u32 ifi_flags; u32 ifi_change;}, 16 bytes.
 *
 * <p>It also forms the start of the {@link NetlinkConstants#VETH_INFO_PEER} attribute, which is why it is wrapped
 * at an arbitrary offset rather than relative to a message.
 */
public final class IfInfoMsg {

    /** Size of the structure in bytes. */
    public static final int LENGTH = 16;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a structure.
     *
     * @param buffer the buffer holding it
     * @param offset absolute index of its first byte
     * @return this flyweight
     */
    public IfInfoMsg wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return {@code ifi_family} ({@code AF_*}) */
    public int family() {
        return NativeBytes.u8(buffer, offset);
    }

    /**
     * Sets {@code ifi_family}.
     *
     * @param family an {@code AF_*} value; link requests use {@link NetlinkConstants#AF_UNSPEC}
     * @return this flyweight
     */
    public IfInfoMsg family(int family) {
        NativeBytes.putU8(buffer, offset, family);
        return this;
    }

    /** @return {@code ifi_type}, the ARPHRD_* hardware type */
    public int type() {
        return NativeBytes.u16(buffer, offset + 2);
    }

    /**
     * Sets {@code ifi_type}.
     *
     * @param type the ARPHRD_* hardware type (requests leave it 0)
     * @return this flyweight
     */
    public IfInfoMsg type(int type) {
        NativeBytes.putU16(buffer, offset + 2, type);
        return this;
    }

    /** @return {@code ifi_index}, the interface index (0 = not given) */
    public int index() {
        return NativeBytes.s32(buffer, offset + 4);
    }

    /**
     * Sets {@code ifi_index}.
     *
     * @param index the interface index, or 0 to let the kernel find the link by {@code IFLA_IFNAME}
     * @return this flyweight
     */
    public IfInfoMsg index(int index) {
        NativeBytes.putS32(buffer, offset + 4, index);
        return this;
    }

    /** @return {@code ifi_flags} ({@code IFF_*}) */
    public int flags() {
        return NativeBytes.s32(buffer, offset + 8);
    }

    /**
     * Sets {@code ifi_flags}.
     *
     * @param flags the {@code IFF_*} flags
     * @return this flyweight
     */
    public IfInfoMsg flags(int flags) {
        NativeBytes.putS32(buffer, offset + 8, flags);
        return this;
    }

    /** @return {@code ifi_change}: which bits of {@link #flags()} a request changes */
    public int change() {
        return NativeBytes.s32(buffer, offset + 12);
    }

    /**
     * Sets {@code ifi_change}.
     *
     * @param change the mask of {@code IFF_*} bits to change
     * @return this flyweight
     */
    public IfInfoMsg change(int change) {
        NativeBytes.putS32(buffer, offset + 12, change);
        return this;
    }
}
