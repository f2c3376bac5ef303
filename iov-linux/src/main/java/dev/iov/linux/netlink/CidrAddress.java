package dev.iov.linux.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An interface address with its prefix length, {@code 198.18.0.1/24} or {@code 2001:2::1/64}: the host address and
 * the size of the on-link network.
 *
 * @param address the IPv4 or IPv6 address
 * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record CidrAddress(InetAddress address, int prefixLength) {

    /**
     * Validates the prefix length against the address family.
     *
     * @param address the IPv4 or IPv6 address
     * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
     * @throws IllegalArgumentException when out of range
     */
    public CidrAddress {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length of " + address.getHostAddress() + " must be 0 to "
                    + max + ": '" + prefixLength + "'");
        }
    }

    /**
     * Parses {@code ADDRESS/LENGTH} with a numeric address (no name resolution).
     *
     * @param text e.g. {@code 198.18.0.1/24}
     * @return the address
     * @throws IllegalArgumentException when the text is not in that form
     */
    public static CidrAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not ADDRESS/LENGTH: '" + text + "'");
        }
        String host = text.substring(0, slash);
        // Only literals: IPv6 text always has a colon (Java then never resolves it), IPv4 text only digits and dots.
        boolean literal = host.indexOf(':') >= 0
                ? host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')
                : host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
        if (!literal) {
            throw new IllegalArgumentException("not a numeric IP address: '" + text + "'");
        }
        try {
            return new CidrAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not ADDRESS/LENGTH: '" + text + "'", e);
        }
    }

    /** @return {@link NetlinkConstants#AF_INET} or {@link NetlinkConstants#AF_INET6} */
    public int family() {
        return address instanceof Inet4Address ? NetlinkConstants.AF_INET : NetlinkConstants.AF_INET6;
    }

    /** @return {@code ADDRESS/LENGTH} */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
