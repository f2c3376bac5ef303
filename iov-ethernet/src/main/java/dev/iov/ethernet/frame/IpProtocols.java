package dev.iov.ethernet.frame;

/**
 * IANA protocol numbers: the IPv4 {@code protocol} field and the IPv6 {@code next header} field share one
 * registry, which also numbers the IPv6 extension headers.
 */
public final class IpProtocols {
    /** IPv6 hop-by-hop options extension header. */
    public static final int HOP_BY_HOP = 0;
    /** Internet Control Message Protocol (IPv4). */
    public static final int ICMP = 1;
    /** Transmission Control Protocol. */
    public static final int TCP = 6;
    /** User Datagram Protocol. */
    public static final int UDP = 17;
    /** IPv6 routing extension header. */
    public static final int ROUTING = 43;
    /** IPv6 fragment extension header. */
    public static final int FRAGMENT = 44;
    /** Generic Routing Encapsulation. */
    public static final int GRE = 47;
    /** Encapsulating Security Payload: what follows is encrypted, so a header walk stops here. */
    public static final int ESP = 50;
    /** Authentication Header; its length field counts 4-byte units minus 2, unlike the other extensions. */
    public static final int AH = 51;
    /** ICMP for IPv6. */
    public static final int ICMPV6 = 58;
    /** IPv6 "no next header": nothing follows. */
    public static final int NO_NEXT_HEADER = 59;
    /** IPv6 destination options extension header. */
    public static final int DESTINATION_OPTIONS = 60;
    /** Mobility extension header (RFC 6275). */
    public static final int MOBILITY = 135;
    /** Host Identity Protocol extension header (RFC 7401). */
    public static final int HIP = 139;
    /** Shim6 extension header (RFC 5533). */
    public static final int SHIM6 = 140;
    /** Stream Control Transmission Protocol. */
    public static final int SCTP = 132;

    private IpProtocols() {
    }

    /**
     * Tells whether {@link Ipv6Header} walks over a next-header value as an extension header. ESP is not one of
     * them: its payload is encrypted, so the walk ends there and reports ESP as the upper-layer protocol.
     *
     * @param nextHeader an IPv6 next-header value
     * @return true for hop-by-hop, routing, fragment, destination options, AH, mobility, HIP and Shim6
     */
    public static boolean isIpv6ExtensionHeader(int nextHeader) {
        switch (nextHeader) {
            case HOP_BY_HOP:
            case ROUTING:
            case FRAGMENT:
            case DESTINATION_OPTIONS:
            case AH:
            case MOBILITY:
            case HIP:
            case SHIM6:
                return true;
            default:
                return false;
        }
    }
}
