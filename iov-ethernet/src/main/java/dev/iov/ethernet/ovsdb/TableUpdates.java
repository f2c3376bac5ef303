package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a monitor reports (RFC 7047 §4.1.6): per table, per row UUID, the row's old and new values (only the monitored
 * columns; {@code old} holds only the columns that changed).
 *
 * @param tables row updates by table name, then by row UUID
 */
public record TableUpdates(Map<String, Map<Uuid, TableUpdates.RowUpdate>> tables) {

    /**
     * One row's change: both present for a modification, only {@code newRow} for an insert (or the initial
     * contents), only {@code oldRow} for a delete.
     *
     * @param oldRow the previous values of the changed columns
     * @param newRow the current values
     */
    public record RowUpdate(Optional<Row> oldRow, Optional<Row> newRow) {
    }

    /** @param tables row updates by table, then by UUID */
    public TableUpdates {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /**
     * @param table a table name
     * @return its row updates by UUID, empty when the table did not change
     */
    public Map<Uuid, RowUpdate> table(String table) {
        return tables.getOrDefault(table, Map.of());
    }

    static TableUpdates decode(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new OvsdbException("syntax error", "table-updates must be an object: " + json, "monitor");
        }
        Map<String, Map<Uuid, RowUpdate>> tables = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> table : json.properties()) {
            if (!table.getValue().isObject()) {
                throw new OvsdbException("syntax error", "table-update must be an object: " + table, "monitor");
            }
            Map<Uuid, RowUpdate> rows = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> row : table.getValue().properties()) {
                Uuid uuid;
                try {
                    uuid = new Uuid(row.getKey());
                } catch (IllegalArgumentException e) {
                    throw new OvsdbException("syntax error", e.getMessage(), "monitor", e);
                }
                JsonNode update = row.getValue();
                if (!update.isObject()) {
                    throw new OvsdbException("syntax error", "row-update must be an object: " + update, "monitor");
                }
                rows.put(uuid, new RowUpdate(optionalRow(update.get("old")), optionalRow(update.get("new"))));
            }
            tables.put(table.getKey(), Collections.unmodifiableMap(rows));
        }
        return new TableUpdates(tables);
    }

    private static Optional<Row> optionalRow(JsonNode json) {
        return json == null || json.isNull() ? Optional.empty() : Optional.of(Row.decode(json));
    }
}
