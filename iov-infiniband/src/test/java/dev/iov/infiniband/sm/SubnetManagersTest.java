package dev.iov.infiniband.sm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubnetManagersTest {

    private static final String SECRET = "hunter2-secret";

    @TempDir
    Path dir;

    @Test
    void bothPlugInsAreFoundByServiceLoader() {
        assertThat(SubnetManagers.providers()).containsOnlyKeys("opensm", "ufm");
        assertThat(SubnetManagers.create("opensm", Map.of("partitions-file", dir.resolve("p.conf").toString())))
                .isInstanceOf(OpenSmSubnetManager.class);
        SubnetManager ufm = SubnetManagers.create("ufm", Map.of("url", "https://ufm.example:8443", "user", "admin",
                "password", SECRET, "request-timeout-ms", "500"));
        assertThat(ufm).isInstanceOf(UfmSubnetManager.class);
        assertThat(ufm.toString()).isEqualTo("UfmSubnetManager[https://ufm.example:8443, auth=basic, trust=system]");
        assertThatThrownBy(() -> SubnetManagers.create("sm9000", Map.of()))
                .hasMessage("unknown subnet manager type 'sm9000'; known: [opensm, ufm]");
    }

    @Test
    void badSettingsNameTheKeyAndNeverTheSecret() {
        assertThatThrownBy(() -> SubnetManagers.create("opensm", Map.of("partitions-fil", "x")))
                .hasMessage("opensm subnet manager: unknown setting(s) [partitions-fil]; known: [ip-over-ib, "
                        + "partitions-file, pid-file]");
        assertThatThrownBy(() -> SubnetManagers.create("opensm", Map.of()))
                .hasMessage("opensm subnet manager: setting 'partitions-file' is required");
        assertThatThrownBy(() -> SubnetManagers.create("opensm", Map.of("partitions-file", "x", "ip-over-ib", "yes")))
                .hasMessage("opensm subnet manager: setting 'ip-over-ib' is 'yes', expected true or false");
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("user", "admin")))
                .hasMessage("ufm subnet manager: setting 'url' is required");
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "user", "admin")))
                .hasMessage("ufm subnet manager: setting 'password' is required with 'user'");
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "password", SECRET)))
                .hasMessage("ufm subnet manager: setting 'user' is required");
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "user", "a", "password",
                SECRET, "token", SECRET))).hasMessageContaining("not both").message().doesNotContain(SECRET);
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "token", SECRET + " x")))
                .hasMessageContaining("setting 'token'").message().doesNotContain(SECRET);
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://admin:" + SECRET + "@u")))
                .hasMessageContaining("setting 'url'").message().doesNotContain(SECRET);
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "insecure", "true",
                "ca-file", "/x.pem"))).hasMessageContaining("'ca-file' and 'insecure=true'");
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "connect-timeout-ms", "0")))
                .hasMessage("ufm subnet manager: setting 'connect-timeout-ms' is '0', expected a positive number of "
                        + "milliseconds");
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "ca-file",
                dir.resolve("missing.pem").toString()))).hasMessageContaining("setting 'ca-file'")
                .hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> SubnetManagers.create("ufm", Map.of("url", "https://u", "pasword", SECRET)))
                .hasMessageContaining("unknown setting(s) [pasword]").message().doesNotContain(SECRET);
    }
}
