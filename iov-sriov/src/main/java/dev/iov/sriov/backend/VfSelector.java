package dev.iov.sriov.backend;

import dev.iov.api.net.InterfaceName;
import dev.iov.sriov.sysfs.PhysicalFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which PFs a pool takes VFs from, as the SR-IOV network operator's {@code nicSelector} chooses them: by vendor and
 * device ID, PF netdev name, PF driver and NUMA node. An empty criterion matches everything.
 *
 * @param vendor the PF's PCI vendor ID, e.g. {@code 0x15b3}
 * @param device the PF's PCI device ID, e.g. {@code 0x1017}
 * @param pfName the PF's netdev
 * @param driver the PF's driver, e.g. {@code mlx5_core}
 * @param numaNode the PF's NUMA node
 */
public record VfSelector(OptionalInt vendor, OptionalInt device, Optional<InterfaceName> pfName,
        Optional<String> driver, OptionalInt numaNode) {

    /** The provider setting keys a selector is read from. */
    public static final List<String> KEYS = List.of("vendor", "device", "pf", "driver", "numa-node");

    /** Checks that no part is null. */
    public VfSelector {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(pfName, "pfName");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(numaNode, "numaNode");
    }

    /** @return a selector that matches every PF */
    public static VfSelector any() {
        return new VfSelector(OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(),
                OptionalInt.empty());
    }

    /**
     * Reads a selector from backend settings: {@code vendor} and {@code device} in hex ({@code 0x15b3} or
     * {@code 15b3}), {@code pf} a netdev name, {@code driver} a driver name, {@code numa-node} a number. Other keys
     * are ignored.
     *
     * @param settings the backend's settings
     * @param source where they came from, for error messages
     * @return the selector
     * @throws IllegalArgumentException naming the key, the value and the source when a value is malformed
     */
    public static VfSelector parse(Map<String, String> settings, String source) {
        return new VfSelector(hex(settings, "vendor", source), hex(settings, "device", source),
                Optional.ofNullable(settings.get("pf")).map(v -> {
                    try {
                        return InterfaceName.of(v);
                    } catch (IllegalArgumentException e) {
                        throw bad(source, "pf", v, e.getMessage());
                    }
                }), Optional.ofNullable(settings.get("driver")).map(v -> {
                    if (!v.matches("[A-Za-z0-9_.-]{1,64}")) {
                        throw bad(source, "driver", v, "not a driver name");
                    }
                    return v;
                }), numa(settings, source));
    }

    /**
     * @param pf a PF
     * @return true when every given criterion holds for it
     */
    public boolean matches(PhysicalFunction pf) {
        return (vendor.isEmpty() || vendor.getAsInt() == pf.id().vendor())
                && (device.isEmpty() || device.getAsInt() == pf.id().device())
                && (pfName.isEmpty() || pf.netdev().equals(pfName))
                && (driver.isEmpty() || pf.driver().equals(driver))
                && (numaNode.isEmpty() || numaNode.getAsInt() == pf.numaNode());
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        vendor.ifPresent(v -> parts.add(String.format("vendor=0x%04x", v)));
        device.ifPresent(v -> parts.add(String.format("device=0x%04x", v)));
        pfName.ifPresent(v -> parts.add("pf=" + v));
        driver.ifPresent(v -> parts.add("driver=" + v));
        numaNode.ifPresent(v -> parts.add("numa-node=" + v));
        return parts.isEmpty() ? "any PF" : String.join(",", parts);
    }

    private static OptionalInt hex(Map<String, String> settings, String key, String source) {
        String v = settings.get(key);
        if (v == null) {
            return OptionalInt.empty();
        }
        String digits = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
        if (!digits.matches("[0-9a-fA-F]{1,4}")) {
            throw bad(source, key, v, "expected a 16-bit hex PCI ID such as 0x15b3");
        }
        return OptionalInt.of(Integer.parseInt(digits, 16));
    }

    private static OptionalInt numa(Map<String, String> settings, String source) {
        String v = settings.get("numa-node");
        if (v == null) {
            return OptionalInt.empty();
        }
        if (!v.matches("-1|[0-9]{1,4}")) {
            throw bad(source, "numa-node", v, "expected a NUMA node number or -1");
        }
        return OptionalInt.of(Integer.parseInt(v));
    }

    private static IllegalArgumentException bad(String source, String key, String value, String why) {
        return new IllegalArgumentException(source + ": " + key + " '" + value + "': " + why);
    }
}
