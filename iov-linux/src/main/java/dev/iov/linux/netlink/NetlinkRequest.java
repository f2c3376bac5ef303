package dev.iov.linux.netlink;

import java.nio.ByteBuffer;

/**
 * Writes one complete request message, header flags included, for {@link RtnetlinkClient} to send. The client
 * fills in the sequence number and port id afterwards, and calls the request again with a larger buffer if the
 * first one overflowed, so an implementation must write the same bytes every time it is called.
 *
 * <p>The static methods of {@link LinkRequests}, {@link VfRequests} and {@link AddressRequests} fit this shape:
 * {@code client.execute((w, b) -> LinkRequests.delete(w, b, link), "delete link", name)}.
 */
@FunctionalInterface
public interface NetlinkRequest {

    /**
     * Writes the request.
     *
     * @param writer the writer to use (start with {@link NetlinkMessageWriter#begin}, end with
     *     {@link NetlinkMessageWriter#finish})
     * @param buffer the buffer to write into, from its position to its limit
     */
    void encode(NetlinkMessageWriter writer, ByteBuffer buffer);
}
