package dev.iov.infiniband.sm;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.infiniband.partition.Membership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UfmSubnetManagerTest {

    private static final String USER = "admin";
    private static final String PASSWORD = "s3cret-Pa55word";
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            (USER + ":" + PASSWORD).getBytes(StandardCharsets.US_ASCII));
    private static final PKey P101 = PKey.of(0x0101);
    private static final Guid G1 = Guid.of(0x0002c90300000001L);
    private static final Guid G2 = Guid.of(0xf452140300a1b2c3L);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private FakeUfm ufm(String auth) throws Exception {
        FakeUfm f = FakeUfm.http(auth);
        open.add(f);
        return f;
    }

    private static UfmSubnetManager client(FakeUfm f) {
        return UfmSubnetManager.builder(f.url()).basicAuth(USER, PASSWORD).build();
    }

    @Test
    void addSendsOneDocumentedRequestPerMembershipAndTheViewShowsTheMembers() throws Exception {
        FakeUfm f = ufm(BASIC);
        UfmSubnetManager sm = client(f);

        sm.addMembers(PKey.of(0x8101), List.of(SubnetMember.full(G1), SubnetMember.of(G2, Membership.LIMITED, true)));

        // Two kinds of member need two requests, so the partition is read first to be able to undo the first.
        assertThat(f.requests).hasSize(3);
        assertThat(f.requests.get(0).uri).isEqualTo("/ufmRest/resources/pkeys?guids_data=true");
        assertThat(f.requests.get(1).method).isEqualTo("POST");
        assertThat(f.requests.get(1).uri).isEqualTo("/ufmRest/resources/pkeys");
        assertThat(f.requests.get(1).body).isEqualTo("{\"pkey\":\"0x0101\",\"guids\":[\"0002c90300000001\"],"
                + "\"index0\":false,\"ip_over_ib\":true,\"membership\":\"full\"}");
        assertThat(f.requests.get(1).contentType).isEqualTo("application/json");
        assertThat(f.requests.get(1).authorization).isEqualTo(BASIC);
        assertThat(f.requests.get(2).body).isEqualTo("{\"pkey\":\"0x0101\",\"guids\":[\"f452140300a1b2c3\"],"
                + "\"index0\":true,\"ip_over_ib\":true,\"membership\":\"limited\"}");

        assertThat(sm.partitions()).isEqualTo(Map.of(P101,
                Set.of(SubnetMember.full(G1), SubnetMember.of(G2, Membership.LIMITED, true))));
        assertThat(f.requests.get(3).method).isEqualTo("GET");
        assertThat(f.requests.get(3).uri).isEqualTo("/ufmRest/resources/pkeys?guids_data=true");
    }

    @Test
    void membersOfOneKindGoInOneRequestAndIpOverIbCanBeOff() throws Exception {
        FakeUfm f = ufm(null);
        UfmSubnetManager sm = UfmSubnetManager.builder(f.url()).ipOverIb(false).build();
        sm.addMembers(P101, List.of(SubnetMember.full(G1), SubnetMember.full(G2)));
        assertThat(f.requests).hasSize(1);
        assertThat(f.requests.get(0).body).isEqualTo("{\"pkey\":\"0x0101\",\"guids\":[\"0002c90300000001\","
                + "\"f452140300a1b2c3\"],\"index0\":false,\"ip_over_ib\":false,\"membership\":\"full\"}");
        assertThat(f.requests.get(0).authorization).isNull();
    }

    @Test
    void removeSendsTheDocumentedBodyAndAbsentMembersAreANoOp() throws Exception {
        FakeUfm f = ufm(BASIC);
        UfmSubnetManager sm = client(f);
        sm.addMembers(P101, List.of(SubnetMember.full(G1), SubnetMember.full(G2)));

        sm.removeMembers(P101, List.of(G1));
        assertThat(f.requests.get(1).uri).isEqualTo("/ufmRest/actions/remove_guids_from_pkey");
        assertThat(f.requests.get(1).body).isEqualTo("{\"pkey\":\"0x0101\",\"guids\":[\"0002c90300000001\"]}");
        assertThat(sm.partitions()).isEqualTo(Map.of(P101, Set.of(SubnetMember.full(G2))));

        sm.removeMembers(P101, List.of(G1));
        sm.removeMembers(PKey.of(0x0202), List.of(G2));
        assertThat(sm.partitions()).isEqualTo(Map.of(P101, Set.of(SubnetMember.full(G2))));
        sm.removeMembers(P101, List.of(G2));
        assertThat(sm.partitions()).isEmpty();
    }

    @Test
    void readsPartitionsOthersMadeInUfmsShapes() throws Exception {
        FakeUfm f = ufm(null);
        f.preset(0x7fff, "0002c90300000001", "Full", false);
        f.preset(0x5, "020000000000003e", "limited", true);
        UfmSubnetManager sm = UfmSubnetManager.builder(f.url()).build();
        assertThat(sm.partitions()).containsExactly(
                Map.entry(PKey.of(0x5), Set.of(SubnetMember.of(Guid.of(0x020000000000003eL), Membership.LIMITED,
                        true))),
                Map.entry(PKey.of(0x7fff), Set.of(SubnetMember.full(G1))));
    }

    @Test
    void parsesIbKubernetesFixtureShapeWithEntriesLackingGuidsOrMembership() throws Exception {
        String body = "{\"0x7fff\": {\"guids\": []}, \"0x7aff\": {\"test\": \"val\"}, "
                + "\"0x5\": {\"guids\": [{\"guid\": \"020000000000003e\"}, {\"guid\": \"02000FF000FF0009\"}]}}";
        Map<PKey, Set<SubnetMember>> view = UfmSubnetManager.parseView(new com.fasterxml.jackson.databind
                .ObjectMapper().readTree(body));
        assertThat(view).isEqualTo(Map.of(PKey.of(5), Set.of(SubnetMember.full(Guid.of(0x020000000000003eL)),
                SubnetMember.full(Guid.of(0x02000ff000ff0009L)))));
    }

    @Test
    void anUnintelligibleViewIsAnErrorNamingTheReply() throws Exception {
        FakeUfm f = ufm(null);
        UfmSubnetManager sm = UfmSubnetManager.builder(f.url()).build();
        f.failNext(200, "[1,2]");
        assertThatThrownBy(sm::partitions).isExactlyInstanceOf(SubnetManagerException.class)
                .hasMessageContaining("GET /ufmRest/resources/pkeys?guids_data=true")
                .hasMessageContaining("expected a JSON object keyed by P_Key");
        f.failNext(200, "{\"0x5\": {\"guids\": [{\"guid\": \"xyz\"}]}}");
        assertThatThrownBy(sm::partitions).hasMessageContaining("GUID 'xyz' is not 1-16 hex digits");
        f.failNext(200, "{\"0x5\": {\"guids\": [{\"guid\": \"0000000000000001\", \"membership\": \"both\"}]}}");
        assertThatThrownBy(sm::partitions).hasMessageContaining("membership 'both'");
    }

    @Test
    void missingOrWrongCredentialsAreUnauthorizedWithoutTheCredentialsInTheMessage() throws Exception {
        FakeUfm f = ufm(BASIC);
        UfmSubnetManager none = UfmSubnetManager.builder(f.url()).build();
        assertThatThrownBy(none::partitions).isInstanceOf(SubnetManagerUnauthorizedException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("Unauthorized")
                .satisfies(e -> assertThat(((SubnetManagerUnauthorizedException) e).httpStatus()).isEqualTo(401));

        String wrong = "wrong-" + PASSWORD;
        UfmSubnetManager bad = UfmSubnetManager.builder(f.url()).basicAuth(USER, wrong).build();
        assertThatThrownBy(() -> bad.addMembers(P101, List.of(SubnetMember.full(G1))))
                .isInstanceOf(SubnetManagerUnauthorizedException.class)
                .hasMessageContaining("basic credentials")
                .satisfies(e -> assertNoSecret(e.getMessage() + e, wrong));
        assertNoSecret(bad.toString(), wrong);

        UfmSubnetManager badToken = UfmSubnetManager.builder(f.url()).token("tok-" + PASSWORD).build();
        assertThatThrownBy(badToken::partitions).isInstanceOf(SubnetManagerUnauthorizedException.class)
                .satisfies(e -> assertNoSecret(e.getMessage(), "tok-" + PASSWORD));
        assertThat(f.requests.get(f.requests.size() - 1).authorization).isEqualTo("Basic tok-" + PASSWORD);
    }

    @Test
    void aTokenIsSentAsUfmDocumentsIt() throws Exception {
        String token = "czQYeCfKIeXqlwSqtorunOPysaSp2r";
        // UFM's REST API guide: token authentication is under /ufmRestV3, with "Authorization: Basic <token>".
        FakeUfm f = FakeUfm.httpToken(token);
        open.add(f);
        UfmSubnetManager sm = UfmSubnetManager.builder(f.url()).token(token).build();
        sm.addMembers(P101, List.of(SubnetMember.full(G1)));
        sm.removeMembers(P101, List.of(G1));
        sm.addMembers(P101, List.of(SubnetMember.full(G1)));
        assertThat(sm.partitions()).containsOnlyKeys(P101);
        assertThat(f.requests).extracting(r -> r.uri).containsExactly("/ufmRestV3/resources/pkeys",
                "/ufmRestV3/actions/remove_guids_from_pkey", "/ufmRestV3/resources/pkeys",
                "/ufmRestV3/resources/pkeys?guids_data=true");
        assertThat(f.requests).extracting(r -> r.authorization).containsOnly("Basic " + token);
        assertThat(sm.toString()).contains("auth=token").doesNotContain(token);

        // The fake refuses what real UFM refuses: the token under the basic prefix.
        UfmSubnetManager basicWithToken = UfmSubnetManager.builder(f.url()).basicAuth(USER, token).build();
        assertThatThrownBy(basicWithToken::partitions).isInstanceOf(SubnetManagerUnauthorizedException.class)
                .hasMessageContaining("GET /ufmRest/resources/pkeys?guids_data=true");
    }

    @Test
    void errorRepliesAreRefusalsCarryingUfmsMessage() throws Exception {
        FakeUfm f = ufm(BASIC);
        UfmSubnetManager sm = client(f);
        f.failNext(400, "{\"error\": \"GUID 0002c90300000001 is not a valid port GUID\"}");
        assertThatThrownBy(() -> sm.addMembers(P101, List.of(SubnetMember.full(G1))))
                .isInstanceOf(SubnetManagerRefusedException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("POST /ufmRest/resources/pkeys")
                .hasMessageContaining("GUID 0002c90300000001 is not a valid port GUID")
                .satisfies(e -> {
                    SubnetManagerRefusedException r = (SubnetManagerRefusedException) e;
                    assertThat(r.httpStatus()).hasValue(400);
                    assertThat(r.reason()).isEqualTo("GUID 0002c90300000001 is not a valid port GUID");
                    assertNoSecret(r.getMessage(), PASSWORD);
                });
        f.failNext(500, "Internal Server Error\n");
        assertThatThrownBy(() -> sm.removeMembers(P101, List.of(G1)))
                .isInstanceOf(SubnetManagerRefusedException.class)
                .hasMessageContaining("HTTP 500").hasMessageEndingWith(": Internal Server Error");
        // The fake's own validation: a GUID UFM would refuse never leaves iov, but a bad key from UFM's side would.
        assertThat(sm.partitions()).isEmpty();
    }

    @Test
    void aFailedSecondRequestUndoesTheFirst() throws Exception {
        FakeUfm f = ufm(BASIC);
        UfmSubnetManager sm = client(f);
        Guid g3 = Guid.of(0x0002c90300000003L);
        sm.addMembers(P101, List.of(SubnetMember.of(G1, Membership.LIMITED, false)));
        Map<PKey, Set<SubnetMember>> before = sm.partitions();
        int next = f.requests.size();
        // GET (the view for the undo), POST full {G1, g3}, POST limited+index0 {G2} <- fails
        f.failRequest(next + 2, 500, "{\"error\": \"OpenSM is busy\"}");

        assertThatThrownBy(() -> sm.addMembers(P101, List.of(SubnetMember.full(G1), SubnetMember.full(g3),
                SubnetMember.of(G2, Membership.LIMITED, true))))
                .isInstanceOf(SubnetManagerRefusedException.class).hasMessageContaining("OpenSM is busy");

        assertThat(f.requests.get(next).method).isEqualTo("GET");
        assertThat(f.requests.get(next + 3).uri).isEqualTo("/ufmRest/actions/remove_guids_from_pkey");
        assertThat(f.requests.get(next + 3).body).isEqualTo("{\"pkey\":\"0x0101\",\"guids\":[\"0002c90300000003\"]}");
        assertThat(f.requests.get(next + 4).body).isEqualTo("{\"pkey\":\"0x0101\",\"guids\":[\"0002c90300000001\"],"
                + "\"index0\":false,\"ip_over_ib\":true,\"membership\":\"limited\"}");
        assertThat(sm.partitions()).isEqualTo(before);
    }

    @Test
    void anUnreachableUfmIsReportedAsSuch() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        UfmSubnetManager sm = UfmSubnetManager.builder(URI.create("http://127.0.0.1:" + port))
                .basicAuth(USER, PASSWORD).connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(sm::partitions).isInstanceOf(SubnetManagerUnreachableException.class)
                .hasMessageContaining("cannot reach UFM at http://127.0.0.1:" + port)
                .satisfies(e -> assertNoSecret(e.getMessage(), PASSWORD));
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyRequest() throws Exception {
        FakeUfm f = ufm(null);
        UfmSubnetManager sm = UfmSubnetManager.builder(f.url()).build();
        assertThatThrownBy(() -> sm.addMembers(PKey.of(0x7fff), List.of(SubnetMember.full(G1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default partition 0x7fff");
        assertThatThrownBy(() -> sm.addMembers(P101, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no members");
        assertThatThrownBy(() -> sm.addMembers(P101, List.of(SubnetMember.full(G1), SubnetMember.full(G1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> sm.removeMembers(P101, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no GUIDs");
        assertThatThrownBy(() -> SubnetMember.of(Guid.ZERO, Membership.FULL, false))
                .hasMessageContaining("zero GUID");
        assertThatThrownBy(() -> SubnetMember.of(G1, Membership.BOTH, false)).hasMessageContaining("'both'");
        assertThat(f.requests).isEmpty();
    }

    @Test
    void baseUrlsWithCredentialsOrPathsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> UfmSubnetManager.builder(URI.create("https://admin:" + PASSWORD + "@ufm")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not hold user info")
                .satisfies(e -> assertNoSecret(e.getMessage(), PASSWORD));
        assertThatThrownBy(() -> UfmSubnetManager.builder(URI.create("https://ufm/ufmRest")))
                .hasMessageContaining("without path");
        assertThatThrownBy(() -> UfmSubnetManager.builder(URI.create("ftp://ufm")))
                .hasMessageContaining("'ftp://ufm'");
    }

    @Test
    void logsNeverHoldTheCredentials() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FakeUfm f = ufm(BASIC);
            UfmSubnetManager sm = client(f);
            sm.addMembers(P101, List.of(SubnetMember.full(G1)));
            sm.removeMembers(P101, List.of(G1));
            UfmSubnetManager.builder(f.url()).basicAuth(USER, "other-" + PASSWORD).insecure().build();
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("added 1 GUID(s) to partition").contains("credentials are sent without TLS")
                .contains("NOT verified");
        assertNoSecret(log, PASSWORD);
    }

    @Test
    void httpsWithTheCaFileInsecureModeAndRefusalByTheDefaultTrust() throws Exception {
        Path keystore = dir.resolve("ufm.p12");
        Path pem = dir.resolve("ufm-ca.pem");
        keytool("-genkeypair", "-alias", "ufm", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-keystore",
                keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "ufm", "-keystore", keystore.toString(), "-storepass",
                "changeit", "-file", pem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        FakeUfm f = FakeUfm.https(tls, BASIC);
        open.add(f);
        assertThat(f.url().getScheme()).isEqualTo("https");

        UfmSubnetManager trusted = UfmSubnetManager.builder(f.url()).basicAuth(USER, PASSWORD).trustCaFile(pem)
                .build();
        trusted.addMembers(P101, List.of(SubnetMember.full(G1)));
        assertThat(trusted.partitions()).isEqualTo(Map.of(P101, Set.of(SubnetMember.full(G1))));
        assertThat(trusted.toString()).contains("trust=ca-file " + pem);

        UfmSubnetManager insecure = UfmSubnetManager.builder(f.url()).basicAuth(USER, PASSWORD).insecure().build();
        assertThat(insecure.partitions()).containsOnlyKeys(P101);
        // The certificate names only 'localhost': the CA file checks the host name, insecure mode does not.
        URI byAddress = URI.create("https://127.0.0.1:" + f.url().getPort());
        UfmSubnetManager wrongName = UfmSubnetManager.builder(byAddress).basicAuth(USER, PASSWORD).trustCaFile(pem)
                .build();
        assertThatThrownBy(wrongName::partitions).isInstanceOf(SubnetManagerUnreachableException.class)
                .hasMessageContaining("127.0.0.1");
        UfmSubnetManager otherName = UfmSubnetManager.builder(byAddress).basicAuth(USER, PASSWORD).insecure().build();
        assertThat(otherName.partitions()).containsOnlyKeys(P101);

        UfmSubnetManager defaultTrust = UfmSubnetManager.builder(f.url()).basicAuth(USER, PASSWORD).build();
        assertThatThrownBy(defaultTrust::partitions).isInstanceOf(SubnetManagerUnreachableException.class)
                .hasMessageContaining("cannot reach UFM at " + f.url())
                .satisfies(e -> assertNoSecret(e.getMessage(), PASSWORD));

        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "hello");
        assertThatThrownBy(() -> UfmSubnetManager.builder(f.url()).trustCaFile(notPem).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(notPem.toString());
    }

    private void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    static void assertNoSecret(String text, String secret) {
        assertThat(text).doesNotContain(secret)
                .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(Base64.getEncoder().encodeToString((USER + ":" + secret)
                        .getBytes(StandardCharsets.UTF_8)));
    }
}
