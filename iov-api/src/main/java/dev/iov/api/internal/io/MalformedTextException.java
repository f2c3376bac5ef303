package dev.iov.api.internal.io;

import java.nio.charset.CharacterCodingException;

/**
 * Bytes that are not valid text in the expected encoding. The message names the source, the byte offset and the
 * offending bytes: {@code /etc/x.json: byte offset 17: 0xe9 0x74 is not valid UTF-8}.
 */
public final class MalformedTextException extends CharacterCodingException {

    private static final long serialVersionUID = 1L;

    /** The whole message. */
    private final String message;
    /** The message without the source. */
    private final String reason;
    /** The offset of the first bad byte. */
    private final long offset;

    /**
     * @param source what was read (a path)
     * @param offset the offset of the first bad byte
     * @param bytes the bad bytes, as hex ({@code 0xe9 0x74})
     * @param charset the encoding expected
     */
    public MalformedTextException(String source, long offset, String bytes, String charset) {
        this.reason = "byte offset " + offset + ": " + bytes + " is not valid " + charset;
        this.message = source + ": " + reason;
        this.offset = offset;
    }

    @Override
    public String getMessage() {
        return message;
    }

    /** @return the message without the source: {@code byte offset 17: 0xe9 0x74 is not valid UTF-8} */
    public String reason() {
        return reason;
    }

    /** @return the offset of the first bad byte */
    public long offset() {
        return offset;
    }
}
