package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A row (or the selected columns of one) as the server returned it, decoded. Accessors accept both encodings of a
 * one-element set (the atom itself, or {@code ["set",[atom]]}) and treat an empty set as "no value".
 */
public final class Row {

    private final Map<String, Object> columns;

    /** @param columns decoded column values by name */
    public Row(Map<String, Object> columns) {
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * @param json a JSON object of column names to encoded values
     * @return the decoded row
     * @throws OvsdbException when it is not a row
     */
    public static Row decode(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new OvsdbException("syntax error", "a row must be a JSON object: " + json, "decode row");
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            columns.put(e.getKey(), OvsdbValues.decode(e.getValue()));
        }
        return new Row(columns);
    }

    /** @return the decoded columns by name */
    public Map<String, Object> columns() {
        return columns;
    }

    /** @return the row's {@code _uuid} */
    public Uuid uuid() {
        return atom("_uuid", Uuid.class).orElseThrow(() -> missing("_uuid"));
    }

    /**
     * @param column a string column (optional or not)
     * @return its value, empty when the column is absent or an empty set
     */
    public Optional<String> string(String column) {
        return atom(column, String.class);
    }

    /**
     * @param column an integer column (optional or not)
     * @return its value, empty when the column is absent or an empty set
     */
    public Optional<Long> integer(String column) {
        return atom(column, Long.class);
    }

    /**
     * @param column a set column
     * @return its elements; a bare atom is a one-element set; an absent column is empty
     */
    public List<Object> set(String column) {
        Object value = columns.get(column);
        if (value == null) {
            return List.of();
        }
        if (value instanceof OvsdbSet set) {
            return List.copyOf(set.elements());
        }
        if (value instanceof OvsdbMap) {
            throw new OvsdbException("syntax error", "column " + column + " is a map, not a set", "read row");
        }
        return List.of(value);
    }

    /**
     * @param column a map column
     * @return its value; an absent column is empty
     */
    public OvsdbMap map(String column) {
        Object value = columns.get(column);
        if (value == null) {
            return OvsdbMap.EMPTY;
        }
        if (value instanceof OvsdbMap map) {
            return map;
        }
        throw new OvsdbException("syntax error", "column " + column + " is not a map: " + value, "read row");
    }

    private <T> Optional<T> atom(String column, Class<T> type) {
        Object value = columns.get(column);
        if (value instanceof OvsdbSet set) {
            if (set.elements().isEmpty()) {
                return Optional.empty();
            }
            if (set.elements().size() > 1) {
                throw new OvsdbException("syntax error", "column " + column + " holds " + set.elements().size()
                        + " values, expected at most one", "read row");
            }
            value = set.elements().iterator().next();
        }
        if (value == null) {
            return Optional.empty();
        }
        if (!type.isInstance(value)) {
            throw new OvsdbException("syntax error", "column " + column + " is " + value + ", expected a "
                    + type.getSimpleName(), "read row");
        }
        return Optional.of(type.cast(value));
    }

    private OvsdbException missing(String column) {
        return new OvsdbException("syntax error", "row has no column " + column, "read row");
    }

    @Override
    public String toString() {
        return "Row" + columns;
    }
}
