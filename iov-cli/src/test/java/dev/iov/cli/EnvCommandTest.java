package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.cli.CliRunner.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EnvCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonOnThisHostHasEveryKey() throws Exception {
        Result r = CliRunner.run("env", "--json");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.err()).isEmpty();
        JsonNode env = JSON.readTree(r.out());
        List<String> keys = new ArrayList<>();
        env.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("kernel", "root", "uid", "tunDevice", "networkNamespaces",
                "sriovDevices", "infinibandDevices", "tools", "java");
        List<String> tools = new ArrayList<>();
        env.get("tools").fieldNames().forEachRemaining(tools::add);
        assertThat(tools).containsExactlyElementsOf(EnvProbe.TOOLS);
        assertThat(env.get("root").isBoolean()).isTrue();
        assertThat(env.get("sriovDevices").isInt()).isTrue();
        assertThat(env.get("infinibandDevices").isInt()).isTrue();
        if (Files.exists(Path.of("/proc/sys/kernel/osrelease"))) {
            assertThat(env.get("kernel").asText()).isEqualTo(
                    Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        }
    }

    @Test
    void textOnThisHostIsATable() {
        Result r = CliRunner.run("env");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).contains("kernel", "root", "/dev/net/tun", "network namespaces", "SR-IOV devices",
                "InfiniBand devices", "tools on PATH", "virt-xml-validate");
    }

    @Test
    void probesAFakeHost(@TempDir Path root) throws IOException {
        write(root, "proc/sys/kernel/osrelease", "6.1.0-test\n");
        write(root, "proc/self/status", "Name:\tjava\nUid:\t0\t1000\t1000\t1000\nGid:\t0\t0\t0\t0\n");
        write(root, "dev/net/tun", "");
        // Two PFs that can have VFs, one plain device; in real sysfs the entries are symlinks to directories.
        write(root, "sys/devices/pci0000:00/0000:03:00.0/sriov_totalvfs", "8\n");
        write(root, "sys/bus/pci/devices/0000:04:00.0/sriov_totalvfs", "64\n");
        write(root, "sys/bus/pci/devices/0000:00:1f.0/vendor", "0x8086\n");
        Files.createSymbolicLink(root.resolve("sys/bus/pci/devices/0000:03:00.0"),
                root.resolve("sys/devices/pci0000:00/0000:03:00.0"));
        Files.createDirectories(root.resolve("sys/class/infiniband/mlx5_0"));
        Files.createDirectories(root.resolve("sys/class/infiniband/mlx5_1"));
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Path ip = write(root, "usr/bin/ip", "#!/bin/sh\n");
        Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwxr-xr-x"));

        EnvReport report = new EnvProbe(root, bin.toString()).probe();

        assertThat(report.kernel()).isEqualTo("6.1.0-test");
        assertThat(report.uid()).hasValue(1000);
        assertThat(report.root()).isFalse();
        assertThat(report.tunDevice()).isTrue();
        assertThat(report.networkNamespaces()).isFalse();
        assertThat(report.sriovDevices()).isEqualTo(2);
        assertThat(report.infinibandDevices()).isEqualTo(2);
        assertThat(report.tools()).containsEntry("ip", ip.toString()).containsEntry("tshark", null);
        assertThat(report.tools().keySet()).containsExactlyElementsOf(EnvProbe.TOOLS);
    }

    @Test
    void emptyHostReportsNothingAndDoesNotFail(@TempDir Path root) throws Exception {
        EnvReport report = new EnvProbe(root, null).probe();
        assertThat(report.kernel()).isNull();
        assertThat(report.uid()).isEmpty();
        assertThat(report.sriovDevices()).isZero();
        assertThat(report.infinibandDevices()).isZero();
        assertThat(report.tools().values()).containsOnlyNulls();

        // Through the command: the JSON has nulls, the text says "unknown"/"missing".
        Result json = runEnv(root, "--json");
        JsonNode env = JSON.readTree(json.out());
        assertThat(env.get("kernel").isNull()).isTrue();
        assertThat(env.get("uid").isNull()).isTrue();
        assertThat(env.get("root").asBoolean()).isFalse();
        Result text = runEnv(root);
        assertThat(text.out()).contains("unknown", "missing", "no (uid unknown)");
    }

    private static Result runEnv(Path root, String... options) {
        List<String> args = new ArrayList<>(List.of("probe"));
        args.addAll(List.of(options));
        return CliRunner.run(new Object[] {new FakeEnvCommand(new EnvProbe(root, null))}, args.toArray(String[]::new));
    }

    @CommandLine.Command(name = "probe")
    static final class FakeEnvCommand extends IovSubcommand {
        private final EnvCommand delegate;

        FakeEnvCommand(EnvProbe probe) {
            this.delegate = new EnvCommand(probe);
        }

        @Override
        protected CommandOutput execute() {
            return delegate.execute();
        }
    }

    private static Path write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
