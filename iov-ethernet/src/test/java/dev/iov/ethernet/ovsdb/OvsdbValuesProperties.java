package dev.iov.ethernet.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class OvsdbValuesProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Property
    void valuesRoundTripThroughTheirJsonText(@ForAll("values") Object value) throws Exception {
        JsonNode encoded = OvsdbValues.encode(value);
        JsonNode reparsed = MAPPER.readTree(MAPPER.writeValueAsString(encoded));
        assertThat(OvsdbValues.decode(reparsed)).isEqualTo(value);
        assertThat(OvsdbValues.encode(OvsdbValues.decode(reparsed))).isEqualTo(encoded);
    }

    @Property
    void randomJsonDecodesOrFailsWithTheDocumentedException(@ForAll("json") String text) throws Exception {
        JsonNode json = MAPPER.readTree(text);
        try {
            Object value = OvsdbValues.decode(json);
            assertThat(OvsdbValues.decode(OvsdbValues.encode(value))).isEqualTo(value);
        } catch (OvsdbException e) {
            assertThat(e.error()).isEqualTo("syntax error");
        }
    }

    @Property
    void rowsDecodeOrFailWithTheDocumentedException(@ForAll("json") String text) throws Exception {
        JsonNode json = MAPPER.readTree("{\"c\":" + text + "}");
        try {
            Row row = Row.decode(json);
            assertThat(row.columns()).containsKey("c");
        } catch (OvsdbException e) {
            assertThat(e.error()).isEqualTo("syntax error");
        }
    }

    @Property
    void notAnAtomIsRejectedWithItsValue(@ForAll @Size(max = 3) Set<Character> chars) {
        assertThatThrownBy(() -> OvsdbValues.encode(chars)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an OVSDB atom");
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(atoms(), sets(), maps());
    }

    @Provide
    Arbitrary<String> json() {
        return jsonTexts();
    }

    static Arbitrary<String> jsonTexts() {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.of("\"set\"", "\"map\"", "\"uuid\"", "\"named-uuid\"", "null", "true", "1", "-0.5",
                        "1e400", "99999999999999999999", "\"0b9e2d5c-3b0e-4d5e-9d3e-0c1a2b3c4d5e\"", "\"x\"",
                        "\"9bad\"", "{}"));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
                inner.map(v -> "{\"k\":" + v + "}")), 0, 4);
    }

    private static Arbitrary<Object> atoms() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.randomValue(r -> (Object) new Uuid(new java.util.UUID(r.nextLong(), r.nextLong())
                        .toString())),
                Arbitraries.strings().withChars("abcXYZ_019").ofMinLength(1).ofMaxLength(8)
                        .filter(s -> !Character.isDigit(s.charAt(0))).map(s -> (Object) new NamedUuid(s)));
    }

    private static Arbitrary<Object> sets() {
        return atoms().set().ofMaxSize(5).map(s -> (Object) OvsdbSet.copyOf(s));
    }

    private static Arbitrary<Object> maps() {
        return Combinators.combine(atoms(), atoms()).as((k, v) -> new Object[] {k, v}).list().ofMaxSize(5)
                .map(pairs -> {
                    java.util.Map<Object, Object> m = new java.util.LinkedHashMap<>();
                    pairs.forEach(p -> m.putIfAbsent(p[0], p[1]));
                    return (Object) new OvsdbMap(m);
                });
    }
}
