package dev.iov.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@code iov env} found.
 *
 * @param kernel the kernel release, null when unknown
 * @param uid the effective uid, empty when unknown
 * @param tunDevice whether {@code /dev/net/tun} exists
 * @param networkNamespaces whether {@code /proc/self/ns/net} exists
 * @param tools each probed tool and where it is on {@code PATH} (null when missing), in probe order
 * @param sriovDevices PCI devices with {@code sriov_totalvfs}
 * @param infinibandDevices entries in {@code /sys/class/infiniband}
 * @param java the Java runtime version
 */
record EnvReport(
        String kernel,
        OptionalLong uid,
        boolean tunDevice,
        boolean networkNamespaces,
        Map<String, String> tools,
        int sriovDevices,
        int infinibandDevices,
        String java) implements CommandOutput {

    EnvReport {
        tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
    }

    /** Whether the effective uid is 0. */
    boolean root() {
        return uid.isPresent() && uid.getAsLong() == 0;
    }

    @Override
    public Object toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kernel", kernel);
        json.put("root", root());
        json.put("uid", uid.isPresent() ? uid.getAsLong() : null);
        json.put("tunDevice", tunDevice);
        json.put("networkNamespaces", networkNamespaces);
        json.put("sriovDevices", sriovDevices);
        json.put("infinibandDevices", infinibandDevices);
        json.put("tools", tools);
        json.put("java", java);
        return json;
    }

    @Override
    public void printText(PrintWriter out) {
        String format = "%-20s %s%n";
        out.printf(format, "kernel", kernel == null ? "unknown" : kernel);
        out.printf(format, "root", (root() ? "yes" : "no") + " (uid " + (uid.isPresent() ? uid.getAsLong() : "unknown")
                + ")");
        out.printf(format, "/dev/net/tun", tunDevice ? "present" : "missing");
        out.printf(format, "network namespaces", networkNamespaces ? "supported" : "not supported");
        out.printf(format, "SR-IOV devices", sriovDevices);
        out.printf(format, "InfiniBand devices", infinibandDevices);
        out.printf(format, "java", java);
        out.println("tools on PATH");
        tools.forEach((tool, path) -> out.printf("  %-18s %s%n", tool, path == null ? "missing" : path));
    }
}
