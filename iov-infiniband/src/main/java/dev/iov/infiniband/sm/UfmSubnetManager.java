package dev.iov.infiniband.sm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iov.api.internal.redact.Redact;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.infiniband.partition.Membership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * NVIDIA UFM as iov's subnet manager, through UFM's REST API ("PKey GUIDs REST API" of the UFM Enterprise REST API
 * Guide; request shapes as sent by Mellanox/ib-kubernetes {@code pkg/sm/plugins/ufm/ufm.go}). Every path starts with
 * the prefix of the authentication mode, as the guide documents it: {@code /ufmRest} for HTTP basic (user and
 * password), {@code /ufmRestV3} for an access token ("How to Use the Access Token": {@code /ufmRestV3/...} with
 * {@code Authorization: Basic <access_token>}); UFM's session mode ({@code /ufmRestV2}, a login cookie) is not
 * used. Below, {@code PREFIX} is that prefix:
 * <ul>
 *   <li>add: {@code POST PREFIX/resources/pkeys} with
 *       {@code {"pkey":"0x0101","guids":["0002c90300000001"],"index0":false,"ip_over_ib":true,"membership":"full"}};
 *       UFM takes one membership and one index0 flag per request, so members are sent in one request per
 *       (membership, index0) pair;</li>
 *   <li>remove: {@code POST PREFIX/actions/remove_guids_from_pkey} with {@code {"pkey":"0x0101","guids":[...]}};
 *       UFM ignores GUIDs that are not members;</li>
 *   <li>view: {@code GET PREFIX/resources/pkeys?guids_data=true}, answered with an object keyed by P_Key, e.g.
 *       {@code {"0x0101": {"partition": "api_pkey_0x101", "ip_over_ib": true, "guids": [{"guid":
 *       "0002c90300000001", "membership": "full", "index0": false}]}}}; an entry without {@code guids}, a GUID without
 *       {@code membership} (full) or without {@code index0} (false) is accepted, as ib-kubernetes' own fixture
 *       has such entries.</li>
 * </ul>
 * P_Keys are sent as {@code 0x} and four hex digits of the partition (UFM wants 0x0-0x7fff exclusive), GUIDs as 16
 * lowercase hex digits, the form UFM returns.
 *
 * <p>Authentication is HTTP basic (user and password) or a UFM access token; UFM documents both in the same header,
 * {@code Authorization: Basic <access_token>} for a token. TLS trust is the JVM's default, a PEM CA file, or none at
 * all (insecure, logged as a warning). The credentials stay in one private header value: they are never in an
 * exception, a log line or {@link #toString()}; UFM's own words (an error body, a parser's complaint about a reply,
 * an I/O exception) go through {@link Redact} with the credentials before they are repeated, in case they echo them.
 *
 * <p>A reply is read to at most {@value #MAX_BODY_MIB} MiB and within the request timeout as a whole (headers and
 * body); a longer or slower one is an error, so a broken or hostile server cannot exhaust memory or hang iov.
 *
 * <p>Error replies: 401/403 become {@link SubnetManagerUnauthorizedException}, other non-2xx statuses a
 * {@link SubnetManagerRefusedException} carrying UFM's message (the {@code error} or {@code message} field of a JSON
 * body, else the body text), I/O failures (refused connection, timeout, TLS handshake) a
 * {@link SubnetManagerUnreachableException}.
 */
public final class UfmSubnetManager implements SubnetManager {

    /** The path prefix for HTTP basic authentication (and for none). */
    static final String BASIC_PREFIX = "/ufmRest";
    /** The path prefix for access token authentication. */
    static final String TOKEN_PREFIX = "/ufmRestV3";
    static final String PKEYS = "/resources/pkeys";
    static final String PKEYS_WITH_GUIDS = PKEYS + "?guids_data=true";
    static final String REMOVE_GUIDS = "/actions/remove_guids_from_pkey";
    /** The largest reply read, in MiB. */
    static final int MAX_BODY_MIB = 16;
    private static final long MAX_BODY = MAX_BODY_MIB * 1024L * 1024L;

    private static final Logger LOG = LoggerFactory.getLogger(UfmSubnetManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 300;

    private final URI base;
    private final String authorization;
    private final List<String> secrets;
    private final String prefix;
    private final String authKind;
    private final String trustKind;
    private final boolean ipOverIb;
    private final Duration requestTimeout;
    private final HttpClient http;

    private UfmSubnetManager(Builder b, SSLContext tls) {
        this.base = b.base;
        this.authorization = b.authorization;
        this.secrets = b.secrets;
        this.prefix = b.authKind.equals("token") ? TOKEN_PREFIX : BASIC_PREFIX;
        this.authKind = b.authKind;
        this.trustKind = b.trustKind;
        this.ipOverIb = b.ipOverIb;
        this.requestTimeout = b.requestTimeout;
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            hb.sslContext(tls);
        }
        this.http = hb.build();
    }

    /**
     * @param baseUrl {@code https://host[:port]} ({@code http://} is accepted for tests and logged as a warning)
     * @return a builder with no credentials, the JVM's default trust, 10 s timeouts and IPoIB on
     */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /**
     * {@inheritDoc}
     *
     * <p>When the members need more than one request (mixed memberships or index0 flags) and a later request fails,
     * the earlier ones are undone: ports that were not members are removed again, ports that were get their previous
     * membership back. The partition is read first for that.
     */
    @Override
    public void addMembers(PKey partition, List<SubnetMember> members) {
        PKey key = SubnetManagers.checkPartition(partition);
        SubnetManagers.checkMembers(key, members);
        Map<String, List<SubnetMember>> batches = new LinkedHashMap<>();
        for (SubnetMember m : members) {
            batches.computeIfAbsent(m.membership().word() + "/" + m.index0(), k -> new ArrayList<>()).add(m);
        }
        Map<Guid, SubnetMember> before = null;
        if (batches.size() > 1) {
            before = new LinkedHashMap<>();
            for (SubnetMember m : partitions().getOrDefault(key, Set.of())) {
                before.put(m.guid(), m);
            }
        }
        List<SubnetMember> done = new ArrayList<>();
        for (List<SubnetMember> batch : batches.values()) {
            try {
                post(key, batch);
            } catch (SubnetManagerException e) {
                if (!done.isEmpty()) {
                    undoAdd(key, done, before, e);
                }
                throw e;
            }
            done.addAll(batch);
        }
        LOG.info("UFM {}: added {} GUID(s) to partition {}", base, members.size(), key);
    }

    private void post(PKey key, List<SubnetMember> batch) {
        ObjectNode body = JSON.createObjectNode();
        body.put("pkey", pkeyText(key));
        ArrayNode guids = body.putArray("guids");
        batch.forEach(m -> guids.add(guidText(m.guid())));
        body.put("index0", batch.get(0).index0());
        body.put("ip_over_ib", ipOverIb);
        body.put("membership", batch.get(0).membership().word());
        send("POST", PKEYS, body, "add " + batch.size() + " GUID(s) to partition " + key);
    }

    /** Puts the members added before {@code failure} back as they were; problems are attached to it, not thrown. */
    private void undoAdd(PKey key, List<SubnetMember> done, Map<Guid, SubnetMember> before,
                         SubnetManagerException failure) {
        List<Guid> added = new ArrayList<>();
        Map<String, List<SubnetMember>> restore = new LinkedHashMap<>();
        for (SubnetMember m : done) {
            SubnetMember old = before.get(m.guid());
            if (old == null) {
                added.add(m.guid());
            } else if (!old.equals(m)) {
                restore.computeIfAbsent(old.membership().word() + "/" + old.index0(), k -> new ArrayList<>())
                        .add(old);
            }
        }
        try {
            if (!added.isEmpty()) {
                removeMembers(key, added);
            }
            for (List<SubnetMember> batch : restore.values()) {
                post(key, batch);
            }
            LOG.warn("UFM {}: undid the partial add to partition {} after: {}", base, key, failure.getMessage());
        } catch (SubnetManagerException e) {
            LOG.error("UFM {}: could not undo the partial add to partition {}: {}", base, key, e.getMessage());
            failure.addSuppressed(e);
        }
    }

    @Override
    public void removeMembers(PKey partition, List<Guid> guids) {
        PKey key = SubnetManagers.checkPartition(partition);
        SubnetManagers.checkGuids(key, guids);
        ObjectNode body = JSON.createObjectNode();
        body.put("pkey", pkeyText(key));
        ArrayNode list = body.putArray("guids");
        guids.forEach(g -> list.add(guidText(g)));
        send("POST", REMOVE_GUIDS, body, "remove " + guids.size() + " GUID(s) from partition " + key);
        LOG.info("UFM {}: removed {} GUID(s) from partition {}", base, guids.size(), key);
    }

    @Override
    public Map<PKey, Set<SubnetMember>> partitions() {
        String what = "read the partitions";
        String body = send("GET", PKEYS_WITH_GUIDS, null, what);
        try {
            return parseView(JSON.readTree(body));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new SubnetManagerException("UFM " + base + " answered GET " + prefix + PKEYS_WITH_GUIDS
                    + " with a reply iov does not understand: " + scrub(e.getMessage()), null);
        }
    }

    static Map<PKey, Set<SubnetMember>> parseView(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object keyed by P_Key");
        }
        Map<PKey, Set<SubnetMember>> view = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            PKey key = PKey.parse(e.getKey()).asLimited();
            JsonNode guids = e.getValue().path("guids");
            if (!guids.isArray()) {
                continue;
            }
            Map<Guid, SubnetMember> members = new LinkedHashMap<>();
            for (JsonNode g : guids) {
                Guid guid = parseGuid(g.path("guid").asText(""));
                String word = g.path("membership").asText("full").toLowerCase(Locale.ROOT);
                Membership membership;
                if (word.equals("full")) {
                    membership = Membership.FULL;
                } else if (word.equals("limited")) {
                    membership = Membership.LIMITED;
                } else {
                    throw new IllegalArgumentException("membership '" + word + "' of GUID " + guid + " in "
                            + e.getKey() + " is neither full nor limited");
                }
                members.put(guid, SubnetMember.of(guid, membership, g.path("index0").asBoolean(false)));
            }
            if (!members.isEmpty()) {
                view.put(key, Collections.unmodifiableSet(new TreeSet<>(members.values())));
            }
        }
        return Collections.unmodifiableMap(view);
    }

    /** UFM writes GUIDs as bare hex digits ({@code 020000000000003e}); {@code 0x} is accepted as well. */
    static Guid parseGuid(String text) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (digits.isEmpty() || digits.length() > 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("GUID '" + text + "' is not 1-16 hex digits");
        }
        return Guid.of(Long.parseUnsignedLong(digits, 16));
    }

    static String pkeyText(PKey key) {
        return String.format("0x%04x", key.partition());
    }

    static String guidText(Guid guid) {
        return String.format("%016x", guid.toLong());
    }

    /** Sends one request; returns the body of a 2xx reply or throws the matching {@link SubnetManagerException}. */
    private String send(String method, String endpoint, JsonNode body, String what) {
        String path = prefix + endpoint;
        HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .header("Accept", "application/json");
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        if (body != null) {
            rb.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        LimitedBody limited = new LimitedBody(MAX_BODY);
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(rb.build(), limited);
        HttpResponse<byte[]> reply;
        try {
            // The request timeout covers the whole exchange: a server that trickles its body is cut off too.
            reply = pending.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abort(pending, limited);
            throw new SubnetManagerUnreachableException("UFM at " + base + " did not answer " + method + " " + path
                    + " (to " + what + ") within " + requestTimeout.toMillis() + " ms", null);
        } catch (ExecutionException e) {
            abort(pending, limited);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (tooLarge(cause)) {
                throw new SubnetManagerUnreachableException("UFM at " + base + " answered " + method + " " + path
                        + " (to " + what + ") with a response larger than " + MAX_BODY_MIB + " MiB; iov stopped "
                        + "reading it", null);
            }
            throw new SubnetManagerUnreachableException("cannot reach UFM at " + base + " to " + what + " ("
                    + method + " " + path + "): " + scrub(cause.toString()), null);
        } catch (InterruptedException e) {
            abort(pending, limited);
            Thread.currentThread().interrupt();
            throw new SubnetManagerUnreachableException("interrupted while asking UFM at " + base + " to " + what,
                    null);
        }
        int status = reply.statusCode();
        LOG.debug("UFM {} {} {} -> {}", base, method, path, status);
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        if (status >= 200 && status < 300) {
            return text;
        }
        String reason = scrub(reason(text));
        if (status == 401 || status == 403) {
            throw new SubnetManagerUnauthorizedException("UFM at " + base + " refused the " + authKind
                    + " credentials (HTTP " + status + ") to " + what + " (" + method + " " + path + "): " + reason,
                    status);
        }
        throw new SubnetManagerRefusedException("UFM at " + base + " refused to " + what + " (" + method + " " + path
                + " -> HTTP " + status + "): " + reason, status, reason, null);
    }

    private static boolean tooLarge(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BodyTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static void abort(CompletableFuture<?> pending, LimitedBody body) {
        body.cancel();
        pending.cancel(true);
    }

    /** Text from UFM or the JDK, with this client's credentials and anything that looks like one masked. */
    private String scrub(String text) {
        return Redact.text(text, secrets);
    }

    /** UFM's message: the {@code error} or {@code message} field of a JSON body, else the (shortened) body text. */
    static String reason(String body) {
        String text = body == null ? "" : body.strip();
        try {
            JsonNode n = JSON.readTree(text);
            for (String field : List.of("error", "message", "msg")) {
                if (n != null && n.path(field).isTextual()) {
                    return n.path(field).asText();
                }
            }
        } catch (JsonProcessingException e) {
            // not JSON: the text itself is the message
        }
        if (text.isEmpty()) {
            return "(no message)";
        }
        return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "..." : text;
    }

    /** The JDK 17 HttpClient has nothing to close; its connections go with it. */
    @Override
    public void close() {
    }

    /** @return the base URL and the kinds of authentication and trust, never the credentials */
    @Override
    public String toString() {
        return "UfmSubnetManager[" + base + ", auth=" + authKind + ", trust=" + trustKind + "]";
    }

    /** Thrown inside {@link LimitedBody} when a reply exceeds the limit; never leaves this class. */
    private static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super("response body too large");
        }
    }

    /**
     * Collects a reply body up to a limit; past it (or when the declared length is past it) the subscription is
     * cancelled, which closes the connection, and the body fails with {@link BodyTooLargeException}.
     */
    private static final class LimitedBody implements HttpResponse.BodyHandler<byte[]>,
            HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private long declared = -1;

        LimitedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
            declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return this;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else if (declared > limit) {
                tooLarge();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (bytes.size() + (long) b.remaining() > limit) {
                    tooLarge();
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
            subscription.request(1);
        }

        private void tooLarge() {
            subscription.cancel();
            result.completeExceptionally(new BodyTooLargeException());
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Collects the connection settings; {@link #build()} checks them. */
    public static final class Builder {
        private final URI base;
        private String authorization;
        private List<String> secrets = List.of();
        private String authKind = "none";
        private String trustKind = "system";
        private Path caFile;
        private boolean insecure;
        private boolean ipOverIb = true;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);

        private Builder(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String scheme = baseUrl.getScheme();
            // The URL is only ever repeated redacted: user info or a query may hold credentials.
            String shown = Redact.url(baseUrl);
            if (baseUrl.getRawUserInfo() != null || (baseUrl.getRawAuthority() != null
                    && baseUrl.getRawAuthority().contains("@"))) {
                throw new IllegalArgumentException("invalid UFM base URL '" + shown + "': it must not hold user "
                        + "info; give the user and password or the token separately");
            }
            if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("invalid UFM base URL '" + shown + "': expected "
                        + "https://host[:port]");
            }
            String path = baseUrl.getRawPath();
            if ((path != null && !path.isEmpty() && !path.equals("/")) || baseUrl.getRawQuery() != null
                    || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("invalid UFM base URL '" + shown + "': expected "
                        + "https://host[:port] without path, query or fragment");
            }
            this.base = URI.create(scheme + "://" + baseUrl.getRawAuthority());
        }

        /**
         * @param user the UFM user
         * @param password the password
         * @return this builder
         */
        public Builder basicAuth(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isEmpty() || user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("invalid UFM user: empty or holds ':'");
            }
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            this.secrets = List.of(user + ":" + password, password);
            this.authKind = "basic";
            return this;
        }

        /**
         * Authenticates with a UFM access token: requests go to {@code /ufmRestV3/...} with
         * {@code Authorization: Basic <access_token>}, as UFM documents it.
         *
         * @param accessToken a UFM access token (created with {@code POST /ufmRest/app/tokens})
         * @return this builder
         */
        public Builder token(String accessToken) {
            Objects.requireNonNull(accessToken, "accessToken");
            if (accessToken.isBlank() || accessToken.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new IllegalArgumentException("invalid UFM access token: empty or not printable ASCII");
            }
            this.authorization = "Basic " + accessToken;
            this.secrets = List.of(accessToken);
            this.authKind = "token";
            return this;
        }

        /**
         * @param pemFile PEM file with the CA certificate(s) to trust instead of the JVM's default
         * @return this builder
         */
        public Builder trustCaFile(Path pemFile) {
            this.caFile = Objects.requireNonNull(pemFile, "pemFile");
            this.insecure = false;
            this.trustKind = "ca-file " + pemFile;
            return this;
        }

        /**
         * Trusts any certificate for any host name. For labs only; logged as a warning.
         *
         * @return this builder
         */
        public Builder insecure() {
            this.insecure = true;
            this.caFile = null;
            this.trustKind = "insecure";
            return this;
        }

        /**
         * @param on whether partitions get UFM's {@code ip_over_ib} (default true, as in UFM)
         * @return this builder
         */
        public Builder ipOverIb(boolean on) {
            this.ipOverIb = on;
            return this;
        }

        /**
         * @param timeout how long to wait for a TCP connection
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /**
         * @param timeout how long to wait for each reply
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "request timeout");
            return this;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("invalid UFM " + what + " " + d + ": must be positive");
            }
            return d;
        }

        /**
         * @return the subnet manager (no request is sent yet)
         * @throws IllegalArgumentException when the CA file cannot be read or holds no certificate
         */
        public UfmSubnetManager build() {
            SSLContext tls = null;
            try {
                if (caFile != null) {
                    tls = caContext(caFile);
                } else if (insecure) {
                    LOG.warn("UFM {}: TLS certificates and host names are NOT verified (insecure mode)", base);
                    tls = SSLContext.getInstance("TLS");
                    tls.init(null, new TrustManager[] {new TrustingEverything()}, null);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS for UFM " + base + ": " + e, e);
            }
            if (base.getScheme().equals("http") && authorization != null) {
                LOG.warn("UFM {}: credentials are sent without TLS", base);
            }
            return new UfmSubnetManager(this, tls);
        }

        private static SSLContext caContext(Path pem) throws GeneralSecurityException {
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read UFM CA file " + pem + ": " + e, e);
            } catch (java.security.cert.CertificateException e) {
                throw new IllegalArgumentException("UFM CA file " + pem + " is not PEM certificates: "
                        + e.getMessage(), e);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("UFM CA file " + pem + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            try {
                store.load(null, null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ufm-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        }
    }

    /**
     * Accepts every chain. Being an {@link X509ExtendedTrustManager}, JSSE leaves the host name check to it, so the
     * host name is not checked either.
     */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
