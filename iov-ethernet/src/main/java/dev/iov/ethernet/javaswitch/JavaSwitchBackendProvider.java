package dev.iov.ethernet.javaswitch;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.spi.BackendProvider;
import dev.iov.api.spi.BackendSettings;
import dev.iov.api.spi.IoBackend;
import dev.iov.linux.netlink.VxlanSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;

/**
 * Provides {@link JavaSwitchBackend}s as backend type {@code java-switch}. Settings:
 * <ul>
 *   <li>{@code uplink}: an interface of the process's namespace bound with {@code AF_PACKET} as a trunk port
 *       (optional; without it the switch only connects its vNICs);</li>
 *   <li>{@code max-ports}: the most ports, uplink included, 1-1024 (default 64);</li>
 *   <li>{@code vxlan-vni}, {@code vxlan-remote} and optionally {@code vxlan-local}: instead of {@code uplink}, a
 *       VXLAN uplink device {@code iov-vx<VNI>} the backend creates (and deletes on close) with that VNI and unicast
 *       remote, on the IANA port; see {@link JavaSwitchBackend.Builder#vxlanUplink}.</li>
 * </ul>
 * TAPs are created in the process's namespace; placing them in VM namespaces is a programmatic choice
 * ({@link JavaSwitchBackend.Builder#tapPlacement}), since a namespace handle cannot be written in configuration.
 */
public final class JavaSwitchBackendProvider implements BackendProvider {

    private static final Set<String> KEYS = Set.of("uplink", "max-ports", "vxlan-vni", "vxlan-remote",
            "vxlan-local");
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JavaSwitchBackendProvider() {
    }

    @Override
    public String type() {
        return "java-switch";
    }

    @Override
    public IoBackend create(String id, Map<String, String> config) {
        BackendSettings.requireKnownKeys("java-switch", id, config, KEYS);
        JavaSwitchBackend.Builder b = JavaSwitchBackend.builder(id);
        String maxPorts = config.get("max-ports");
        if (maxPorts != null) {
            int value;
            try {
                value = Integer.parseInt(maxPorts.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("java-switch backend '" + id + "': max-ports '" + maxPorts
                        + "' is not a number", e);
            }
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("java-switch backend '" + id + "': max-ports " + value
                        + " is outside 1-1024");
            }
            b.maxPorts(value);
        }
        String uplink = config.get("uplink");
        if (uplink != null) {
            InterfaceName name;
            try {
                name = InterfaceName.of(uplink);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("java-switch backend '" + id + "': uplink: " + e.getMessage(), e);
            }
            b.uplink(name);
        }
        if (config.containsKey("vxlan-vni") || config.containsKey("vxlan-remote")
                || config.containsKey("vxlan-local")) {
            if (uplink != null) {
                throw new IllegalArgumentException("java-switch backend '" + id + "': set either uplink or vxlan-*, "
                        + "not both");
            }
            b.vxlanUplink(vxlanSpec(id, config), null);
        }
        return b.build();
    }

    private static VxlanSpec vxlanSpec(String id, Map<String, String> config) {
        String vniText = config.get("vxlan-vni");
        String remoteText = config.get("vxlan-remote");
        if (vniText == null || remoteText == null) {
            throw new IllegalArgumentException("java-switch backend '" + id + "': a VXLAN uplink needs vxlan-vni and "
                    + "vxlan-remote");
        }
        int vni;
        try {
            vni = Integer.parseInt(vniText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("java-switch backend '" + id + "': vxlan-vni '" + vniText
                    + "' is not a number", e);
        }
        if (vni < 1 || vni > 0xff_ffff) {
            throw new IllegalArgumentException("java-switch backend '" + id + "': vxlan-vni " + vni
                    + " is outside 1-16777215");
        }
        VxlanSpec.Builder spec = VxlanSpec.builder(InterfaceName.of("iov-vx" + vni), vni)
                .remote(address(id, "vxlan-remote", remoteText));
        String local = config.get("vxlan-local");
        if (local != null) {
            spec.local(address(id, "vxlan-local", local));
        }
        try {
            return spec.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("java-switch backend '" + id + "': " + e.getMessage(), e);
        }
    }

    /** Parses a literal IP address; never resolves a host name (that would be a DNS query at configuration time). */
    private static InetAddress address(String id, String key, String text) {
        String t = text.trim();
        // A name with ':' is parsed as an IPv6 literal; anything else must be a dotted quad, or Java would ask DNS.
        boolean literal = t.indexOf(':') >= 0 || IPV4.matcher(t).matches();
        try {
            if (literal) {
                return InetAddress.getByName(t);
            }
        } catch (UnknownHostException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("java-switch backend '" + id + "': " + key + " '" + text
                + "' is not an IP address");
    }
}
