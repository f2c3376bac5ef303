package dev.iov.ethernet.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OvsdbClientTest {

    @Test
    void badTargetsNameTheTarget() {
        for (String bad : List.of("", "unix:", "http://x", "tcp:host", "tcp:host:0", "tcp:host:port", "tcp::80")) {
            assertThatThrownBy(() -> OvsdbClient.connect(bad, Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void missingSocketIsAConnectionException() {
        assertThatThrownBy(() -> OvsdbClient.connect("unix:/nonexistent/iov/db.sock", Duration.ofSeconds(1)))
                .isInstanceOf(OvsdbConnectionException.class).hasMessageContaining("/nonexistent/iov/db.sock");
    }

    @Test
    void operationsEncodeAsRfc7047() {
        assertThat(Operation.insert("Port", Map.of("tag", 10L), new NamedUuid("p")).toJson().toString())
                .isEqualTo("{\"op\":\"insert\",\"table\":\"Port\",\"row\":{\"tag\":10},\"uuid-name\":\"p\"}");
        assertThat(Operation.mutate("Bridge", List.of(Condition.eq("name", "br")),
                List.of(Mutation.insert("ports", OvsdbSet.of(new NamedUuid("p"))))).toJson().toString())
                .isEqualTo("{\"op\":\"mutate\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"br\"]],"
                        + "\"mutations\":[[\"ports\",\"insert\",[\"set\",[[\"named-uuid\",\"p\"]]]]]}");
        assertThat(Operation.waitUntil("Port", List.of(), List.of("name"), List.of(Map.of("name", "a")), true, 0)
                .toJson().toString()).isEqualTo("{\"op\":\"wait\",\"table\":\"Port\",\"timeout\":0,\"where\":[],"
                        + "\"columns\":[\"name\"],\"until\":\"==\",\"rows\":[{\"name\":\"a\"}]}");
        assertThat(OvsdbValues.encode(OvsdbMap.ofStrings(Map.of("k", "v"))).toString())
                .isEqualTo("[\"map\",[[\"k\",\"v\"]]]");
    }

    @Test
    void rowAccessorsAcceptBothEncodingsOfOneElementSets() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Row row = Row.decode(mapper.readTree("{\"a\":5,\"b\":[\"set\",[6]],\"c\":[\"set\",[]],\"d\":\"x\"}"));
        assertThat(row.integer("a")).contains(5L);
        assertThat(row.integer("b")).contains(6L);
        assertThat(row.integer("c")).isEmpty();
        assertThat(row.set("a")).containsExactly(5L);
        assertThatThrownBy(() -> row.integer("d")).isInstanceOf(OvsdbException.class).hasMessageContaining("d is x");
    }

    @Test
    void badIdsAreRejected() {
        assertThatThrownBy(() -> new Uuid("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> new NamedUuid("1x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1x'");
    }
}
