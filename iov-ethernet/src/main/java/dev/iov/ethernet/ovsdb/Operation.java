package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operation of a {@code transact} request (RFC 7047 §5.2). All operations of a transaction commit together or
 * not at all; {@link #waitUntil} lets a transaction abort itself when a row changed since it was read (optimistic
 * concurrency).
 */
public final class Operation {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String op;
    private final String table;
    private final ObjectNode json;

    private Operation(String op, String table) {
        this.op = op;
        this.table = table;
        this.json = JSON.objectNode().put("op", op);
        if (table != null) {
            json.put("table", table);
        }
    }

    /**
     * @param table the table
     * @param row the new row's columns (values as {@link OvsdbValues#encode} takes them)
     * @param uuidName the name later operations of the transaction use to refer to the row, or null
     * @return an {@code insert}
     */
    public static Operation insert(String table, Map<String, ?> row, NamedUuid uuidName) {
        Operation o = new Operation("insert", Objects.requireNonNull(table, "table"));
        o.json.set("row", row(row));
        if (uuidName != null) {
            o.json.put("uuid-name", uuidName.name());
        }
        return o;
    }

    /**
     * @param table the table
     * @param where which rows
     * @param columns the columns to return; empty for all
     * @return a {@code select}
     */
    public static Operation select(String table, List<Condition> where, List<String> columns) {
        Operation o = new Operation("select", Objects.requireNonNull(table, "table"));
        o.json.set("where", where(where));
        if (!columns.isEmpty()) {
            ArrayNode cols = o.json.putArray("columns");
            columns.forEach(cols::add);
        }
        return o;
    }

    /**
     * @param table the table
     * @param where which rows
     * @param row the columns to set
     * @return an {@code update}
     */
    public static Operation update(String table, List<Condition> where, Map<String, ?> row) {
        Operation o = new Operation("update", Objects.requireNonNull(table, "table"));
        o.json.set("where", where(where));
        o.json.set("row", row(row));
        return o;
    }

    /**
     * @param table the table
     * @param where which rows
     * @param mutations the changes
     * @return a {@code mutate}
     */
    public static Operation mutate(String table, List<Condition> where, List<Mutation> mutations) {
        Operation o = new Operation("mutate", Objects.requireNonNull(table, "table"));
        o.json.set("where", where(where));
        ArrayNode array = o.json.putArray("mutations");
        mutations.forEach(m -> array.add(m.toJson()));
        return o;
    }

    /**
     * @param table the table
     * @param where which rows
     * @return a {@code delete}
     */
    public static Operation delete(String table, List<Condition> where) {
        Operation o = new Operation("delete", Objects.requireNonNull(table, "table"));
        o.json.set("where", where(where));
        return o;
    }

    /**
     * A {@code wait} that aborts the transaction unless the rows matching {@code where}, projected onto
     * {@code columns}, are exactly {@code rows} ({@code equal}) or are not ({@code !equal}). With timeout 0 the
     * server decides at once; a failure surfaces as {@link OvsdbWaitFailedException}.
     *
     * @param table the table
     * @param where which rows
     * @param columns the columns to compare
     * @param rows the expected rows (only {@code columns})
     * @param equal true for {@code "=="}, false for {@code "!="}
     * @param timeoutMillis how long the server may wait for the condition; 0 to decide at once
     * @return a {@code wait}
     */
    public static Operation waitUntil(String table, List<Condition> where, List<String> columns,
            List<? extends Map<String, ?>> rows, boolean equal, long timeoutMillis) {
        Operation o = new Operation("wait", Objects.requireNonNull(table, "table"));
        o.json.put("timeout", timeoutMillis);
        o.json.set("where", where(where));
        ArrayNode cols = o.json.putArray("columns");
        columns.forEach(cols::add);
        o.json.put("until", equal ? "==" : "!=");
        ArrayNode array = o.json.putArray("rows");
        rows.forEach(r -> array.add(row(r)));
        return o;
    }

    /**
     * @param text a note for the database log
     * @return a {@code comment}
     */
    public static Operation comment(String text) {
        Operation o = new Operation("comment", null);
        o.json.put("comment", Objects.requireNonNull(text, "text"));
        return o;
    }

    /** @return the operation's name ({@code insert}, {@code wait}, ...) */
    public String op() {
        return op;
    }

    /** @return e.g. {@code insert Port} */
    @Override
    public String toString() {
        return table == null ? op : op + " " + table;
    }

    ObjectNode toJson() {
        return json;
    }

    private static ObjectNode row(Map<String, ?> row) {
        ObjectNode node = JSON.objectNode();
        row.forEach((column, value) -> node.set(column, OvsdbValues.encode(value)));
        return node;
    }

    private static ArrayNode where(List<Condition> where) {
        ArrayNode array = JSON.arrayNode();
        where.forEach(c -> array.add(c.toJson()));
        return array;
    }
}
