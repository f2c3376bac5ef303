package dev.iov.ethernet.ovsdb;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a broken or hostile server sends, a request fails with an {@link OvsdbException} (a connection or protocol
 * failure, or what looks like the server's error reply) and nothing else.
 */
class OvsdbWireProperties {

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("iov-ovsdb-wire");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        Files.deleteIfExists(dir.resolve("s.sock"));
        Files.deleteIfExists(dir);
    }

    @Property(tries = 200)
    void randomBytesOnlyFailRequestsWithTheDocumentedException(@ForAll @Size(max = 300) byte[] garbage)
            throws Exception {
        assertFailsCleanly(garbage);
    }

    @Property(tries = 100)
    void malformedJsonRpcOnlyFailsRequestsWithTheDocumentedException(
            @ForAll("messages") String json) throws Exception {
        assertFailsCleanly(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** JSON-RPC-shaped objects with random members, including replies to the client's first request (id 1). */
    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> member = Combinators.combine(
                Arbitraries.of("\"id\"", "\"result\"", "\"error\"", "\"method\"", "\"params\""),
                Arbitraries.oneOf(OvsdbValuesProperties.jsonTexts(), Arbitraries.of("1", "\"echo\"",
                        "\"update\"", "[\"m\",{}]", "{\"error\":\"x\"}")))
                .as((k, v) -> k + ":" + v);
        return member.list().ofMaxSize(4).map(m -> "{" + String.join(",", m) + "}").list().ofMaxSize(3)
                .map(l -> String.join("\n", l));
    }

    private static void assertFailsCleanly(byte[] reply) throws Exception {
        Path sock = dir.resolve("s.sock");
        Files.deleteIfExists(sock);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Thread peer = new Thread(() -> {
                try (SocketChannel s = server.accept()) {
                    s.read(ByteBuffer.allocate(4096));
                    s.write(ByteBuffer.wrap(reply));
                } catch (IOException e) {
                    // the client may have gone first; the assertion is on the client side
                }
            });
            peer.start();
            try (OvsdbClient client = OvsdbClient.connect("unix:" + sock, Duration.ofSeconds(5))) {
                assertThatThrownBy(client::echo).isInstanceOf(OvsdbException.class);
            }
            peer.join();
        }
    }
}
