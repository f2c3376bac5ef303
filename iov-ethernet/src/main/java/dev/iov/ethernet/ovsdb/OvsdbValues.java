package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The OVSDB JSON encoding of values (RFC 7047 §5.1): atoms are JSON strings, integers ({@link Long}), reals
 * ({@link Double}), booleans, {@code ["uuid",...]} ({@link Uuid}) and {@code ["named-uuid",...]} ({@link NamedUuid});
 * sets are {@code ["set",[...]]} ({@link OvsdbSet}) or a single atom; maps are {@code ["map",[[k,v],...]]}
 * ({@link OvsdbMap}). Without a schema a one-element set and its atom look the same on the wire; {@link Row}'s
 * accessors accept both.
 */
public final class OvsdbValues {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OvsdbValues() {
    }

    /**
     * @param value an atom, {@link OvsdbSet} or {@link OvsdbMap}; {@link Integer} is accepted as an integer
     * @return its JSON form
     * @throws IllegalArgumentException when the value is not an OVSDB value (the message names its type and value)
     */
    public static JsonNode encode(Object value) {
        if (value instanceof OvsdbSet set) {
            ArrayNode elements = JSON.arrayNode();
            set.elements().forEach(e -> elements.add(encodeAtom(e)));
            return JSON.arrayNode().add("set").add(elements);
        }
        if (value instanceof OvsdbMap map) {
            ArrayNode pairs = JSON.arrayNode();
            map.entries().forEach((k, v) -> pairs.add(JSON.arrayNode().add(encodeAtom(k)).add(encodeAtom(v))));
            return JSON.arrayNode().add("map").add(pairs);
        }
        return encodeAtom(value);
    }

    /**
     * @param json a value's JSON form
     * @return the atom, {@link OvsdbSet} or {@link OvsdbMap} it encodes
     * @throws OvsdbException (error {@code "syntax error"}) when the JSON is not an OVSDB value
     */
    public static Object decode(JsonNode json) {
        if (json != null && json.isArray() && json.size() == 2 && json.get(0).isTextual()) {
            String tag = json.get(0).asText();
            JsonNode body = json.get(1);
            if (tag.equals("set")) {
                if (!body.isArray()) {
                    throw syntax("a set's elements must be an array", json);
                }
                Set<Object> elements = new LinkedHashSet<>();
                for (JsonNode element : body) {
                    if (!elements.add(decodeAtom(element))) {
                        throw syntax("a set has a duplicate element", json);
                    }
                }
                return new OvsdbSet(elements);
            }
            if (tag.equals("map")) {
                if (!body.isArray()) {
                    throw syntax("a map's pairs must be an array", json);
                }
                Map<Object, Object> entries = new LinkedHashMap<>();
                for (JsonNode pair : body) {
                    if (!pair.isArray() || pair.size() != 2) {
                        throw syntax("a map pair must be [key, value]", json);
                    }
                    if (entries.put(decodeAtom(pair.get(0)), decodeAtom(pair.get(1))) != null) {
                        throw syntax("a map has a duplicate key", json);
                    }
                }
                return new OvsdbMap(entries);
            }
        }
        return decodeAtom(json);
    }

    /**
     * @param json an atom's JSON form
     * @return the atom
     * @throws OvsdbException (error {@code "syntax error"}) when it is not an atom
     */
    public static Object decodeAtom(JsonNode json) {
        if (json == null) {
            throw syntax("missing value", null);
        }
        if (json.isTextual()) {
            return json.asText();
        }
        if (json.isBoolean()) {
            return json.booleanValue();
        }
        if (json.isIntegralNumber()) {
            if (!json.canConvertToLong()) {
                throw syntax("integer out of 64-bit range", json);
            }
            return json.longValue();
        }
        if (json.isFloatingPointNumber()) {
            double d = json.doubleValue();
            if (!Double.isFinite(d)) {
                throw syntax("real out of range", json);
            }
            return d;
        }
        if (json.isArray() && json.size() == 2 && json.get(0).isTextual() && json.get(1).isTextual()) {
            String tag = json.get(0).asText();
            String text = json.get(1).asText();
            try {
                if (tag.equals("uuid")) {
                    return new Uuid(text);
                }
                if (tag.equals("named-uuid")) {
                    return new NamedUuid(text);
                }
            } catch (IllegalArgumentException e) {
                throw syntax(e.getMessage(), json);
            }
        }
        throw syntax("not an OVSDB atom", json);
    }

    static void requireAtom(Object value) {
        if (!(value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean
                || value instanceof Uuid || value instanceof NamedUuid)) {
            throw new IllegalArgumentException("not an OVSDB atom: " + describe(value));
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            throw new IllegalArgumentException("not an OVSDB real (must be finite): " + d);
        }
    }

    private static JsonNode encodeAtom(Object value) {
        if (value instanceof Integer i) {
            return JSON.numberNode(i.longValue());
        }
        requireAtom(value);
        if (value instanceof String s) {
            return JSON.textNode(s);
        }
        if (value instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (value instanceof Double d) {
            return JSON.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (value instanceof Uuid u) {
            return JSON.arrayNode().add("uuid").add(u.value());
        }
        return JSON.arrayNode().add("named-uuid").add(((NamedUuid) value).name());
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " '" + value + "'";
    }

    private static OvsdbException syntax(String why, JsonNode json) {
        String text = json == null ? "" : json.toString();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return new OvsdbException("syntax error", why + ": " + text, "decode OVSDB value");
    }
}
