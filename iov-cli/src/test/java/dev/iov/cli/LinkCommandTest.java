package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LinkCommandTest {

    @Test
    void listsTheLoopbackAsJson() throws Exception {
        CliRunner.Result result = CliRunner.run("link", "list", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode links = new ObjectMapper().readTree(result.out()).get("links");
        JsonNode lo = null;
        for (JsonNode link : links) {
            if (link.get("name").asText().equals("lo")) {
                lo = link;
            }
        }
        assertThat(lo).as("lo in %s", result.out()).isNotNull();
        assertThat(lo.get("index").asInt()).isEqualTo(1);
        assertThat(lo.get("mtu").asInt()).isPositive();
        assertThat(lo.get("stats").get("rxPackets").isNumber()).isTrue();
    }

    @Test
    void listsAsATable() {
        CliRunner.Result result = CliRunner.run("link", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("INDEX").contains(" lo ");
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        CliRunner.Result result = CliRunner.run("link");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).contains("list");
    }
}
