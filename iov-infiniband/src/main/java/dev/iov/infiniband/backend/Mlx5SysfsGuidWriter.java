package dev.iov.infiniband.backend;

import dev.iov.api.net.Guid;
import dev.iov.infiniband.hca.VfPortPolicy;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.backend.VfLease;

/**
 * Writes the files NVIDIA's out-of-tree mlx5 driver (MLNX_OFED, {@code mlx5/core/sriov_sysfs.c}) puts under
 * {@code /sys/bus/pci/devices/<pf>/sriov/<vf>/}: {@code node} and {@code port} take eight colon-separated hex bytes,
 * most significant first ({@code node_store}/{@code port_store} parse {@code "%02x:...:%02x\n"} and answer EINVAL to
 * anything else), {@code policy} takes {@code Down}, {@code Up} or {@code Follow}.
 *
 * <p>Order matters to the VM: on assign the GUIDs go first and the policy last, so the port comes up with its final
 * GUID; on clear the policy goes to {@code Down} first, so no port is up while its GUID is zero.
 */
final class Mlx5SysfsGuidWriter implements VfGuidWriter {

    private final Sysfs sysfs;

    Mlx5SysfsGuidWriter(Sysfs sysfs) {
        this.sysfs = sysfs;
    }

    @Override
    public void assign(VfLease vf, Guid guid) {
        String dir = directory(vf);
        sysfs.write(dir + "/node", format(guid));
        sysfs.write(dir + "/port", format(guid));
        sysfs.write(dir + "/policy", VfPortPolicy.FOLLOW.word());
    }

    @Override
    public void clear(VfLease vf) {
        String dir = directory(vf);
        sysfs.write(dir + "/policy", VfPortPolicy.DOWN.word());
        sysfs.write(dir + "/port", format(Guid.ZERO));
        sysfs.write(dir + "/node", format(Guid.ZERO));
    }

    /** The PF's PCI device directory, which {@code class/infiniband/<dev>/device} links to. */
    private static String directory(VfLease vf) {
        return "bus/pci/devices/" + vf.pf() + "/sriov/" + vf.vf();
    }

    /** The form {@code node_show} prints and {@code node_store} reads: {@code b8:59:9f:03:00:d4:1a:2c}. */
    static String format(Guid guid) {
        long value = guid.toLong();
        StringBuilder text = new StringBuilder(24);
        for (int shift = 56; shift >= 0; shift -= 8) {
            if (shift != 56) {
                text.append(':');
            }
            int b = (int) (value >>> shift) & 0xff;
            text.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return text.append('\n').toString();
    }

    @Override
    public String toString() {
        return "mlx5-sysfs";
    }
}
