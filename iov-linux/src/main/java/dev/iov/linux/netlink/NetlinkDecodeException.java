package dev.iov.linux.netlink;

import dev.iov.api.IovException;

/**
 * Bytes that are not a well-formed netlink message: a length field below its minimum or running past the end of
 * its container, or an attribute payload too short for its type. This is the only exception the decoding classes
 * throw for bad input, whatever the bytes are.
 */
public final class NetlinkDecodeException extends IovException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * Creates the exception.
     *
     * @param problem what is wrong, without the offset
     * @param offset absolute index in the buffer of the header or attribute at fault
     */
    public NetlinkDecodeException(String problem, int offset) {
        super("netlink decode", problem + " at offset " + offset);
        this.offset = offset;
    }

    /** @return absolute index in the buffer of the header or attribute at fault */
    public int offset() {
        return offset;
    }
}
