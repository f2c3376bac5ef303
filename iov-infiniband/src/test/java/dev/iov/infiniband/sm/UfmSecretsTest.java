package dev.iov.infiniband.sm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives every failing path of the UFM client and its provider with a password and a token unique to this run, and
 * greps everything that comes out (messages, {@code toString}, stack traces with causes and suppressed exceptions,
 * and the SLF4J output, debug level included) for them, in plain text and in Base64.
 */
class UfmSecretsTest {

    private static final String USER = "admin";
    private static final String PASSWORD = "pw" + UUID.randomUUID().toString().replace("-", "");
    private static final String TOKEN = "tk" + UUID.randomUUID().toString().replace("-", "");
    private static final PKey P101 = PKey.of(0x0101);
    private static final Guid G1 = Guid.of(0x0002c90300000001L);

    private final List<AutoCloseable> open = new ArrayList<>();
    private final StringBuilder seen = new StringBuilder();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void noFailureRepeatsTheCredentials() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            badSettings();
            unreachable();
            repliesEchoingTheRequest();
            silentServer();
            endlessBody();
        } finally {
            System.setErr(err);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        // The debug lines were really captured, so the grep below covers them.
        assertThat(logged).contains("DEBUG").contains("-> 401");
        seen.append(logged);
        assertNoSecret(seen.toString());
    }

    /** Settings as a configuration file would give them: every bad URL form, with credentials in it. */
    private void badSettings() {
        List<String> urls = List.of(
                "https://" + USER + ":" + PASSWORD + "@ufm.example",
                "https://" + USER + ":" + PASSWORD + "@ufm.example:notaport",
                "https://" + USER + ":p@ss" + PASSWORD + "@ufm.example",
                "ftp://" + USER + ":" + PASSWORD + "@ufm.example",
                "https://" + USER + ":" + PASSWORD + " x@ufm.example",
                "https://ufm.example/?token=" + TOKEN,
                "https://ufm.example/#" + TOKEN,
                "https://ufm.example/ufmRestV3?access_token=" + TOKEN,
                "http://[" + PASSWORD + "@ufm.example");
        for (String url : urls) {
            Map<String, String> settings = Map.of("url", url, "user", USER, "password", PASSWORD);
            assertThatThrownBy(() -> SubnetManagers.create("ufm", settings)).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'url'")
                    .satisfies(this::record);
        }
        for (Map<String, String> settings : List.of(
                Map.of("url", "https://ufm.example", "token", TOKEN + " " + TOKEN),
                Map.of("url", "https://ufm.example", "token", TOKEN, "password", PASSWORD),
                Map.of("url", "https://ufm.example", "user", USER + ":" + PASSWORD, "password", PASSWORD),
                Map.of("url", "https://ufm.example", "password", PASSWORD),
                Map.of("url", "https://ufm.example", "token", TOKEN, "insecure", "maybe"),
                Map.of("url", "https://ufm.example", "token", TOKEN, "passwd", PASSWORD))) {
            Map<String, String> shown = new LinkedHashMap<>(settings);
            shown.replaceAll((k, v) -> k);
            assertThatThrownBy(() -> SubnetManagers.create("ufm", settings)).as(shown.toString())
                    .isInstanceOf(IllegalArgumentException.class).satisfies(this::record);
        }
    }

    private void unreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        for (UfmSubnetManager sm : clients(URI.create("http://127.0.0.1:" + port))) {
            assertThatThrownBy(sm::partitions).isInstanceOf(SubnetManagerUnreachableException.class)
                    .hasMessageContaining("cannot reach UFM at http://127.0.0.1:" + port).satisfies(this::record);
        }
    }

    /** A server that puts the request's Authorization header into every reply, as a careless proxy or UFM might. */
    private void repliesEchoingTheRequest() throws IOException {
        Map<String, Function<String, Object[]>> replies = new LinkedHashMap<>();
        replies.put("401", auth -> new Object[] {401, "{\"error\": \"bad credentials " + auth + "\"}"});
        replies.put("403", auth -> new Object[] {403, "forbidden for Authorization: " + auth});
        replies.put("500", auth -> new Object[] {500, "<html>" + auth.substring(6) + "</html>"});
        replies.put("malformed", auth -> new Object[] {200, "{\"0x0101\": " + auth.substring(6) + "}"});
        replies.put("membership", auth -> new Object[] {200, "{\"0x0101\": {\"guids\": [{\"guid\": "
                + "\"0002c90300000001\", \"membership\": \"" + auth.substring(6) + "\"}]}}"});
        replies.put("decoded", auth -> new Object[] {500, new String(Base64.getDecoder().decode(auth.substring(6)),
                StandardCharsets.UTF_8)});
        for (Map.Entry<String, Function<String, Object[]>> reply : replies.entrySet()) {
            HttpServer server = server(ex -> {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (reply.getKey().equals("decoded") && auth.equals("Basic " + TOKEN)) {
                    auth = "Basic " + Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
                }
                Object[] r = reply.getValue().apply(auth);
                byte[] body = ((String) r[1]).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders((int) r[0], body.length);
                ex.getResponseBody().write(body);
            });
            for (UfmSubnetManager sm : clients(url(server))) {
                assertThatThrownBy(sm::partitions).as(reply.getKey()).isInstanceOf(SubnetManagerException.class)
                        .satisfies(this::record);
                if (!reply.getKey().equals("malformed") && !reply.getKey().equals("membership")) {
                    assertThatThrownBy(() -> sm.addMembers(P101, List.of(SubnetMember.full(G1))))
                            .as(reply.getKey()).isInstanceOf(SubnetManagerException.class).satisfies(this::record);
                }
            }
        }
    }

    /** Accepts the request and never answers: the request timeout ends the wait. */
    private void silentServer() throws IOException {
        CountDownLatch closed = new CountDownLatch(1);
        HttpServer server = server(ex -> {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        open.add(0, closed::countDown);
        for (UfmSubnetManager sm : clients(url(server), Duration.ofMillis(300))) {
            assertThatThrownBy(sm::partitions).isInstanceOf(SubnetManagerUnreachableException.class)
                    .hasMessageContaining("did not answer GET").hasMessageContaining("within 300 ms")
                    .satisfies(this::record);
        }
    }

    private void endlessBody() throws IOException {
        HttpServer server = server(ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = ("{\"x\": \"" + "y".repeat(65536)).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = ex.getResponseBody();
            while (true) {
                out.write(chunk); // ends with an IOException when the client hangs up
            }
        });
        UfmSubnetManager sm = UfmSubnetManager.builder(url(server)).basicAuth(USER, PASSWORD)
                .requestTimeout(Duration.ofSeconds(60)).build();
        assertThatThrownBy(sm::partitions).isInstanceOf(SubnetManagerUnreachableException.class)
                .hasMessageContaining("response larger than 16 MiB").satisfies(this::record);
    }

    private List<UfmSubnetManager> clients(URI url) {
        return clients(url, Duration.ofSeconds(20));
    }

    private List<UfmSubnetManager> clients(URI url, Duration requestTimeout) {
        List<UfmSubnetManager> clients = List.of(
                UfmSubnetManager.builder(url).basicAuth(USER, PASSWORD).requestTimeout(requestTimeout)
                        .connectTimeout(Duration.ofSeconds(2)).build(),
                UfmSubnetManager.builder(url).token(TOKEN).requestTimeout(requestTimeout)
                        .connectTimeout(Duration.ofSeconds(2)).build());
        clients.forEach(c -> seen.append(c).append('\n'));
        return clients;
    }

    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private HttpServer server(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                handler.handle(ex);
            }
        });
        server.start();
        open.add(() -> server.stop(0));
        return server;
    }

    private static URI url(HttpServer server) {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    private void record(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        seen.append(e).append('\n').append(trace).append('\n');
    }

    private static void assertNoSecret(String text) {
        for (String secret : List.of(PASSWORD, TOKEN, USER + ":" + PASSWORD)) {
            assertThat(text).doesNotContain(secret)
                    .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
