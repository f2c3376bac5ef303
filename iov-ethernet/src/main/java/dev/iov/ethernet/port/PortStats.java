package dev.iov.ethernet.port;

import dev.iov.ethernet.switching.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one {@link SwitchEngine} port's counters, taken on the forwarding thread between two batches, so the
 * values are consistent with each other. "rx" is what the switch received from the device, "tx" what the switch
 * sent to it.
 *
 * @param device the device's interface name
 * @param rxPackets frames received from the device, dropped or not
 * @param rxBytes their bytes
 * @param txPackets frames the switch sent to the device, including the {@code txBusy} ones it refused
 * @param txBytes their bytes
 * @param txBusy frames the device refused because its transmit would block or its queue was full (back-pressure,
 *     counted instead of waiting, which would stall every other port)
 * @param txErrors frames whose transmit failed with an error (e.g. the interface is down), and segmentation-offload
 *     super-frames that could not be sent because the device has no virtio-net headers
 * @param rxErrors frames the device delivered that the port could not take: longer than the receive slot, or a
 *     failed read
 * @param drops frames received and dropped by the switch, by reason (every reason present, zeros included)
 */
public record PortStats(
        String device, long rxPackets, long rxBytes, long txPackets, long txBytes, long txBusy, long txErrors,
        long rxErrors, Map<DropReason, Long> drops) {

    /**
     * @param device the device's interface name
     * @param rxPackets frames received
     * @param rxBytes bytes received
     * @param txPackets frames sent to the device
     * @param txBytes bytes sent to the device
     * @param txBusy frames the device refused
     * @param txErrors frames whose transmit failed
     * @param rxErrors frames the port could not take
     * @param drops switch drops by reason
     */
    public PortStats {
        Objects.requireNonNull(device, "device");
        EnumMap<DropReason, Long> all = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            all.put(r, drops.getOrDefault(r, 0L));
        }
        drops = Map.copyOf(all);
    }

    /**
     * @param reason a drop reason
     * @return frames received and dropped for it
     */
    public long drops(DropReason reason) {
        return drops.get(reason);
    }

    /** @return frames received and dropped by the switch, all reasons */
    public long totalDrops() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }
}
