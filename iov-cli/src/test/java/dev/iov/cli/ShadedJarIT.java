package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded {@code iov-cli-VERSION-all.jar}, run with {@code java -jar} in a separate process the way users run
 * it. Catches what in-process tests cannot: the manifest, merged {@code META-INF/services} (slf4j finds its
 * provider through them, as iov finds backends), signature files and logging to stderr.
 */
class ShadedJarIT {

    private static Path jar;

    @BeforeAll
    static void findJar() {
        String property = System.getProperty("iov.cli.jar");
        assertThat(property).as("system property iov.cli.jar (set by the failsafe configuration)").isNotNull();
        jar = Path.of(property);
        assertThat(jar).isRegularFile();
    }

    @Test
    void manifestAndContents() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(IovCommand.class.getName());
            assertThat(manifest.getMainAttributes().getValue("Implementation-Version"))
                    .isEqualTo(System.getProperty("iov.expected.version"));
            List<String> names = file.stream().map(JarEntry::getName).collect(Collectors.toList());
            assertThat(names).contains("dev/iov/cli/IovCommand.class", "picocli/CommandLine.class",
                    "META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
            assertThat(names).noneMatch(n -> n.endsWith("module-info.class"));
            assertThat(names).noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
        }
    }

    @Test
    void versionRunsWithoutNoise() throws Exception {
        Run run = java("--version");
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).startsWith("iov " + System.getProperty("iov.expected.version") + "\n");
        assertThat(run.err()).as("no SLF4J provider warnings").isEmpty();
    }

    @Test
    void envJsonIsOneDocument() throws Exception {
        Run run = java("env", "--json");
        assertThat(run.exitCode()).isEqualTo(0);
        JsonNode env = new ObjectMapper().readTree(run.out());
        assertThat(env.has("kernel")).isTrue();
        assertThat(env.get("tools").has("ip")).isTrue();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void debugLogsToStderr() throws Exception {
        Run run = java("--debug", "env", "--json");
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.err()).contains("DEBUG");
        new ObjectMapper().readTree(run.out()); // logs did not leak into the JSON
    }

    @Test
    void userErrorExitsTwoWithOneLine() throws Exception {
        Run run = java("frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("iov: unknown command 'frobnicate' (see 'iov --help')\n");
    }

    private static Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("iov-out", ".txt");
        Path err = Files.createTempFile("iov-err", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("iov finished within 60 s").isTrue();
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private record Run(int exitCode, String out, String err) {
    }
}
