package dev.iov.cli;

import dev.iov.ethernet.rss.Reta;
import dev.iov.ethernet.rss.ToeplitzHash;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iov rss}: receive-side scaling, computed as a NIC computes it. */
@Command(
        name = "rss",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Receive-side scaling: the Toeplitz hash of a flow and the queue it lands on.",
        subcommands = {RssCommand.HashCommand.class},
        footer = {"", "Example:", "  iov rss hash --src 66.9.149.187 --dst 161.142.100.80"})
final class RssCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: hash");
    }

    /** {@code iov rss hash}. */
    @Command(
            name = "hash",
            description = {
                "Print the Toeplitz RSS hash of a flow (source address, destination address and, with --sport and "
                        + "--dport, the ports; in network byte order) and the receive queue the default "
                        + "redirection table (entry i -> queue i %% QUEUES) picks from its low bits.",
                "Same result as a NIC with the same key, e.g. for 66.9.149.187:2794 -> 161.142.100.80:1766: "
                        + "hash 0x51ccc178."
            },
            footer = {"", "Examples:",
                "  iov rss hash --src 192.0.2.1 --dst 192.0.2.2 --sport 80 --dport 53 --queues 4",
                "  iov rss hash --src 2001:db8::1 --dst 2001:db8::2 --symmetric --json"})
    static final class HashCommand extends IovSubcommand {

        @Option(names = "--src", required = true, paramLabel = "IP", description = "Source IPv4 or IPv6 address.")
        String src;

        @Option(names = "--dst", required = true, paramLabel = "IP",
                description = "Destination address, of the same family as --src.")
        String dst;

        @Option(names = "--sport", paramLabel = "N", description = "Source port (0-65535); needs --dport.")
        String sport;

        @Option(names = "--dport", paramLabel = "N", description = "Destination port (0-65535); needs --sport.")
        String dport;

        @Option(names = "--key", paramLabel = "HEX",
                description = "RSS key: 80 hex digits (40 bytes), or 40 colon-separated bytes as 'ethtool -x' "
                        + "prints them. Default: Microsoft's key 6d5a56da…beac01fa.")
        String key;

        @Option(names = "--symmetric",
                description = "Use the symmetric key (6d5a repeated): both directions of a flow hash alike.")
        boolean symmetric;

        @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
                description = "Receive queues, 1 to --reta-size (default: ${DEFAULT-VALUE}).")
        String queues;

        @Option(names = "--reta-size", paramLabel = "N", defaultValue = "128",
                description = "Redirection table entries: 128 or 512 (default: ${DEFAULT-VALUE}).")
        String retaSize;

        @Override
        protected CommandOutput execute() {
            byte[] source = address("--src", src);
            byte[] destination = address("--dst", dst);
            if (source.length != destination.length) {
                throw new UserInputException("--src '" + src + "' and --dst '" + dst
                        + "' are not of the same address family (IPv4 and IPv6)");
            }
            if ((sport == null) != (dport == null)) {
                throw new UserInputException(sport != null
                        ? "--sport '" + sport + "' needs --dport too (ports hash as a pair)"
                        : "--dport '" + dport + "' needs --sport too (ports hash as a pair)");
            }
            boolean withPorts = sport != null;
            int sourcePort = withPorts ? port("--sport", sport) : 0;
            int destinationPort = withPorts ? port("--dport", dport) : 0;
            if (key != null && symmetric) {
                throw new UserInputException("--key '" + key + "' and --symmetric exclude each other");
            }
            int size = retaSize();
            int queueCount = queues(size);
            ToeplitzHash toeplitz = toeplitz();

            int hash = hash(toeplitz, source, destination, withPorts, sourcePort, destinationPort);
            Reta reta = Reta.of(size, queueCount);
            return new Result(hash, reta.queue(hash), reta.index(hash), size, queueCount);
        }

        private ToeplitzHash toeplitz() {
            if (symmetric) {
                return ToeplitzHash.symmetric();
            }
            if (key == null) {
                return ToeplitzHash.microsoft();
            }
            try {
                return ToeplitzHash.ofHex(key);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("invalid --key '" + key + "': expected 80 hex digits (40 bytes), got "
                        + key.length() + " characters", e);
            }
        }

        private static int hash(ToeplitzHash toeplitz, byte[] src, byte[] dst, boolean withPorts, int sport,
                int dport) {
            ByteBuffer s = ByteBuffer.wrap(src);
            ByteBuffer d = ByteBuffer.wrap(dst);
            if (src.length == 4) {
                return withPorts ? toeplitz.hashIpv4(s.getInt(0), d.getInt(0), sport, dport)
                        : toeplitz.hashIpv4(s.getInt(0), d.getInt(0));
            }
            return withPorts
                    ? toeplitz.hashIpv6(s.getLong(0), s.getLong(8), d.getLong(0), d.getLong(8), sport, dport)
                    : toeplitz.hashIpv6(s.getLong(0), s.getLong(8), d.getLong(0), d.getLong(8));
        }

        private int retaSize() {
            if (!retaSize.equals("128") && !retaSize.equals("512")) {
                throw new UserInputException("invalid --reta-size '" + retaSize + "': must be 128 or 512");
            }
            return Integer.parseInt(retaSize);
        }

        private int queues(int size) {
            int n = decimal(queues, 4);
            if (n < 1 || n > size) {
                throw new UserInputException("invalid --queues '" + queues + "': must be from 1 to " + size
                        + " (the --reta-size)");
            }
            return n;
        }

        private static int port(String option, String value) {
            int n = decimal(value, 5);
            if (n < 0 || n > 65535) {
                throw new UserInputException("invalid " + option + " '" + value + "': must be a port from 0 to 65535");
            }
            return n;
        }

        /** A plain decimal of at most {@code maxDigits} digits, or -1 (which every caller rejects). */
        private static int decimal(String value, int maxDigits) {
            return value.matches("[0-9]{1," + maxDigits + "}") ? Integer.parseInt(value) : -1;
        }

        private static byte[] address(String option, String literal) {
            byte[] bytes = literal.indexOf(':') >= 0 ? ipv6(literal) : ipv4(literal);
            if (bytes == null) {
                throw new UserInputException("invalid " + option + " address '" + literal
                        + "': expected an IPv4 (192.0.2.1) or IPv6 (2001:db8::1) address");
            }
            return bytes;
        }
    }

    /**
     * A dotted-quad IPv4 literal, as strict as {@code inet_pton}: four decimal numbers 0-255 without leading zeros.
     *
     * @return the 4 bytes, or null when it is not one
     */
    static byte[] ipv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    /**
     * An IPv6 literal as {@code inet_pton} accepts it (RFC 4291 §2.2): eight groups of 1-4 hex digits, at most one
     * {@code ::}, optionally ending in a dotted quad. Names are never looked up.
     *
     * @return the 16 bytes, or null when it is not one
     */
    static byte[] ipv6(String literal) {
        int gap = literal.indexOf("::");
        if (gap >= 0 && literal.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String head = gap >= 0 ? literal.substring(0, gap) : literal;
        String tail = gap >= 0 ? literal.substring(gap + 2) : "";
        int[] headGroups = groups(head, gap < 0);
        int[] tailGroups = groups(tail, true);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int count = headGroups.length + tailGroups.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(16);
        for (int group : headGroups) {
            bytes.putShort((short) group);
        }
        bytes.position(16 - 2 * tailGroups.length);
        for (int group : tailGroups) {
            bytes.putShort((short) group);
        }
        return bytes.array();
    }

    /** The 16-bit groups of one side of {@code ::}; a final dotted quad (if {@code last}) counts as two groups. */
    private static int[] groups(String side, boolean last) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        byte[] quad = last ? ipv4(parts[parts.length - 1]) : null;
        int hexParts = quad != null ? parts.length - 1 : parts.length;
        int[] groups = new int[hexParts + (quad != null ? 2 : 0)];
        for (int i = 0; i < hexParts; i++) {
            if (!parts[i].matches("\\p{XDigit}{1,4}")) {
                return null;
            }
            groups[i] = Integer.parseInt(parts[i], 16);
        }
        if (quad != null) {
            groups[hexParts] = (quad[0] & 0xff) << 8 | quad[1] & 0xff;
            groups[hexParts + 1] = (quad[2] & 0xff) << 8 | quad[3] & 0xff;
        }
        return groups;
    }

    /**
     * The hash and queue, as two lines (the queue line also says which RETA entry chose it) or as exactly
     * {@code {"hash":"0x51ccc178","queue":0}}.
     */
    record Result(int hash, int queue, int retaIndex, int retaSize, int queues) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("hash", ToeplitzHash.toHex(hash));
            json.put("queue", queue);
            return json;
        }

        @Override
        public void printText(PrintWriter out) {
            out.println("hash   " + ToeplitzHash.toHex(hash));
            out.println("queue  " + queue + "  (RETA entry " + retaIndex + " of " + retaSize + ", " + queues
                    + (queues == 1 ? " queue)" : " queues)"));
        }
    }
}
