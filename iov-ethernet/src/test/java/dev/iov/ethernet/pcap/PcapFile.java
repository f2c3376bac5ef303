package dev.iov.ethernet.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny classic-pcap reader for tests, written from the format description (not from {@link PcapWriter}): it
 * detects the byte order and precision from the magic number, as real readers do, and keeps every field raw.
 */
record PcapFile(ByteOrder order, long magic, int versionMajor, int versionMinor, int thiszone, int sigfigs,
        long snaplen, long linktype, List<Record> records) {

    /** One record: raw header fields and the captured bytes. */
    record Record(long seconds, long subsecond, long includedLength, long originalLength, byte[] data) {
    }

    static PcapFile read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static PcapFile parse(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt(0);
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            buf.order(ByteOrder.BIG_ENDIAN);
            magic = buf.getInt(0);
        }
        if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
            throw new IllegalArgumentException("not a pcap file: magic 0x" + Integer.toHexString(magic));
        }
        buf.position(4);
        int major = Short.toUnsignedInt(buf.getShort());
        int minor = Short.toUnsignedInt(buf.getShort());
        int thiszone = buf.getInt();
        int sigfigs = buf.getInt();
        long snaplen = Integer.toUnsignedLong(buf.getInt());
        long linktype = Integer.toUnsignedLong(buf.getInt());
        List<Record> records = new ArrayList<>();
        while (buf.hasRemaining()) {
            if (buf.remaining() < 16) {
                throw new IllegalArgumentException("partial record header at " + buf.position());
            }
            long seconds = Integer.toUnsignedLong(buf.getInt());
            long subsecond = Integer.toUnsignedLong(buf.getInt());
            long included = Integer.toUnsignedLong(buf.getInt());
            long original = Integer.toUnsignedLong(buf.getInt());
            if (included > buf.remaining()) {
                throw new IllegalArgumentException("record data cut short at " + buf.position());
            }
            byte[] data = new byte[(int) included];
            buf.get(data);
            records.add(new Record(seconds, subsecond, included, original, data));
        }
        return new PcapFile(buf.order(), Integer.toUnsignedLong(magic), major, minor, thiszone, sigfigs, snaplen,
                linktype, records);
    }
}
