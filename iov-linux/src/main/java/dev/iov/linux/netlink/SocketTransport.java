package dev.iov.linux.netlink;

import dev.iov.linux.RawNetlinkSocket;
import java.nio.ByteBuffer;

/** {@link NetlinkTransport} over a real {@link RawNetlinkSocket}; it only forwards. */
final class SocketTransport implements NetlinkTransport {

    private final RawNetlinkSocket socket;

    SocketTransport(RawNetlinkSocket socket) {
        this.socket = socket;
    }

    @Override
    public int portId() {
        return socket.portId();
    }

    @Override
    public void send(ByteBuffer message) {
        socket.send(message);
    }

    @Override
    public int receive(ByteBuffer into, int timeoutMillis) {
        return socket.receive(into, timeoutMillis);
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
