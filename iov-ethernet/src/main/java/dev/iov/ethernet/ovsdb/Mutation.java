package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * One change of a {@code mutate} operation: {@code [column, mutator, value]} (RFC 7047 §5.2.4).
 *
 * @param column the column
 * @param mutator {@code insert}, {@code delete} (sets and maps) or {@code +=}, {@code -=}, ... (numbers)
 * @param value the operand
 */
public record Mutation(String column, String mutator, Object value) {

    /**
     * @param column the column
     * @param mutator the mutator
     * @param value the operand
     */
    public Mutation {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(mutator, "mutator");
        OvsdbValues.encode(value);
    }

    /**
     * @param column a set or map column
     * @param value the elements or pairs to add
     * @return {@code [column, "insert", value]}
     */
    public static Mutation insert(String column, Object value) {
        return new Mutation(column, "insert", value);
    }

    /**
     * @param column a set or map column
     * @param value the elements (or, for a map, keys or pairs) to remove
     * @return {@code [column, "delete", value]}
     */
    public static Mutation delete(String column, Object value) {
        return new Mutation(column, "delete", value);
    }

    /**
     * @param column an integer column
     * @param amount what to add
     * @return {@code [column, "+=", amount]}
     */
    public static Mutation add(String column, long amount) {
        return new Mutation(column, "+=", amount);
    }

    JsonNode toJson() {
        return JsonNodeFactory.instance.arrayNode().add(column).add(mutator).add(OvsdbValues.encode(value));
    }
}
