package dev.iov.cli;

import dev.iov.ethernet.ovsdb.OvsdbClient;
import java.time.Duration;

/**
 * The {@code --ovsdb} option of {@code iov ovs} and {@code iov inventory}: the database named as OVS names remotes,
 * {@code unix:PATH} or {@code tcp:HOST:PORT}, checked before anything connects.
 */
final class OvsdbTarget {

    /** Where Debian's openvswitch-switch serves the database. */
    static final String DEFAULT = "unix:/var/run/openvswitch/db.sock";

    /** How long connecting, and then each request, may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String target;

    private OvsdbTarget(String target) {
        this.target = target;
    }

    /**
     * Checks the syntax (nothing is opened).
     *
     * @param text the option's value
     * @return the target
     * @throws UserInputException naming the value when it is neither form, or the port is not 1-65535
     */
    static OvsdbTarget parse(String text) {
        if (text.startsWith("unix:") && text.length() > 5) {
            return new OvsdbTarget(text);
        }
        if (text.startsWith("tcp:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            String host = colon > 0 ? rest.substring(0, colon) : "";
            String port = colon > 0 ? rest.substring(colon + 1) : "";
            if (host.isEmpty() || host.equals("[]")) {
                throw new UserInputException("--ovsdb '" + text + "': expected tcp:HOST:PORT");
            }
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new UserInputException("--ovsdb '" + text + "': port '" + port + "' is not 1-65535");
            }
            return new OvsdbTarget(text);
        }
        throw new UserInputException("--ovsdb '" + text + "': expected unix:PATH or tcp:HOST:PORT");
    }

    /**
     * Connects.
     *
     * @return the client; the caller closes it
     * @throws dev.iov.ethernet.ovsdb.OvsdbConnectionException when the server cannot be reached
     */
    OvsdbClient connect() {
        return OvsdbClient.connect(target, TIMEOUT);
    }

    @Override
    public String toString() {
        return target;
    }
}
