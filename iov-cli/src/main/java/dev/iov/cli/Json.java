package dev.iov.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/**
 * The one JSON writer of the CLI: pretty-printed, one document per call, never closes the stream. Control
 * characters in strings, DEL and C1 included, are written as <code>&#92;u00NN</code> ({@link TerminalText#jsonEscapes()}).
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper(
            new JsonFactory().setCharacterEscapes(TerminalText.jsonEscapes()))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private Json() {
    }

    /** Writes {@code value} as one JSON document followed by a newline. */
    static void write(Object value, PrintWriter out) {
        out.println(toString(value));
    }

    /** The JSON text of {@code value}. */
    static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
