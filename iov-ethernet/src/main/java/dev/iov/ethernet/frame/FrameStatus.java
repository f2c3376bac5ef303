package dev.iov.ethernet.frame;

/**
 * The result codes returned by every parse ({@link EthernetFrame#wrap}, {@link Ipv4Header#wrap},
 * {@link Ipv6Header#wrap}, {@link FrameParser#parse}) and every tag edit. They are small consecutive {@code int}s
 * so that a caller can count them in a {@code long[COUNT]} indexed by the code; a malformed frame is a count, never
 * an exception.
 *
 * <p>Parse codes are grouped by layer. A layer-2 error ({@link #isL2Error}) means the Ethernet header itself is
 * unusable and the frame should be dropped. A layer-3 or layer-4 error leaves the Ethernet header and tags intact:
 * a switch may still forward the frame, and only the fields of the broken layer (and above) are missing.
 */
public final class FrameStatus {
    /** Parsed (or edited) successfully. */
    public static final int OK = 0;
    /** Fewer than 14 bytes: no room for two MAC addresses and an EtherType. */
    public static final int TOO_SHORT = 1;
    /** An 802.1Q/802.1ad TPID announces a tag, but the frame ends before the tag and the next EtherType. */
    public static final int TRUNCATED_TAG = 2;
    /** The frame ends inside the IP header, its options, or before the IP packet's own length. */
    public static final int TRUNCATED_L3 = 3;
    /** The IP header contradicts itself: wrong version, IHL below 5, total length shorter than the header. */
    public static final int BAD_IP_HEADER = 4;
    /** An IPv6 extension header (or the chain of them) runs past the end of the IPv6 payload. */
    public static final int BAD_IPV6_EXTENSION = 5;
    /** TCP, UDP or SCTP in a first (or only) fragment, but its fixed header does not fit in the IP payload. */
    public static final int TRUNCATED_L4 = 6;
    /** Tag push refused: fewer than {@link EthernetFrame#TAG_LENGTH} bytes of headroom before the frame. */
    public static final int NO_HEADROOM = 7;
    /** Tag pop or rewrite refused: the frame has no VLAN tag. */
    public static final int NO_TAG = 8;
    /** How many codes there are: size a counter array with it. */
    public static final int COUNT = 9;

    private static final String[] NAMES = {
        "OK", "TOO_SHORT", "TRUNCATED_TAG", "TRUNCATED_L3", "BAD_IP_HEADER", "BAD_IPV6_EXTENSION", "TRUNCATED_L4",
        "NO_HEADROOM", "NO_TAG",
    };

    private FrameStatus() {
    }

    /**
     * Tells whether a code means the Ethernet header is unusable (the frame must be dropped).
     *
     * @param status a code from this class
     * @return true for {@link #TOO_SHORT} and {@link #TRUNCATED_TAG}
     */
    public static boolean isL2Error(int status) {
        return status == TOO_SHORT || status == TRUNCATED_TAG;
    }

    /**
     * Names a code for logs and counters; not for the per-frame path (the names are constants, nothing is built).
     *
     * @param status a code from this class
     * @return its constant's name, or {@code "UNKNOWN"} for a value that is not a code
     */
    public static String name(int status) {
        return status >= 0 && status < COUNT ? NAMES[status] : "UNKNOWN";
    }
}
