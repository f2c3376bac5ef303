package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Shared checks and generators for the text forms of the value types. */
final class ParseContract {

    private ParseContract() {
    }

    /**
     * Asserts that {@code parse} either accepts the input and the result's text parses back to an equal value, or
     * throws exactly {@link IllegalArgumentException} (not a subclass such as NumberFormatException) quoting it.
     *
     * @return the parsed value, or null when it was rejected
     */
    static <T> T parsesBackOrRejects(String input, Function<String, T> parse) {
        T value;
        try {
            value = parse.apply(input);
        } catch (IllegalArgumentException e) {
            assertThat(e).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(e.getMessage()).startsWith("invalid ").contains("'" + input + "': ");
            return null;
        }
        assertThat(parse.apply(value.toString())).isEqualTo(value);
        return value;
    }

    /** Asserts the call throws IllegalArgumentException quoting {@code input} and giving {@code reason}. */
    static void assertRejected(Runnable call, String input, String reason) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(thrown.getMessage()).contains("'" + input + "'").contains(reason);
    }

    /**
     * Strings near valid ones: valid text as is, with one character inserted, replaced or deleted, plus strings from
     * the alphabet and arbitrary Unicode strings. Pure random strings almost never come close enough to the grammar
     * to test the edges.
     */
    static Arbitrary<String> near(Arbitrary<String> valid, String alphabet) {
        Arbitrary<Character> chars = Arbitraries.chars().with(alphabet.toCharArray());
        Arbitrary<String> mutated = valid.flatMap(s -> {
            Arbitrary<Integer> at = Arbitraries.integers().between(0, s.length());
            return Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.just(s)),
                    Tuple.of(3, Combinators.combine(at, chars).as((p, c) -> s.substring(0, p) + c + s.substring(p))),
                    Tuple.of(3, Combinators.combine(at, chars).as((p, c) ->
                            p < s.length() ? s.substring(0, p) + c + s.substring(p + 1) : s + c)),
                    Tuple.of(2, at.map(p -> p < s.length() ? s.substring(0, p) + s.substring(p + 1) : "")));
        });
        return Arbitraries.frequencyOf(
                Tuple.of(6, mutated),
                Tuple.of(2, Arbitraries.strings().withChars(alphabet).ofMaxLength(25)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(25)));
    }
}
