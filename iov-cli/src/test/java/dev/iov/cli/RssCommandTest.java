package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.cli.CliRunner.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RssCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String MICROSOFT_KEY =
            "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

    /** Microsoft's RSS verification table, source -> destination: src, sport, dst, dport, 2-tuple, 4-tuple hash. */
    static Stream<Arguments> microsoftVectors() {
        return Stream.of(
                Arguments.of("66.9.149.187", 2794, "161.142.100.80", 1766, "0x323e8fc2", "0x51ccc178"),
                Arguments.of("199.92.111.2", 14230, "65.69.140.83", 4739, "0xd718262a", "0xc626b0ea"),
                Arguments.of("24.19.198.95", 12898, "12.22.207.184", 38024, "0xd2d0a5de", "0x5c2b394a"),
                Arguments.of("38.27.205.30", 48228, "209.142.163.6", 2217, "0x82989176", "0xafc7327f"),
                Arguments.of("153.39.163.191", 44251, "202.188.127.2", 1303, "0x5d1809c5", "0x10e828a2"),
                Arguments.of("3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766, "0x2cc18cd5", "0x40207d3d"),
                Arguments.of("3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739, "0x0f0c461c", "0xdde51bbf"),
                Arguments.of("3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, "fe80::200:f8ff:fe21:67cf", 38024,
                        "0x4b61e985", "0x02d1feef"));
    }

    @ParameterizedTest(name = "{0}:{1} -> {2}:{3}")
    @MethodSource("microsoftVectors")
    void hashesMicrosoftsVectorsAsJson(String src, int sport, String dst, int dport, String hash2, String hash4)
            throws Exception {
        Result fourTuple = CliRunner.run("rss", "hash", "--src", src, "--dst", dst, "--sport", Integer.toString(sport),
                "--dport", Integer.toString(dport), "--json");
        Result twoTuple = CliRunner.run("rss", "hash", "--src", src, "--dst", dst, "--json");

        assertThat(fourTuple.exitCode()).as(fourTuple.err()).isZero();
        assertThat(fourTuple.err()).isEmpty();
        JsonNode json = JSON.readTree(fourTuple.out());
        assertThat(fieldNames(json)).containsExactly("hash", "queue");
        assertThat(json.get("hash").asText()).isEqualTo(hash4);
        assertThat(json.get("queue").isInt()).isTrue();
        assertThat(json.get("queue").asInt()).isZero();
        assertThat(twoTuple.exitCode()).as(twoTuple.err()).isZero();
        assertThat(JSON.readTree(twoTuple.out()).get("hash").asText()).isEqualTo(hash2);
    }

    @Test
    void theJsonIsExactlyOneObject() throws Exception {
        Result result = CliRunner.run("rss", "hash", "--src", "66.9.149.187", "--dst", "161.142.100.80", "--sport",
                "2794", "--dport", "1766", "--json");

        assertThat(JSON.readTree(result.out())).isEqualTo(JSON.readTree("{\"hash\":\"0x51ccc178\",\"queue\":0}"));
        assertThat(JSON.readerFor(JsonNode.class).readValues(result.out()).readAll()).hasSize(1);
    }

    @Test
    void printsTheHashAndTheQueueAsText() {
        Result result = CliRunner.run("rss", "hash", "--src", "66.9.149.187", "--dst", "161.142.100.80", "--sport",
                "2794", "--dport", "1766");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .isEqualTo(String.format("hash   0x51ccc178%nqueue  0  (RETA entry 120 of 128, 1 queue)%n"));
    }

    @Test
    void theTextSaysWhichRetaEntryChoseTheQueue() {
        Result result = CliRunner.run("rss", "hash", "--src", "199.92.111.2", "--dst", "65.69.140.83", "--sport",
                "14230", "--dport", "4739", "--queues", "7", "--reta-size", "512");

        assertThat(result.out())
                .isEqualTo(String.format("hash   0xc626b0ea%nqueue  3  (RETA entry 234 of 512, 7 queues)%n"));
    }

    @Test
    void theQueueComesFromTheDefaultRetaOverTheQueues() throws Exception {
        // 0xc626b0ea: low 7 bits 0x6a = 106 -> 106 % 4 = 2; low 9 bits 0xea = 234 -> 234 % 7 = 3.
        String[] flow = {"rss", "hash", "--src", "199.92.111.2", "--dst", "65.69.140.83", "--sport", "14230",
            "--dport", "4739", "--json"};

        assertThat(queue(CliRunner.run(concat(flow, "--queues", "4")))).isEqualTo(2);
        assertThat(queue(CliRunner.run(concat(flow, "--queues", "4", "--reta-size", "128")))).isEqualTo(2);
        assertThat(queue(CliRunner.run(concat(flow, "--queues", "7", "--reta-size", "512")))).isEqualTo(3);
        assertThat(queue(CliRunner.run(concat(flow, "--queues", "512", "--reta-size", "512")))).isEqualTo(234);
    }

    @Test
    void theSymmetricKeyHashesBothDirectionsAlike() throws Exception {
        Result forward = CliRunner.run("rss", "hash", "--src", "66.9.149.187", "--dst", "161.142.100.80", "--sport",
                "2794", "--dport", "1766", "--symmetric", "--json");
        Result backward = CliRunner.run("rss", "hash", "--src", "161.142.100.80", "--dst", "66.9.149.187", "--sport",
                "1766", "--dport", "2794", "--symmetric", "--json");

        assertThat(forward.exitCode()).as(forward.err()).isZero();
        assertThat(JSON.readTree(forward.out())).isEqualTo(JSON.readTree(backward.out()));
        assertThat(JSON.readTree(forward.out()).get("hash").asText()).isNotEqualTo("0x51ccc178");
    }

    @Test
    void anExplicitKeyIsUsed() throws Exception {
        Result plain = CliRunner.run("rss", "hash", "--src", "66.9.149.187", "--dst", "161.142.100.80", "--sport",
                "2794", "--dport", "1766", "--key", MICROSOFT_KEY.toUpperCase(), "--json");
        Result ethtool = CliRunner.run("rss", "hash", "--src", "66.9.149.187", "--dst", "161.142.100.80",
                "--key", MICROSOFT_KEY.replaceAll("(..)(?!$)", "$1:"), "--json");
        Result symmetric = CliRunner.run("rss", "hash", "--src", "66.9.149.187", "--dst", "161.142.100.80",
                "--key", "6d5a".repeat(20), "--json");
        Result symmetricFlag = CliRunner.run("rss", "hash", "--src", "66.9.149.187", "--dst", "161.142.100.80",
                "--symmetric", "--json");

        assertThat(JSON.readTree(plain.out()).get("hash").asText()).isEqualTo("0x51ccc178");
        assertThat(JSON.readTree(ethtool.out()).get("hash").asText()).isEqualTo("0x323e8fc2");
        assertThat(JSON.readTree(symmetric.out())).isEqualTo(JSON.readTree(symmetricFlag.out()));
    }

    @Test
    void acceptsTheWholeIpv6LiteralSyntax() throws Exception {
        // The same flow as Microsoft's first IPv6 row, written out in full and with an embedded dotted quad.
        Result result = CliRunner.run("rss", "hash", "--src", "3FFE:2501:0200:1FFF:0:0:0:7", "--dst",
                "3ffe:2501:200:3::0.0.0.1", "--sport", "2794", "--dport", "1766", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(JSON.readTree(result.out()).get("hash").asText()).isEqualTo("0x40207d3d");
        assertThat(CliRunner.run("rss", "hash", "--src", "::", "--dst", "::1").exitCode()).isZero();
    }

    static Stream<Arguments> badInputs() {
        String[] v4 = {"--src", "66.9.149.187", "--dst", "161.142.100.80"};
        return Stream.of(
                bad("'66.9.149.256'", "--src", "66.9.149.256", "--dst", "161.142.100.80"),
                bad("'example.com'", "--src", "example.com", "--dst", "161.142.100.80"),
                bad("'66.9.149'", "--src", "66.9.149", "--dst", "161.142.100.80"),
                bad("'066.9.149.187'", "--src", "066.9.149.187", "--dst", "161.142.100.80"),
                bad("'1:2:3:4:5:6:7:8:9'", "--src", "66.9.149.187", "--dst", "1:2:3:4:5:6:7:8:9"),
                bad("'1::2::3'", "--src", "1::2::3", "--dst", "::1"),
                bad("'fe80::1%eth0'", "--src", "fe80::1%eth0", "--dst", "::1"),
                bad("'12345::1'", "--src", "12345::1", "--dst", "::1"),
                bad("'::1'", "--src", "66.9.149.187", "--dst", "::1"),
                bad("'2794'", concat(v4, "--sport", "2794")),
                bad("'1766'", concat(v4, "--dport", "1766")),
                bad("'65536'", concat(v4, "--sport", "65536", "--dport", "1766")),
                bad("'-1'", concat(v4, "--sport", "2794", "--dport", "-1")),
                bad("'http'", concat(v4, "--sport", "http", "--dport", "1766")),
                bad("'abcd'", concat(v4, "--key", "abcd")),
                bad("'" + MICROSOFT_KEY.replace('a', 'x') + "'", concat(v4, "--key", MICROSOFT_KEY.replace('a', 'x'))),
                bad("'" + MICROSOFT_KEY + "'", concat(v4, "--key", MICROSOFT_KEY, "--symmetric")),
                bad("'0'", concat(v4, "--queues", "0")),
                bad("'129'", concat(v4, "--queues", "129")),
                bad("'many'", concat(v4, "--queues", "many")),
                bad("'256'", concat(v4, "--reta-size", "256")),
                bad("'64'", concat(v4, "--reta-size", "64")),
                bad("--dst", "--src", "66.9.149.187"),
                bad("--src", "--dst", "66.9.149.187"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInputs")
    void badInputIsExit2WithOneLineNamingTheValue(String named, List<String> options) {
        List<String> args = new ArrayList<>(List.of("rss", "hash"));
        args.addAll(options);
        args.add("--json");

        Result result = CliRunner.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.errLines()[0]).startsWith("iov: ").contains(named);
    }

    @Test
    void rssWithoutASubcommandIsAUsageError() {
        Result result = CliRunner.run("rss");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains("hash");
    }

    @Test
    void theHelpNamesEveryOption() {
        Result result = CliRunner.run("rss", "hash", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--src", "--dst", "--sport", "--dport", "--key", "--symmetric", "--queues",
                "--reta-size", "--json");
    }

    private static Arguments bad(String named, String... options) {
        return Arguments.of(named, List.of(options));
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    private static int queue(Result result) throws Exception {
        assertThat(result.exitCode()).as(result.err()).isZero();
        return JSON.readTree(result.out()).get("queue").asInt();
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
