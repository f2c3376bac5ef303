package dev.iov.infiniband.sm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for UFM's PKey GUIDs REST API with state: the three endpoints iov uses, UFM's documented
 * checks (pkey a hex string in 0x0-0x7fff exclusive, GUIDs 16-20 hex digits, membership full or limited), 401 for a
 * missing or wrong Authorization header and injectable error replies. Removing a GUID that is not a member, or from a
 * P_Key that does not exist, is a no-op as in UFM.
 *
 * <p>Paths are UFM's per authentication mode: {@code /ufmRest/...} takes HTTP basic credentials,
 * {@code /ufmRestV3/...} an access token ({@code Authorization: Basic <token>}); a token sent under
 * {@code /ufmRest}, basic credentials under {@code /ufmRestV3} or anything under {@code /ufmRestV2} (session cookies)
 * get 401, any other path 404.
 */
public final class FakeUfm implements AutoCloseable {

    /** One request as received. */
    static final class Request {
        final String method;
        final String uri;
        final String authorization;
        final String contentType;
        final String body;

        Request(String method, String uri, String authorization, String contentType, String body) {
            this.method = method;
            this.uri = uri;
            this.authorization = authorization;
            this.contentType = contentType;
            this.body = body;
        }

        @Override
        public String toString() {
            return method + " " + uri + " " + body;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PKEY = Pattern.compile("0x[0-9a-fA-F]{1,4}");
    private static final Pattern GUID = Pattern.compile("(0x)?[0-9a-fA-F]{16,20}");

    private final HttpServer server;
    /** The Authorization value {@code /ufmRest} takes; null takes any (a UFM without authentication). */
    private final String expectedAuthorization;
    /** The Authorization value {@code /ufmRestV3} takes ({@code Basic <token>}); null refuses every request there. */
    private final String expectedToken;
    /** partition number -> GUID text (lowercase, 16 digits) -> {membership, index0}. */
    private final Map<Integer, Map<String, ObjectNode>> pkeys = new TreeMap<>();
    private final Map<Integer, Boolean> ipOverIb = new TreeMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Object[]> injected = new ArrayList<>();
    private final Map<Integer, Object[]> injectedAt = new TreeMap<>();
    private Object[] nextAdd;

    private FakeUfm(HttpServer server, String expectedAuthorization, String expectedToken) {
        this.server = server;
        this.expectedAuthorization = expectedAuthorization;
        this.expectedToken = expectedToken;
        server.createContext("/", this::handle);
        server.start();
    }

    /** A UFM taking these basic credentials under {@code /ufmRest} (null: no authentication), no token. */
    public static FakeUfm http(String expectedAuthorization) throws IOException {
        return new FakeUfm(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                expectedAuthorization, null);
    }

    /** A UFM taking this access token under {@code /ufmRestV3}; nothing under {@code /ufmRest}. */
    public static FakeUfm httpToken(String token) throws IOException {
        return new FakeUfm(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                "no basic credentials are valid here", "Basic " + token);
    }

    static FakeUfm https(SSLContext tls, String expectedAuthorization) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeUfm(s, expectedAuthorization, null);
    }

    public URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://localhost:" + server.getAddress().getPort());
    }

    /** The next request is answered with this status and body, whatever it is. */
    public synchronized void failNext(int status, String body) {
        injected.add(new Object[] {status, body});
    }

    /**
     * The next request that adds GUIDs to a P_Key ({@code POST resources/pkeys}) is answered so, as UFM refusing a
     * membership; other requests are answered as usual.
     */
    public synchronized void failNextAdd(int status, String body) {
        nextAdd = new Object[] {status, body};
    }

    /** The request with this 0-based number (counting every request so far) is answered so. */
    synchronized void failRequest(int number, int status, String body) {
        injectedAt.put(number, new Object[] {status, body});
    }

    /** Puts a member in place as another UFM user would. */
    public synchronized void preset(int partition, String guid, String membership, boolean index0) {
        ObjectNode m = JSON.createObjectNode().put("membership", membership).put("index0", index0);
        pkeys.computeIfAbsent(partition, k -> new TreeMap<>()).put(guid, m);
        ipOverIb.putIfAbsent(partition, true);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), auth,
                    ex.getRequestHeaders().getFirst("Content-Type"), body));
            Object[] reply;
            synchronized (this) {
                reply = injectedAt.remove(requests.size() - 1);
                if (reply == null && !injected.isEmpty()) {
                    reply = injected.remove(0);
                }
                if (reply == null && nextAdd != null && ex.getRequestMethod().equals("POST")
                        && endpoint(ex.getRequestURI().getPath()).equals(UfmSubnetManager.PKEYS)) {
                    reply = nextAdd;
                    nextAdd = null;
                }
                if (reply == null) {
                    reply = answer(ex.getRequestMethod(), ex.getRequestURI(), auth, body);
                }
            }
            byte[] out = ((String) reply[1]).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders((int) reply[0], out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    /** The path after the {@code /ufmRest} or {@code /ufmRestV3} prefix, or the whole path. */
    private static String endpoint(String path) {
        for (String prefix : List.of(UfmSubnetManager.TOKEN_PREFIX + "/", UfmSubnetManager.BASIC_PREFIX + "/")) {
            if (path.startsWith(prefix)) {
                return path.substring(prefix.length() - 1);
            }
        }
        return path;
    }

    private Object[] answer(String method, URI uri, String auth, String body) {
        String full = uri.getPath();
        Object[] unauthorized = {401, "{\"error\": \"Unauthorized\"}"};
        if (full.startsWith(UfmSubnetManager.TOKEN_PREFIX + "/")) {
            if (expectedToken == null || !expectedToken.equals(auth)) {
                return unauthorized;
            }
        } else if (full.startsWith(UfmSubnetManager.BASIC_PREFIX + "/")) {
            if (expectedAuthorization != null && !expectedAuthorization.equals(auth)) {
                return unauthorized;
            }
        } else if (full.startsWith("/ufmRestV2/")) {
            return unauthorized;
        } else {
            return new Object[] {404, "{\"error\": \"Not Found\"}"};
        }
        String path = endpoint(full);
        if (method.equals("GET") && path.equals(UfmSubnetManager.PKEYS) && "guids_data=true".equals(uri.getQuery())) {
            return new Object[] {200, view()};
        }
        if (method.equals("POST") && path.equals(UfmSubnetManager.PKEYS)) {
            return add(body);
        }
        if (method.equals("POST") && path.equals(UfmSubnetManager.REMOVE_GUIDS)) {
            return remove(body);
        }
        return new Object[] {404, "{\"error\": \"Not Found\"}"};
    }

    private String view() {
        ObjectNode root = JSON.createObjectNode();
        pkeys.forEach((p, members) -> {
            ObjectNode entry = root.putObject(String.format("0x%x", p));
            entry.put("partition", "api_pkey_" + String.format("0x%x", p));
            entry.put("ip_over_ib", ipOverIb.get(p));
            ArrayNode guids = entry.putArray("guids");
            members.forEach((g, m) -> guids.addObject().put("guid", g).put("membership", m.get("membership")
                    .asText()).put("index0", m.get("index0").asBoolean()));
        });
        return root.toString();
    }

    private Object[] add(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            return new Object[] {400, "{\"error\": \"Request body is not valid JSON\"}"};
        }
        Integer p = pkey(n);
        if (p == null) {
            return new Object[] {400, "{\"error\": \"Invalid pkey: " + n.path("pkey").asText() + "\"}"};
        }
        List<String> guids = guids(n);
        if (guids == null || guids.isEmpty()) {
            return new Object[] {400, "{\"error\": \"Invalid guids\"}"};
        }
        String membership = n.path("membership").asText("full");
        if (!membership.equals("full") && !membership.equals("limited")) {
            return new Object[] {400, "{\"error\": \"Invalid membership: " + membership + "\"}"};
        }
        boolean index0 = n.path("index0").asBoolean(false);
        Map<String, ObjectNode> members = pkeys.computeIfAbsent(p, k -> new TreeMap<>());
        for (String g : guids) {
            members.put(g, JSON.createObjectNode().put("membership", membership).put("index0", index0));
        }
        ipOverIb.put(p, n.path("ip_over_ib").asBoolean(true));
        return new Object[] {200, ""};
    }

    private Object[] remove(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            return new Object[] {400, "{\"error\": \"Request body is not valid JSON\"}"};
        }
        Integer p = pkey(n);
        List<String> guids = guids(n);
        if (p == null || guids == null) {
            return new Object[] {400, "{\"error\": \"Invalid request\"}"};
        }
        Map<String, ObjectNode> members = pkeys.get(p);
        if (members != null) {
            guids.forEach(members::remove);
            if (members.isEmpty()) {
                pkeys.remove(p);
                ipOverIb.remove(p);
            }
        }
        return new Object[] {200, ""};
    }

    private static Integer pkey(JsonNode n) {
        String text = n.path("pkey").asText("");
        if (!PKEY.matcher(text).matches()) {
            return null;
        }
        int v = Integer.parseInt(text.substring(2), 16);
        return v > 0 && v < 0x7fff ? v : null;
    }

    private static List<String> guids(JsonNode n) {
        if (!n.path("guids").isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode g : n.path("guids")) {
            String t = g.asText("");
            if (!GUID.matcher(t).matches()) {
                return null;
            }
            t = t.startsWith("0x") ? t.substring(2) : t;
            out.add(String.format("%016x", Long.parseUnsignedLong(t.substring(t.length() - 16), 16)));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
