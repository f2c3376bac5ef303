package dev.iov.ethernet.pcap;

/**
 * The resolution of a capture file's record timestamps. Classic pcap has no header field for it: the file's magic
 * number says which one the sub-second field holds, and readers pick it from there.
 */
public enum TimestampPrecision {
    /** Sub-second field in microseconds; magic {@code 0xa1b2c3d4}, the original format every reader knows. */
    MICROSECONDS(0xA1B2_C3D4, 1_000),
    /** Sub-second field in nanoseconds; magic {@code 0xa1b23c4d} (libpcap 1.5+, Wireshark 1.10+). */
    NANOSECONDS(0xA1B2_3C4D, 1);

    private final int magic;
    private final int nanosPerUnit;

    TimestampPrecision(int magic, int nanosPerUnit) {
        this.magic = magic;
        this.nanosPerUnit = nanosPerUnit;
    }

    /** @return the magic number that opens a file of this precision, as written in the file's byte order */
    public int magic() {
        return magic;
    }

    /**
     * Converts the nanoseconds within a second to this precision's sub-second field, truncating (so a record
     * never appears later than it happened).
     *
     * @param nanosOfSecond 0 to 999 999 999
     * @return the value for the record header's {@code ts_usec}/{@code ts_nsec} field
     */
    public int subsecond(int nanosOfSecond) {
        return nanosOfSecond / nanosPerUnit;
    }
}
