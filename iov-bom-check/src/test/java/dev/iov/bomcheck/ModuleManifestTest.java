package dev.iov.bomcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every iov library jar a consumer gets through the BOM names its module: {@code Automatic-Module-Name} in the
 * manifest, as DESIGN.md requires. Reads the manifests of the {@code iov-*.jar} files on the test class path.
 *
 * <p>When the reactor resolves the modules to {@code target/classes} (a build that stops before {@code package},
 * e.g. {@code ./mvnw test}), there are no jars and no manifests, and the test is skipped.
 */
class ModuleManifestTest {

    /** The libraries this POM depends on, by artifactId, with the module name each must declare. */
    private static final Map<String, String> EXPECTED = Map.of(
            "iov-api", "dev.iov.api",
            "iov-store-zookeeper", "dev.iov.store.zookeeper",
            "iov-linux", "dev.iov.linux",
            "iov-ethernet", "dev.iov.ethernet",
            "iov-sriov", "dev.iov.sriov",
            "iov-infiniband", "dev.iov.infiniband",
            "iov-testing", "dev.iov.testing");

    /** {@code iov-api-0.1.0.jar}, {@code iov-store-zookeeper-0.1.0-SNAPSHOT.jar}: the artifactId ends before a digit. */
    private static final Pattern IOV_JAR =
            Pattern.compile("/(iov(?:-[a-z]+)+)-\\d[^/]*\\.jar!/META-INF/MANIFEST\\.MF$");

    @Test
    void everyLibraryJarHasItsAutomaticModuleName() throws IOException {
        Map<String, String> found = new TreeMap<>();
        Enumeration<URL> manifests = getClass().getClassLoader().getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            URL url = manifests.nextElement();
            Matcher m = IOV_JAR.matcher(url.toString());
            if (m.find() && EXPECTED.containsKey(m.group(1))) {
                try (InputStream in = url.openStream()) {
                    Attributes attributes = new Manifest(in).getMainAttributes();
                    found.put(m.group(1), String.valueOf(attributes.getValue("Automatic-Module-Name")));
                }
            }
        }
        assumeTrue(!found.isEmpty(), "the iov modules are directories, not jars, in this build; nothing to check");
        assertThat(found).as("Automatic-Module-Name per iov jar").isEqualTo(new TreeMap<>(EXPECTED));
    }
}
