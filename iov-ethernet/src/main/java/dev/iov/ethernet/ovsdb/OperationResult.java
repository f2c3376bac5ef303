package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of one successful operation of a transaction: the new row's UUID of an {@code insert}, the rows of a
 * {@code select}, the number of rows an {@code update}, {@code mutate} or {@code delete} touched.
 */
public final class OperationResult {

    private final JsonNode json;

    OperationResult(JsonNode json) {
        this.json = json;
    }

    /** @return the inserted row's UUID */
    public Uuid uuid() {
        Object value = OvsdbValues.decodeAtom(json.get("uuid"));
        if (!(value instanceof Uuid uuid)) {
            throw new OvsdbException("syntax error", "insert result without uuid: " + json, "read result");
        }
        return uuid;
    }

    /** @return the selected rows */
    public List<Row> rows() {
        JsonNode rows = json.get("rows");
        if (rows == null || !rows.isArray()) {
            throw new OvsdbException("syntax error", "select result without rows: " + json, "read result");
        }
        List<Row> out = new ArrayList<>();
        rows.forEach(r -> out.add(Row.decode(r)));
        return out;
    }

    /** @return how many rows the operation touched */
    public long count() {
        JsonNode count = json.get("count");
        if (count == null || !count.isIntegralNumber()) {
            throw new OvsdbException("syntax error", "result without count: " + json, "read result");
        }
        return count.longValue();
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
