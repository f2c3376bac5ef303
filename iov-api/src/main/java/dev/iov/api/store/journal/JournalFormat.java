package dev.iov.api.store.journal;

import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The byte layout of journal and snapshot files, and nothing else: encoding and decoding headers and records.
 * All integers are big-endian.
 *
 * <pre>
 * header (28 bytes)
 *   int   magic            "IOVJ" (journal) or "IOVS" (snapshot)
 *   int   format version   1
 *   long  generation       the N of journal-N.log / snapshot-N.snap; must match the file name
 *   long  record count     the number of records in a snapshot; -1 in a journal, which is open-ended
 *   int   CRC32C of the 24 bytes above
 * record (8 + length bytes), repeated
 *   int   length           of the payload
 *   int   CRC32C           of the payload
 *   payload                a single change or a batch
 *
 * single change payload (one put or delete)
 *     byte  op             1 = PUT, 2 = DELETE
 *     short key length     1..1024 (unsigned)
 *     bytes key            UTF-8; keys are printable ASCII
 *     long  version        the record's version after a PUT, the deleted version for a DELETE
 *     int   value length   0 for a DELETE
 *     bytes value
 *
 * batch payload (the changes of one StateStore.commit transaction, all or nothing)
 *     byte  op             3 = BATCH
 *     int   change count   1 or more
 *     change, repeated     laid out exactly as a single change payload (op 1 or 2 only, no nested batch),
 *                          each key at most once, in commit order
 * </pre>
 *
 * <p>The length bounds a record without trusting anything else in it, and the CRC tells a record that was written
 * whole from one that was torn by a crash; the payload's own lengths must add up to the frame's, so a record with
 * a valid CRC but inconsistent contents is recognised as written wrongly rather than torn.
 *
 * <p>A batch is one record with one CRC, so a crash leaves either all of its changes or none: a batch torn at the
 * end of the journal is discarded like any torn record. Its payload may be at most {@link #MAX_BATCH_PAYLOAD}
 * bytes. Snapshots never hold batches. A build from before batches existed reads a batch as a record with an
 * unknown operation (corruption), never as part of one.
 */
final class JournalFormat {

    /** "IOVJ". */
    static final int JOURNAL_MAGIC = 0x494F564A;
    /** "IOVS". */
    static final int SNAPSHOT_MAGIC = 0x494F5653;
    /** The format this build writes and reads. */
    static final int FORMAT_VERSION = 1;
    /** The size of a file header. */
    static final int HEADER_SIZE = 28;
    /** The record count a journal header carries. */
    static final long OPEN_ENDED = -1;

    /** The size of a record's frame: its length and CRC. */
    static final int FRAME_SIZE = 8;
    /** The operation byte of a put. */
    static final byte OP_PUT = 1;
    /** The operation byte of a delete. */
    static final byte OP_DELETE = 2;
    /** The operation byte of a batch: several changes committed together. */
    static final byte OP_BATCH = 3;
    /** Op, key length, version and value length. */
    private static final int FIXED_PAYLOAD = 1 + 2 + 8 + 4;
    /** Op and change count of a batch. */
    private static final int BATCH_HEADER = 1 + 4;
    /** The smallest payload: a one-character key and an empty value. */
    static final int MIN_PAYLOAD = FIXED_PAYLOAD + 1;
    /** The largest payload of a single change: the longest key and the largest value. */
    static final int MAX_PAYLOAD = FIXED_PAYLOAD + StoreKeys.MAX_KEY_LENGTH + StoreKeys.MAX_VALUE_BYTES;
    /** The largest payload of a batch: 64 MiB, four of the largest values. */
    static final int MAX_BATCH_PAYLOAD = 64 * 1024 * 1024;
    /** The largest payload of any record. */
    static final int MAX_RECORD_PAYLOAD = Math.max(MAX_PAYLOAD, MAX_BATCH_PAYLOAD);

    private JournalFormat() {
    }

    /**
     * Encodes a file header.
     *
     * @param magic {@link #JOURNAL_MAGIC} or {@link #SNAPSHOT_MAGIC}
     * @param generation the file's generation
     * @param recordCount the snapshot's record count, or {@link #OPEN_ENDED}
     * @return the header, ready to be written
     */
    static ByteBuffer header(int magic, long generation, long recordCount) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(magic).putInt(FORMAT_VERSION).putLong(generation).putLong(recordCount);
        header.putInt(crc(header.array(), 0, HEADER_SIZE - 4));
        return header.flip();
    }

    /**
     * Checks a header read from a file.
     *
     * @param header the bytes read; fewer than {@link #HEADER_SIZE} when the file is shorter
     * @param magic the magic the file must carry
     * @param generation the generation its name says
     * @return the header's record count
     * @throws FormatException describing the first problem found
     */
    static long checkHeader(ByteBuffer header, int magic, long generation) throws FormatException {
        if (header.remaining() < HEADER_SIZE) {
            throw new FormatException("the file is " + header.remaining() + " bytes, shorter than its "
                    + HEADER_SIZE + "-byte header");
        }
        int start = header.position();
        int foundMagic = header.getInt(start);
        if (foundMagic != magic) {
            throw new FormatException(String.format("bad magic 0x%08x, expected 0x%08x: not an iov %s file",
                    foundMagic, magic, magic == JOURNAL_MAGIC ? "journal" : "snapshot"));
        }
        int storedCrc = header.getInt(start + HEADER_SIZE - 4);
        int computedCrc = crc(header.duplicate().limit(start + HEADER_SIZE - 4));
        if (storedCrc != computedCrc) {
            throw new FormatException(String.format("header CRC mismatch (stored 0x%08x, computed 0x%08x)",
                    storedCrc, computedCrc));
        }
        int version = header.getInt(start + 4);
        if (version != FORMAT_VERSION) {
            throw new FormatException("unsupported format version " + version + " (this build reads version "
                    + FORMAT_VERSION + ")");
        }
        long foundGeneration = header.getLong(start + 8);
        if (foundGeneration != generation) {
            throw new FormatException("the header says generation " + foundGeneration + " but the file name says "
                    + generation);
        }
        return header.getLong(start + 16);
    }

    /**
     * Encodes one record, frame included.
     *
     * @param change a PUT or DELETE
     * @return the bytes to append
     */
    static byte[] encode(StoreEvent change) {
        int length = changeSize(change);
        ByteBuffer record = ByteBuffer.allocate(FRAME_SIZE + length);
        record.putInt(length).putInt(0);
        putChange(record, change);
        record.putInt(4, crc(record.array(), FRAME_SIZE, length));
        return record.array();
    }

    /**
     * Encodes a batch record, frame included: the changes of one transaction, recovered all or none.
     *
     * @param changes one or more PUTs and DELETEs of distinct keys, in commit order
     * @return the bytes to append
     * @throws IllegalArgumentException when there is no change or the payload would exceed
     *     {@link #MAX_BATCH_PAYLOAD}
     */
    static byte[] encodeBatch(List<StoreEvent> changes) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("a batch record needs at least one change");
        }
        long length = batchPayloadSize(changes);
        if (length > MAX_BATCH_PAYLOAD) {
            throw new IllegalArgumentException("a batch of " + changes.size() + " changes needs " + length
                    + " bytes, more than the journal's limit of " + MAX_BATCH_PAYLOAD + " bytes per transaction");
        }
        ByteBuffer record = ByteBuffer.allocate(FRAME_SIZE + (int) length);
        record.putInt((int) length).putInt(0);
        record.put(OP_BATCH).putInt(changes.size());
        for (StoreEvent change : changes) {
            putChange(record, change);
        }
        record.putInt(4, crc(record.array(), FRAME_SIZE, (int) length));
        return record.array();
    }

    /**
     * The payload size of a batch of changes.
     *
     * @param changes the changes
     * @return the bytes their batch payload takes
     */
    static long batchPayloadSize(List<StoreEvent> changes) {
        long length = BATCH_HEADER;
        for (StoreEvent change : changes) {
            length += changeSize(change);
        }
        return length;
    }

    /**
     * The payload size of a single change with this key and value length, as a batch's share.
     *
     * @param key the key
     * @param valueLength the value's length, 0 for a delete
     * @return the bytes the change takes in a payload
     */
    static long changeSize(String key, int valueLength) {
        return FIXED_PAYLOAD + (long) key.getBytes(StandardCharsets.UTF_8).length + valueLength;
    }

    /**
     * The payload overhead of a batch besides its changes.
     *
     * @return the bytes of the batch's op and count
     */
    static int batchHeaderSize() {
        return BATCH_HEADER;
    }

    private static int changeSize(StoreEvent change) {
        return (int) changeSize(change.key(), change.type() == StoreEvent.Type.PUT ? change.value().length : 0);
    }

    private static void putChange(ByteBuffer record, StoreEvent change) {
        byte[] key = change.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = change.type() == StoreEvent.Type.PUT ? change.value() : new byte[0];
        record.put(change.type() == StoreEvent.Type.PUT ? OP_PUT : OP_DELETE);
        record.putShort((short) key.length).put(key);
        record.putLong(change.version());
        record.putInt(value.length).put(value);
    }

    /**
     * What one record holds.
     *
     * @param batch whether it is a batch record (a transaction), even of one change
     * @param changes its changes in commit order: one for a single change
     */
    record Decoded(boolean batch, List<StoreEvent> changes) {
    }

    /**
     * Decodes a payload whose CRC has been checked.
     *
     * @param payload the payload bytes, exactly
     * @return the change or changes it records
     * @throws FormatException when the contents are inconsistent; never another exception, whatever the bytes
     */
    static Decoded decode(ByteBuffer payload) throws FormatException {
        if (!payload.hasRemaining()) {
            throw new FormatException("empty record");
        }
        byte op = payload.get(payload.position());
        if (op != OP_BATCH) {
            StoreEvent change = decodeChange(payload);
            if (payload.hasRemaining()) {
                throw new FormatException(payload.remaining() + " bytes left after the record of '" + change.key()
                        + "'");
            }
            return new Decoded(false, List.of(change));
        }
        if (payload.remaining() > MAX_BATCH_PAYLOAD) {
            throw new FormatException("batch of " + payload.remaining() + " bytes exceeds the limit of "
                    + MAX_BATCH_PAYLOAD);
        }
        if (payload.remaining() < BATCH_HEADER) {
            throw new FormatException("batch record of " + payload.remaining() + " bytes has no change count");
        }
        payload.get();
        int count = payload.getInt();
        if (count < 1 || count > payload.remaining() / MIN_PAYLOAD) {
            throw new FormatException("invalid batch change count " + count + " for " + payload.remaining()
                    + " bytes of changes");
        }
        List<StoreEvent> changes = new ArrayList<>(count);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (payload.get(payload.position()) == OP_BATCH) {
                throw new FormatException("batch change " + (i + 1) + " is itself a batch");
            }
            StoreEvent change = decodeChange(payload);
            if (!keys.add(change.key())) {
                throw new FormatException("batch names '" + change.key() + "' twice");
            }
            changes.add(change);
            if (i + 1 < count && !payload.hasRemaining()) {
                throw new FormatException("batch promises " + count + " changes but holds " + (i + 1));
            }
        }
        if (payload.hasRemaining()) {
            throw new FormatException(payload.remaining() + " bytes left after the " + count
                    + " changes of a batch");
        }
        return new Decoded(true, List.copyOf(changes));
    }

    /** Decodes one change at the buffer's position, checking every length against what is left. */
    private static StoreEvent decodeChange(ByteBuffer payload) throws FormatException {
        if (payload.remaining() < FIXED_PAYLOAD + 1) {
            throw new FormatException("change of " + payload.remaining() + " bytes is shorter than the smallest ("
                    + (FIXED_PAYLOAD + 1) + ")");
        }
        byte op = payload.get();
        if (op != OP_PUT && op != OP_DELETE) {
            throw new FormatException("unknown operation " + op);
        }
        int keyLength = Short.toUnsignedInt(payload.getShort());
        // Left: key, version (8) and value length (4).
        if (keyLength < 1 || keyLength > StoreKeys.MAX_KEY_LENGTH || keyLength + 12 > payload.remaining()) {
            throw new FormatException("invalid key length " + keyLength);
        }
        byte[] keyBytes = new byte[keyLength];
        payload.get(keyBytes);
        String key = new String(keyBytes, StandardCharsets.UTF_8);
        if (!StoreKeys.isValidKey(key)) {
            throw new FormatException("invalid key");
        }
        long version = payload.getLong();
        if (version < 1) {
            throw new FormatException("invalid version " + version + " for '" + key + "'");
        }
        int valueLength = payload.getInt();
        if (valueLength < 0 || valueLength > payload.remaining() || valueLength > StoreKeys.MAX_VALUE_BYTES
                || (op == OP_DELETE && valueLength != 0)) {
            throw new FormatException("value length " + valueLength + " does not match the " + payload.remaining()
                    + " bytes left in the record of '" + key + "'");
        }
        byte[] value = new byte[valueLength];
        payload.get(value);
        return new StoreEvent(key, op == OP_PUT ? StoreEvent.Type.PUT : StoreEvent.Type.DELETE, version, value);
    }

    /**
     * The CRC32C of a buffer's remaining bytes; the buffer's position is not moved.
     *
     * @param bytes the bytes
     * @return their CRC32C
     */
    static int crc(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Bytes that are not what this format says they should be; the message says how. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong with the bytes
         */
        FormatException(String message) {
            super(message);
        }
    }
}
