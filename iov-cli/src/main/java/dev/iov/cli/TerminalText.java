package dev.iov.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Locale;

/**
 * Text that is safe to print on a terminal: control characters read from files, sysfs, the kernel or the command
 * line (an interface name, a file name, a value in a snapshot) are shown as visible escapes instead of being sent to
 * the terminal, where {@code ESC [ 2 J} clears the screen and {@code ESC ] 0 ;} retitles the window.
 *
 * <p>Escaped: the C0 controls U+0000–U+001F except newline and tab, DEL U+007F and the C1 controls U+0080–U+009F
 * (which UTF-8 terminals may act on as well). Each becomes {@code \xNN} with two lower-case hex digits, e.g.
 * {@code \x1b}. Everything else, including other non-ASCII text, is kept.
 *
 * <p>The CLI applies this centrally: {@link StandardStreams} escapes everything written to standard output and
 * standard error (results, warnings, errors, logs), and {@link ErrorHandler} escapes its messages. JSON output
 * needs no escaping from here: the CLI's JSON writers escape these characters as <code>&#92;u00NN</code> themselves
 * ({@link #jsonEscapes()}), which keeps the document's content exact.
 */
public final class TerminalText {

    private static final JsonEscapes JSON_ESCAPES = new JsonEscapes();

    private TerminalText() {
    }

    /**
     * Whether a character is one that is escaped.
     *
     * @param c the character (a UTF-16 unit or code point)
     * @return true for C0 controls except newline and tab, DEL and C1 controls
     */
    public static boolean isEscaped(int c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    /**
     * The text with every {@linkplain #isEscaped escaped character} replaced by {@code \xNN}.
     *
     * @param text the text, or null
     * @return the escaped text; {@code text} itself when nothing needs escaping; {@code "null"} for null
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !isEscaped(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isEscaped(c)) {
                escaped.append(hexEscape(c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /**
     * {@code \xNN} for a character below U+0100.
     *
     * @param c the character
     * @return its escape
     */
    static String hexEscape(int c) {
        return String.format(Locale.ROOT, "\\x%02x", c);
    }

    /**
     * Jackson character escapes that, besides what JSON requires (C0 controls, quote, backslash), also write DEL
     * and the C1 controls as <code>&#92;u00NN</code>, so that no JSON the CLI prints contains a raw control character.
     * Use with {@code new ObjectMapper(new JsonFactory().setCharacterEscapes(TerminalText.jsonEscapes()))}.
     *
     * @return the escapes (shared, immutable)
     */
    public static CharacterEscapes jsonEscapes() {
        return JSON_ESCAPES;
    }

    /** See {@link #jsonEscapes()}. */
    private static final class JsonEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;

        private final int[] ascii;

        JsonEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii.clone();
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch >= 0x80 && ch <= 0x9f ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch)) : null;
        }
    }
}
