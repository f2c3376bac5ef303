package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * One clause of an operation's {@code where}: {@code [column, function, value]} (RFC 7047 §5.1).
 *
 * @param column the column
 * @param function {@code ==}, {@code !=}, {@code includes}, {@code excludes}, {@code <}, {@code <=}, {@code >},
 *     {@code >=}
 * @param value the value to compare with (an atom, {@link OvsdbSet} or {@link OvsdbMap})
 */
public record Condition(String column, String function, Object value) {

    /**
     * @param column the column
     * @param function the comparison
     * @param value the value
     */
    public Condition {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(function, "function");
        OvsdbValues.encode(value);
    }

    /**
     * @param column the column
     * @param value the value it must equal
     * @return {@code [column, "==", value]}
     */
    public static Condition eq(String column, Object value) {
        return new Condition(column, "==", value);
    }

    /**
     * @param uuid a row's UUID
     * @return {@code ["_uuid", "==", uuid]}
     */
    public static Condition uuid(Uuid uuid) {
        return eq("_uuid", uuid);
    }

    /**
     * @param column a set or map column
     * @param value what it must contain
     * @return {@code [column, "includes", value]}
     */
    public static Condition includes(String column, Object value) {
        return new Condition(column, "includes", value);
    }

    JsonNode toJson() {
        return JsonNodeFactory.instance.arrayNode().add(column).add(function).add(OvsdbValues.encode(value));
    }
}
