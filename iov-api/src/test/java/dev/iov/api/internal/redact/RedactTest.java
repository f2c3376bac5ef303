package dev.iov.api.internal.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactTest {

    private static final String SECRET = "Zq7-secret-4711";

    @Test
    void urlsLoseUserInfoQueryValuesAndFragments() {
        assertThat(Redact.url(URI.create("https://admin:" + SECRET + "@ufm.example:8443/ufmRest?token=" + SECRET
                + "&x=1#" + SECRET))).isEqualTo("https://***@ufm.example:8443/ufmRest?token=***&x=***");
        assertThat(Redact.url(URI.create("https://ufm.example"))).isEqualTo("https://ufm.example");
        // Text that does not parse as a URL: from the scheme to the last '@' may be a password with an '@' in it.
        assertThat(Redact.url("https://admin:p@ss" + SECRET + "@ufm:notaport/x?token=" + SECRET))
                .isEqualTo("https://***@ufm:notaport/x?token=***");
        assertThat(Redact.url("admin:" + SECRET + "@ufm")).isEqualTo("***@ufm");
        assertThat(Redact.url((String) null)).isEqualTo("null");
    }

    @Test
    void freeTextLosesHeadersSchemeCredentialsAndSecretPairs() {
        String basic = Base64.getEncoder().encodeToString(("admin:" + SECRET).getBytes(StandardCharsets.UTF_8));
        String text = "GET https://admin:" + SECRET + "@ufm/x failed\nAuthorization: Basic " + basic
                + "\nsent Bearer " + SECRET + " and {\"password\": \"" + SECRET + "\", \"token\":\"" + SECRET
                + "\"} password=" + SECRET + " api_key: " + SECRET;
        String out = Redact.text(text);
        assertThat(out).doesNotContain(SECRET).doesNotContain(basic)
                .contains("https://***@ufm/x", "Authorization: ***", "Bearer ***", "password=***");
        // Prose about credentials stays readable.
        assertThat(Redact.text("UFM refused the basic credentials (HTTP 401); token auth works"))
                .isEqualTo("UFM refused the basic credentials (HTTP 401); token auth works");
    }

    @Test
    void knownSecretsAreMaskedAsTheyAreAndInBase64() {
        String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
        String pair = Base64.getEncoder().encodeToString(("admin:" + SECRET).getBytes(StandardCharsets.UTF_8));
        String out = Redact.text("echo " + SECRET + " " + b64 + " " + pair, List.of(SECRET, "admin:" + SECRET));
        assertThat(out).isEqualTo("echo *** *** ***");
    }

    @Test
    void settingValuesOfSecretKeysAreNeverPrinted() {
        assertThat(Redact.isSecretKey("password")).isTrue();
        assertThat(Redact.isSecretKey("sm.token")).isTrue();
        assertThat(Redact.isSecretKey("client-secret")).isTrue();
        assertThat(Redact.isSecretKey("url")).isFalse();
        assertThat(Redact.isSecretKey("pkey")).isFalse();
        assertThat(Redact.settingValue("password", SECRET)).isEqualTo("***");
        assertThat(Redact.settingValue("url", "https://a:" + SECRET + "@h")).isEqualTo("https://***@h");
        assertThat(Redact.settingValue("insecure", "yes")).isEqualTo("yes");
    }
}
