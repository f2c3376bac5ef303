package dev.iov.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code iov --version}: the iov version and the Java runtime. The version comes from the jar manifest's
 * {@code Implementation-Version}, or, when running from classes (tests, IDE), from the build-filtered resource
 * {@code dev/iov/cli/version.properties}.
 */
public final class VersionProvider implements IVersionProvider {

    /** Created by picocli. */
    public VersionProvider() {
    }

    /**
     * The version lines.
     *
     * @return {@code iov <version>} and a line describing the Java runtime
     */
    @Override
    public String[] getVersion() {
        return new String[] {
            "iov " + iovVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + " "
                    + System.getProperty("java.vm.name") + "), " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"),
        };
    }

    /**
     * The version of iov, for example {@code 0.1.0-SNAPSHOT}; {@code unknown} when neither source has it.
     *
     * @return the version
     */
    public static String iovVersion() {
        String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
        if (fromManifest != null && !fromManifest.isBlank()) {
            return fromManifest;
        }
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isBlank() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the iov version resource", e);
        }
        return "unknown";
    }
}
