package dev.iov.linux.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTest {
    private static final String PF = "bus/pci/devices/0000:03:00.0";

    @TempDir
    Path root;

    /** A slice of a ConnectX PF with 12 VFs, laid out as the kernel does: device dirs under devices/, relative links. */
    private Sysfs mlx5Tree() throws IOException {
        Path pciRoot = root.resolve("devices/pci0000:00/0000:00:02.0");
        Path pf = Files.createDirectories(pciRoot.resolve("0000:03:00.0"));
        Files.createDirectories(root.resolve("bus/pci/devices"));
        Files.createDirectories(root.resolve("bus/pci/drivers/mlx5_core"));
        Files.createSymbolicLink(root.resolve(PF), Path.of("../../../devices/pci0000:00/0000:00:02.0/0000:03:00.0"));
        Files.createSymbolicLink(pf.resolve("driver"), Path.of("../../../../bus/pci/drivers/mlx5_core"));
        Files.writeString(pf.resolve("vendor"), "0x15b3\n");
        Files.writeString(pf.resolve("class"), "0x020000\n");
        Files.writeString(pf.resolve("numa_node"), "-1\n");
        Files.writeString(pf.resolve("sriov_totalvfs"), "16\n");
        Files.writeString(pf.resolve("sriov_numvfs"), "12\n");
        for (int vf = 0; vf < 12; vf++) {
            String bdf = String.format("0000:03:%02x.%x", (vf + 2) / 8, (vf + 2) % 8);
            Files.createDirectories(pciRoot.resolve(bdf));
            Files.createSymbolicLink(pf.resolve("virtfn" + vf), Path.of("../" + bdf));
        }
        Files.createDirectories(root.resolve("class/infiniband/mlx5_0/ports/1"));
        Files.writeString(root.resolve("class/infiniband/mlx5_0/ports/1/state"), "4: ACTIVE\n");
        return Sysfs.at(root);
    }

    @Test
    void readsTypedValuesThroughRelativeSymlinks() throws IOException {
        Sysfs sysfs = mlx5Tree();

        assertThat(sysfs.readHex(PF + "/vendor")).isEqualTo(0x15b3);
        assertThat(sysfs.readHex(PF + "/class")).isEqualTo(0x020000);
        assertThat(sysfs.readInt(PF + "/numa_node")).isEqualTo(-1);
        assertThat(sysfs.readInt(PF + "/sriov_totalvfs")).isEqualTo(16);
        assertThat(sysfs.read(PF + "/sriov_numvfs")).isEqualTo("12");
        assertThat(sysfs.readNumberedState("class/infiniband/mlx5_0/ports/1/state"))
                .isEqualTo(new NumberedState(4, "ACTIVE"));
        assertThat(sysfs.linkTarget(PF + "/driver")).contains("mlx5_core");
        assertThat(sysfs.linkTarget(PF + "/virtfn10")).contains("0000:03:01.4");
        assertThat(sysfs.linkTarget(PF + "/physfn")).isEmpty();
        assertThat(sysfs.readIfExists(PF + "/net")).isEmpty();
    }

    @Test
    void listsNumberedEntriesInNumericOrder() throws IOException {
        Sysfs sysfs = mlx5Tree();

        assertThat(sysfs.list(PF).stream().filter(n -> n.startsWith("virtfn")))
                .containsExactly("virtfn0", "virtfn1", "virtfn2", "virtfn3", "virtfn4", "virtfn5", "virtfn6",
                        "virtfn7", "virtfn8", "virtfn9", "virtfn10", "virtfn11");
        assertThat(sysfs.list("does/not/exist")).isEmpty();
    }

    @Test
    void malformedContentNamesTheFileAndTheText() throws IOException {
        Sysfs sysfs = mlx5Tree();
        Files.writeString(root.resolve("bus/pci/devices/0000:03:00.0/vendor"), "15b3\n");

        assertThatThrownBy(() -> sysfs.readHex(PF + "/vendor")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("vendor").hasMessageContaining("'15b3'").hasMessageContaining("0x-prefixed");
        assertThatThrownBy(() -> sysfs.readInt(PF + "/class")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("'0x020000'");
        assertThatThrownBy(() -> sysfs.read(PF + "/sriov_drivers_autoprobe")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void pathsCannotLeaveTheRoot() throws IOException {
        Sysfs sysfs = mlx5Tree();

        assertThatThrownBy(() -> sysfs.read("../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../etc/passwd'");
        assertThatThrownBy(() -> sysfs.read("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesTheValueInOneWrite() throws IOException {
        Sysfs sysfs = mlx5Tree();

        sysfs.write(PF + "/sriov_numvfs", "0");

        assertThat(Files.readString(root.resolve("devices/pci0000:00/0000:00:02.0/0000:03:00.0/sriov_numvfs")))
                .isEqualTo("0");
        assertThatThrownBy(() -> sysfs.write(PF + "/sriov_drivers_autoprobe", "0"))
                .isInstanceOf(SysfsException.class).hasMessageContaining("'0'").hasMessageContaining("no such file");
    }

    @Test
    void writesGoThroughThePluggedWriterAndItsRefusalCarriesTheErrno() throws IOException {
        mlx5Tree();
        Files.writeString(root.resolve(PF + "/driver_override"), "(null)\n");
        java.util.List<String> seen = new java.util.ArrayList<>();
        Sysfs sysfs = Sysfs.at(root, (file, value) -> {
            seen.add(root.relativize(file) + "=" + new String(value, java.nio.charset.StandardCharsets.US_ASCII));
            if (file.getFileName().toString().equals("sriov_numvfs")) {
                throw new IOException("Device or resource busy"); // what FileChannel.write throws for EBUSY
            }
            return AttributeWriter.DIRECT.write(file, value);
        });

        sysfs.write(PF + "/driver_override", "\n");
        assertThatThrownBy(() -> sysfs.write(PF + "/sriov_numvfs", "4")).isInstanceOf(SysfsException.class)
                .hasMessageContaining(root.resolve(PF + "/sriov_numvfs").toString()).hasMessageContaining("'4'")
                .hasMessageContaining("Device or resource busy (EBUSY)")
                .satisfies(e -> assertThat(((SysfsException) e).errno()).hasValue(dev.iov.linux.Errno.EBUSY.number()));

        assertThat(seen).containsExactly(PF + "/driver_override=\n", PF + "/sriov_numvfs=4");
        assertThat(Files.readString(root.resolve(PF + "/driver_override"))).isEqualTo("\n");
        assertThatThrownBy(() -> sysfs.write(PF + "/nope", "1")).isInstanceOf(SysfsException.class)
                .satisfies(e -> assertThat(((SysfsException) e).errno()).hasValue(dev.iov.linux.Errno.ENOENT.number()));
    }

    @Test
    void theRealKernelsRefusalIsReportedWithItsReason() {
        // A read-only attribute of this host: kernfs refuses to open it for writing even for root (EACCES), so the
        // write changes nothing.
        Sysfs sysfs = Sysfs.system();
        org.junit.jupiter.api.Assumptions.assumeTrue(sysfs.exists("class/net/lo/ifindex"), "no /sys/class/net/lo");

        assertThatThrownBy(() -> sysfs.write("class/net/lo/ifindex", "7")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("/sys/class/net/lo/ifindex").hasMessageContaining("'7'")
                .hasMessageContaining("Permission denied")
                .satisfies(e -> assertThat(((SysfsException) e).errno()).hasValue(dev.iov.linux.Errno.EACCES.number()));
        assertThat(sysfs.readInt("class/net/lo/ifindex")).isEqualTo(1);
    }

    @Test
    void anAttributeLinkedOutsideTheRootIsNeitherReadNorWritten(@TempDir Path outside) throws IOException {
        Sysfs sysfs = mlx5Tree();
        Path secret = Files.writeString(outside.resolve("secret"), "s3cr3t-token\n");
        Path netdev = Files.createDirectories(root.resolve("devices/pci0000:00/0000:00:02.0/0000:03:00.0/net/eth0"));
        Files.createSymbolicLink(netdev.resolve("mac_address"), secret);

        assertThatThrownBy(() -> sysfs.read(PF + "/net/eth0/mac_address")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("mac_address").hasMessageContaining("outside")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> sysfs.write(PF + "/net/eth0/mac_address", "x")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("outside");
        assertThat(Files.readString(secret)).isEqualTo("s3cr3t-token\n");
    }

    @Test
    void aDirectoryLinkedOutsideTheRootIsNotListedOrReadThrough(@TempDir Path outside) throws IOException {
        Sysfs sysfs = mlx5Tree();
        Files.writeString(outside.resolve("vendor"), "0x8086\n");
        Files.createSymbolicLink(root.resolve(PF + "/virtfn99"), outside);

        assertThatThrownBy(() -> sysfs.list(PF + "/virtfn99")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> sysfs.readHex(PF + "/virtfn99/vendor")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("outside");
        // The link itself is still named, as for a real virtfn link.
        assertThat(sysfs.linkTarget(PF + "/virtfn99")).contains(outside.getFileName().toString());
    }

    @Test
    void anAttributeLargerThanAPageIsRefusedWithoutReadingIt() throws IOException {
        Sysfs sysfs = mlx5Tree();
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(
                root.resolve(PF + "/config").toFile(), "rw")) {
            huge.setLength(10L << 30); // sparse: 10 GiB of zeros that take no disk
        }

        assertThatThrownBy(() -> sysfs.read(PF + "/config")).isInstanceOf(SysfsException.class)
                .hasMessageContaining(PF + "/config").hasMessageContaining("more than 65536 bytes");
    }

    @Test
    void aFifoInTheTreeIsRefusedWithoutBlocking() throws Exception {
        Sysfs sysfs = mlx5Tree();
        Path fifo = root.resolve(PF + "/reset");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");

        assertThatThrownBy(() -> sysfs.read(PF + "/reset")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("not a regular file");
    }
}
