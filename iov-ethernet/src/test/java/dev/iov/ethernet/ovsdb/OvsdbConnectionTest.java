package dev.iov.ethernet.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the client behaves when the peer misbehaves: a socket peer in the test plays the server's part. */
class OvsdbConnectionTest {

    private Path dir;
    private ServerSocketChannel server;

    @BeforeEach
    void listen() throws IOException {
        dir = Files.createTempDirectory("iov-ovsdb-conn");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        Files.deleteIfExists(dir.resolve("s.sock"));
        Files.deleteIfExists(dir);
    }

    @Test
    void silentServerTimesOutTheRequestButKeepsTheConnection() throws Exception {
        CompletableFuture<SocketChannel> peer = CompletableFuture.supplyAsync(this::accept);
        try (OvsdbClient client = OvsdbClient.connect(target(), Duration.ofMillis(300))) {
            assertThatThrownBy(client::echo).isInstanceOf(OvsdbConnectionException.class)
                    .satisfies(e -> assertThat(((OvsdbException) e).error()).isEqualTo("timeout"))
                    .hasMessageContaining("echo");
            assertThat(client.isOpen()).isTrue();
        } finally {
            peer.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void connectionLossFailsPendingRequestsAndClosesMonitors() throws Exception {
        CompletableFuture<SocketChannel> peer = CompletableFuture.supplyAsync(this::accept);
        try (OvsdbClient client = OvsdbClient.connect(target(), Duration.ofSeconds(5))) {
            SocketChannel s = peer.get(5, TimeUnit.SECONDS);
            CompletableFuture<OvsdbException> closed = new CompletableFuture<>();
            CompletableFuture<Monitor> monitor = CompletableFuture.supplyAsync(() -> client.monitor("Open_vSwitch",
                    Map.of("Bridge", List.of()), new MonitorListener() {
                        @Override
                        public void onUpdate(TableUpdates updates) {
                        }

                        @Override
                        public void onClosed(OvsdbException cause) {
                            closed.complete(cause);
                        }
                    }));
            String request = read(s);
            assertThat(request).contains("\"method\":\"monitor\"");
            // Answer the monitor, send a server echo (the client must answer it), then hang up.
            String id = request.replaceAll(".*\"id\":(\\d+).*", "$1");
            write(s, "{\"id\":" + id + ",\"result\":{},\"error\":null}"
                    + "{\"id\":\"echo\",\"method\":\"echo\",\"params\":[]}");
            Monitor m = monitor.get(5, TimeUnit.SECONDS);
            assertThat(m.initial().tables()).isEmpty();
            assertThat(read(s)).isEqualTo("{\"id\":\"echo\",\"result\":[],\"error\":null}");
            CompletableFuture<Void> pending = CompletableFuture.runAsync(client::echo);
            assertThat(read(s)).contains("\"method\":\"echo\"");
            s.close();
            assertThat(pending).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                    .havingCause().isInstanceOf(OvsdbConnectionException.class)
                    .withMessageContaining("connection lost");
            assertThat(closed.get(5, TimeUnit.SECONDS)).isInstanceOf(OvsdbConnectionException.class);
            assertThat(client.isOpen()).isFalse();
            assertThatThrownBy(client::echo).isInstanceOf(OvsdbConnectionException.class)
                    .hasMessageContaining("connection lost");
            m.close();
        }
    }

    private String target() {
        return "unix:" + dir.resolve("s.sock");
    }

    private SocketChannel accept() {
        try {
            return server.accept();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(SocketChannel s) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        s.read(buffer);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static void write(SocketChannel s, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            s.write(buffer);
        }
    }
}
