package dev.iov.ethernet.ovsdb;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens the byte stream to a server named the way OVS names remotes ({@code unix:/run/db.sock},
 * {@code tcp:127.0.0.1:6640}) and adapts the channel to the streams Jackson reads. The adapters call the channel
 * directly: {@link java.nio.channels.Channels}' streams lock the channel's blocking lock on every read and write, so a
 * reader blocked in {@code read} would stop every writer.
 */
final class OvsdbTransport {

    private OvsdbTransport() {
    }

    static SocketChannel open(String target, Duration timeout) {
        if (target == null) {
            throw new IllegalArgumentException("OVSDB target is null; expected unix:PATH or tcp:HOST:PORT");
        }
        try {
            if (target.startsWith("unix:") && target.length() > 5) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(Path.of(target.substring(5))));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                return channel;
            }
            if (target.startsWith("tcp:")) {
                String rest = target.substring(4);
                int colon = rest.lastIndexOf(':');
                int port = colon > 0 ? parsePort(target, rest.substring(colon + 1)) : -1;
                String host = colon > 0 ? rest.substring(0, colon) : "";
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                if (host.isEmpty() || port < 0) {
                    throw new IllegalArgumentException("OVSDB target '" + target + "' is not tcp:HOST:PORT");
                }
                SocketChannel channel = SocketChannel.open();
                try {
                    channel.socket().connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                return channel;
            }
        } catch (IOException e) {
            throw new OvsdbConnectionException("cannot connect", e.toString(), "OVSDB " + target, e);
        }
        throw new IllegalArgumentException("OVSDB target '" + target + "' is neither unix:PATH nor tcp:HOST:PORT");
    }

    private static int parsePort(String target, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the whole target
        }
        throw new IllegalArgumentException("OVSDB target '" + target + "': port '" + text + "' is not 1-65535");
    }

    static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static InputStream inputStream(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }
}
