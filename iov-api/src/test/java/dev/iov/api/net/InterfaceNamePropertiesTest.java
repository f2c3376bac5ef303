package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class InterfaceNamePropertiesTest {

    @Property(tries = 5000)
    void acceptsExactlyWhatDevValidNameAccepts(@ForAll("nameLike") String name) {
        InterfaceName parsed;
        try {
            parsed = InterfaceName.of(name);
        } catch (IllegalArgumentException e) {
            assertThat(e).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(e.getMessage()).startsWith("invalid interface name '" + name + "': ");
            assertThat(devValidName(name)).as("refused '%s': %s", name, e.getMessage()).isFalse();
            return;
        }
        assertThat(devValidName(name)).as("accepted '%s'", name).isTrue();
        assertThat(InterfaceName.of(parsed.toString())).isEqualTo(parsed);
        assertThat(parsed.value()).isEqualTo(name);
    }

    /**
     * A transcription of the kernel's dev_valid_name() over the strict UTF-8 encoding, with the kernel's isspace()
     * table (lib/ctype.c: 9-13, 32, 160); a string with no strict encoding or with a NUL cannot reach the kernel.
     */
    private static boolean devValidName(String name) {
        byte[] bytes;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
        } catch (CharacterCodingException e) {
            return false;
        }
        if (bytes.length == 0 || bytes.length >= 16 || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == 0 || c == '/' || c == ':' || (c >= 9 && c <= 13) || c == ' ' || c == 0xa0) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<String> nameLike() {
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcdefxyz0123456789-_.@").ofMinLength(1)
                .ofMaxLength(15);
        return Arbitraries.oneOf(
                ParseContract.near(plain, "./: \t\n\u000b\f\r\u0000\u00a0\u00e0\u00e9\u2028\ud800\udc00"),
                Arbitraries.strings().all().ofMaxLength(17),
                Arbitraries.of(".", "..", "...", ""));
    }
}
