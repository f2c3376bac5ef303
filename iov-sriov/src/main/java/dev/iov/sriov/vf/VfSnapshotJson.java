package dev.iov.sriov.vf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file format of a {@link VfSnapshot}, one JSON object:
 *
 * <pre>{@code
 * {
 *   "format" : "iov-vf-snapshot/1",
 *   "pf" : "ens1f0",
 *   "vfs" : [ {
 *     "vf" : 0,
 *     "mac" : "02:69:6f:00:00:01",     (null: unset)
 *     "vlan" : 100,                    (null: none)
 *     "qos" : 0,
 *     "vlanProtocol" : "802.1Q",       (or "802.1ad")
 *     "minTxRateMbps" : 0,
 *     "maxTxRateMbps" : 1000,
 *     "spoofCheck" : true,             (null: the driver does not report it)
 *     "trust" : false,                 (null: the driver does not report it)
 *     "linkState" : "auto"             (or "enable", "disable")
 *   } ]
 * }
 * }</pre>
 *
 * Reading is strict: every field must be present with its type, unknown fields are refused (a typo must not silently
 * drop a setting), and every error names the source, line and column of the offending value. The reader streams
 * tokens rather than building a tree so that it still knows each value's location when a value turns out to be
 * wrong.
 */
public final class VfSnapshotJson {

    /** The value of the {@code format} field this version writes and reads. */
    public static final String FORMAT = "iov-vf-snapshot/1";

    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> VF_FIELDS = Set.of("vf", "mac", "vlan", "qos", "vlanProtocol", "minTxRateMbps",
            "maxTxRateMbps", "spoofCheck", "trust", "linkState");

    private VfSnapshotJson() {
    }

    /**
     * @param snapshot the snapshot
     * @return its JSON text, pretty-printed, ending in a newline
     */
    public static String write(VfSnapshot snapshot) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("pf", snapshot.pf().value());
            g.writeArrayFieldStart("vfs");
            for (VfSettings s : snapshot.vfs()) {
                g.writeStartObject();
                g.writeNumberField("vf", s.vf());
                writeNullable(g, "mac", s.mac().map(MacAddress::toString).orElse(null));
                if (s.vlan().isPresent()) {
                    g.writeNumberField("vlan", s.vlan().get().value());
                } else {
                    g.writeNullField("vlan");
                }
                g.writeNumberField("qos", s.qos());
                g.writeStringField("vlanProtocol", protocolName(s.vlanProtocol()));
                g.writeNumberField("minTxRateMbps", s.minTxRate().toMbps());
                g.writeNumberField("maxTxRateMbps", s.maxTxRate().toMbps());
                writeNullable(g, "spoofCheck", s.spoofCheck().orElse(null));
                writeNullable(g, "trust", s.trust().orElse(null));
                g.writeStringField("linkState", s.linkState().name().toLowerCase(Locale.ROOT));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out + "\n";
    }

    /**
     * @param text the JSON text
     * @param source where it came from, for error messages (a file name)
     * @return the snapshot
     * @throws VfSnapshotFormatException naming {@code source:line:column} and the problem
     */
    public static VfSnapshot read(String text, String source) {
        try (JsonParser p = JSON.createParser(text)) {
            return new Reader(p, source).snapshot();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new VfSnapshotFormatException(source, at == null ? 1 : at.getLineNr(),
                    at == null ? 1 : at.getColumnNr(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String does not fail
        }
    }

    private static void writeNullable(JsonGenerator g, String name, Object value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else if (value instanceof Boolean b) {
            g.writeBooleanField(name, b);
        } else {
            g.writeStringField(name, value.toString());
        }
    }

    private static String protocolName(VlanProtocol protocol) {
        return protocol == VlanProtocol.IEEE_802_1AD ? "802.1ad" : "802.1Q";
    }

    /** One pass over the tokens; knows where the current value is. */
    private static final class Reader {
        private final JsonParser p;
        private final String source;

        Reader(JsonParser p, String source) {
            this.p = p;
            this.source = source;
        }

        VfSnapshot snapshot() throws IOException {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the snapshot");
            String format = null;
            InterfaceName pf = null;
            List<VfSettings> vfs = null;
            JsonLocation start = p.currentTokenLocation();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "format" -> {
                        format = string(field);
                        if (!FORMAT.equals(format)) {
                            throw error("format '" + format + "' is not " + FORMAT);
                        }
                    }
                    case "pf" -> pf = value(field, InterfaceName::of);
                    case "vfs" -> vfs = vfs();
                    default -> throw error("unknown field '" + field + "' (expected format, pf, vfs)");
                }
            }
            if (p.nextToken() != null) {
                throw error("text after the snapshot object");
            }
            require(format, "format", start);
            require(pf, "pf", start);
            require(vfs, "vfs", start);
            try {
                return new VfSnapshot(pf, vfs);
            } catch (IllegalArgumentException e) {
                throw new VfSnapshotFormatException(source, start.getLineNr(), start.getColumnNr(), e.getMessage());
            }
        }

        private List<VfSettings> vfs() throws IOException {
            expect(p.currentToken(), JsonToken.START_ARRAY, "vfs");
            List<VfSettings> vfs = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                vfs.add(vf());
            }
            return vfs;
        }

        private VfSettings vf() throws IOException {
            expect(p.currentToken(), JsonToken.START_OBJECT, "a VF");
            JsonLocation start = p.currentTokenLocation();
            Map<String, Object> f = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (!VF_FIELDS.contains(field)) {
                    throw error("unknown VF field '" + field + "' (expected one of " + String.join(", ",
                            VF_FIELDS.stream().sorted().toList()) + ")");
                }
                p.nextToken();
                f.put(field, switch (field) {
                    case "vf" -> integer(field, 0, Integer.MAX_VALUE);
                    case "mac" -> nullable(() -> value(field, MacAddress::parse));
                    case "vlan" -> nullable(() -> VlanId.of(integer(field, 1, 4094)));
                    case "qos" -> integer(field, 0, 7);
                    case "vlanProtocol" -> value(field, VfSnapshotJson::protocol);
                    case "minTxRateMbps", "maxTxRateMbps" -> Bandwidth.ofMbps(integer(field, 0, Integer.MAX_VALUE));
                    case "spoofCheck", "trust" -> nullable(() -> bool(field));
                    default -> value(field, VfSnapshotJson::linkState);
                });
            }
            for (String field : VF_FIELDS.stream().sorted().toList()) {
                if (!f.containsKey(field)) {
                    throw new VfSnapshotFormatException(source, start.getLineNr(), start.getColumnNr(),
                            "VF field '" + field + "' is missing");
                }
            }
            try {
                return new VfSettings((Integer) f.get("vf"), optional(f.get("mac"), MacAddress.class),
                        optional(f.get("vlan"), VlanId.class), (Integer) f.get("qos"),
                        (VlanProtocol) f.get("vlanProtocol"), (Bandwidth) f.get("minTxRateMbps"),
                        (Bandwidth) f.get("maxTxRateMbps"), optional(f.get("spoofCheck"), Boolean.class),
                        optional(f.get("trust"), Boolean.class), (VfLinkState) f.get("linkState"));
            } catch (IllegalArgumentException e) {
                throw new VfSnapshotFormatException(source, start.getLineNr(), start.getColumnNr(), e.getMessage());
            }
        }

        private Object nullable(IoSupplier<Object> value) throws IOException {
            return p.currentToken() == JsonToken.VALUE_NULL ? Absent.VALUE : value.get();
        }

        private int integer(String field, int min, int max) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw error(field + " must be a whole number, not " + describe());
            }
            long v = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : p.getLongValue();
            if (v < min || v > max) {
                throw error(field + " " + p.getText() + " is out of range " + min + "-" + max);
            }
            return (int) v;
        }

        private boolean bool(String field) throws IOException {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                throw error(field + " must be true, false or null, not " + describe());
            }
            return t == JsonToken.VALUE_TRUE;
        }

        private String string(String field) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw error(field + " must be a string, not " + describe());
            }
            return p.getText();
        }

        private <T> T value(String field, java.util.function.Function<String, T> parse) throws IOException {
            String text = string(field);
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw error(field + " '" + text + "': " + e.getMessage());
            }
        }

        private void expect(JsonToken actual, JsonToken expected, String what) throws IOException {
            if (actual != expected) {
                throw error(what + " must be a JSON " + (expected == JsonToken.START_ARRAY ? "array" : "object")
                        + ", not " + (actual == null ? "the end of the text" : describe()));
            }
        }

        private <T> void require(T value, String field, JsonLocation at) {
            if (value == null) {
                throw new VfSnapshotFormatException(source, at.getLineNr(), at.getColumnNr(),
                        "field '" + field + "' is missing");
            }
        }

        private String describe() throws IOException {
            JsonToken t = p.currentToken();
            return switch (t) {
                case VALUE_STRING -> "\"" + p.getText() + "\"";
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                default -> p.getText();
            };
        }

        private VfSnapshotFormatException error(String message) {
            JsonLocation at = p.currentTokenLocation();
            return new VfSnapshotFormatException(source, at.getLineNr(), at.getColumnNr(), message);
        }
    }

    private static VlanProtocol protocol(String text) {
        return switch (text) {
            case "802.1Q" -> VlanProtocol.IEEE_802_1Q;
            case "802.1ad" -> VlanProtocol.IEEE_802_1AD;
            default -> throw new IllegalArgumentException("expected 802.1Q or 802.1ad");
        };
    }

    private static VfLinkState linkState(String text) {
        return switch (text) {
            case "auto" -> VfLinkState.AUTO;
            case "enable" -> VfLinkState.ENABLE;
            case "disable" -> VfLinkState.DISABLE;
            default -> throw new IllegalArgumentException("expected auto, enable or disable");
        };
    }

    private static <T> Optional<T> optional(Object value, Class<T> type) {
        return value == Absent.VALUE ? Optional.empty() : Optional.of(type.cast(value));
    }

    /** JSON null, told apart from a missing field. */
    private enum Absent {
        VALUE
    }

    @FunctionalInterface
    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
