package dev.iov.infiniband.sm;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Type {@code ufm}: settings {@code url} (required, {@code https://host[:port]}), either {@code user} and
 * {@code password} or {@code token}, at most one of {@code ca-file} (PEM) and {@code insecure} ({@code true} trusts
 * any certificate), {@code connect-timeout-ms} and {@code request-timeout-ms} (default 10000) and
 * {@code ip-over-ib} (default true). Error messages name keys, never the values of {@code password} or
 * {@code token}.
 */
public final class UfmProvider implements SubnetManagerProvider {

    /** The type name. */
    public static final String TYPE = "ufm";

    private static final Set<String> KEYS = Set.of("url", "user", "password", "token", "ca-file", "insecure",
            "connect-timeout-ms", "request-timeout-ms", "ip-over-ib");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SubnetManager create(Map<String, String> settings) {
        SubnetManagers.requireKnownKeys(TYPE, settings, KEYS);
        String url = SubnetManagers.required(TYPE, settings, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(TYPE + " subnet manager: setting 'url' is not a URL: "
                    + e.getReason());
        }
        UfmSubnetManager.Builder b;
        try {
            b = UfmSubnetManager.builder(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE + " subnet manager: setting 'url': " + e.getMessage(), e);
        }
        boolean basic = settings.containsKey("user") || settings.containsKey("password");
        if (basic && settings.containsKey("token")) {
            throw new IllegalArgumentException(TYPE + " subnet manager: give either 'user' and 'password' or "
                    + "'token', not both");
        }
        if (basic) {
            String user = SubnetManagers.required(TYPE, settings, "user");
            if (!settings.containsKey("password")) {
                throw new IllegalArgumentException(TYPE + " subnet manager: setting 'password' is required with "
                        + "'user'");
            }
            try {
                b.basicAuth(user, settings.get("password"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TYPE + " subnet manager: setting 'user': " + e.getMessage(), e);
            }
        } else if (settings.containsKey("token")) {
            try {
                b.token(settings.get("token"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TYPE + " subnet manager: setting 'token': " + e.getMessage(), e);
            }
        }
        boolean insecure = SubnetManagers.flag(TYPE, settings, "insecure", false);
        if (insecure && settings.containsKey("ca-file")) {
            throw new IllegalArgumentException(TYPE + " subnet manager: 'ca-file' and 'insecure=true' exclude each "
                    + "other");
        }
        if (insecure) {
            b.insecure();
        } else if (settings.containsKey("ca-file")) {
            b.trustCaFile(Path.of(settings.get("ca-file")));
        }
        b.connectTimeout(millis(settings, "connect-timeout-ms"));
        b.requestTimeout(millis(settings, "request-timeout-ms"));
        b.ipOverIb(SubnetManagers.flag(TYPE, settings, "ip-over-ib", true));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TYPE + " subnet manager: setting 'ca-file': " + e.getMessage(), e);
        }
    }

    private static Duration millis(Map<String, String> settings, String key) {
        String v = settings.getOrDefault(key, "10000");
        long ms;
        try {
            ms = Long.parseLong(v);
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms <= 0) {
            throw new IllegalArgumentException(TYPE + " subnet manager: setting '" + key + "' is '" + v
                    + "', expected a positive number of milliseconds");
        }
        return Duration.ofMillis(ms);
    }
}
