package dev.iov.ethernet.javaswitch;

import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.VnicId;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanMode;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one rule for how a vNIC becomes a port of iov's software switch, and how such a port is reported back for drift
 * detection — shared by every backend built on {@link dev.iov.ethernet.switching.SoftwareSwitch} (the
 * {@code java-switch} backend, the in-process lab), so that they cannot disagree on what a vNIC request means.
 */
public final class VnicPorts {

    /** Burst as a fraction of the rate: 100 ms of traffic. */
    private static final int BURST_DIVISOR = 10;
    private static final int MIN_BURST_KBIT = 128;

    private VnicPorts() {
    }

    /**
     * The port a vNIC gets: an access port in the network's VLAN; port security allowing only the vNIC's MAC unless
     * spoof checking is off or the VM is trusted; ingress policing at the effective max rate with a 100 ms burst.
     *
     * @param backendId the backend, named in errors
     * @param request the admitted vNIC
     * @param operation what is being done, named in errors
     * @return the port's configuration
     * @throws BackendException for a network that is not a VLAN, a vNIC without a MAC, or a rate outside
     *     1 kbit/s to {@link Integer#MAX_VALUE} kbit/s
     */
    public static PortConfig accessPort(String backendId, AttachRequest request, String operation) {
        if (request.network().kind() != NetworkKind.VLAN) {
            throw new BackendException(backendId, operation, "network '" + request.network().id() + "' is "
                    + request.network().kind() + "; a software switch port joins VLAN networks only");
        }
        MacAddress mac = request.addresses().mac().orElseThrow(() -> new BackendException(backendId, operation,
                "no MAC address allocated for " + request.spec().id()));
        PortConfig.Builder b = PortConfig.builder(VlanMode.ACCESS).tag(request.network().segment());
        if (request.spec().spoofCheck() && !request.spec().trust()) {
            b.allowSource(mac);
        }
        Optional<Bandwidth> rate = request.effectiveMaxRate();
        if (rate.isPresent()) {
            long kbps = kbpsOf(rate.get());
            if (kbps < 1 || kbps > Integer.MAX_VALUE) {
                throw new BackendException(backendId, operation, "max rate " + rate.get() + " is outside 1 kbit/s-"
                        + Integer.MAX_VALUE + " kbit/s");
            }
            long burst = Math.max(MIN_BURST_KBIT, Math.min(PortConfig.MAX_BURST_KBIT, kbps / BURST_DIVISOR));
            b.policing((int) kbps, (int) burst);
        }
        return b.build();
    }

    /**
     * A vNIC port as the switch enforces it now, so that a port changed behind the fabric's back shows up as drift:
     * the MAC (zero when port security no longer allows it), the VLAN tag and the policing rate (the declared rate
     * when the switch enforces exactly that, in whole kbit/s).
     *
     * @param handle the attachment handle
     * @param owner the vNIC
     * @param mac the vNIC's MAC
     * @param declaredRate the max rate the port was given
     * @param config the port's configuration read from the switch
     * @return the discovered port
     */
    public static DiscoveredPort discovered(String handle, VnicId owner, MacAddress mac,
            Optional<Bandwidth> declaredRate, PortConfig config) {
        Optional<MacAddress> enforcedMac = config.allowedSources().isEmpty()
                || config.allowedSources().contains(mac.toLong()) ? Optional.of(mac) : Optional.of(MacAddress.ZERO);
        int kbps = config.policingRateKbps();
        Bandwidth rate = kbps == 0 ? Bandwidth.ZERO
                : declaredRate.filter(r -> kbpsOf(r) == kbps).orElse(Bandwidth.ofKbps(kbps));
        return new DiscoveredPort(handle, Optional.of(owner), enforcedMac, Optional.empty(),
                OptionalInt.of(config.tag()), Optional.of(rate));
    }

    /** Rates are whole kbit/s in the switch; a finer limit is rounded up so it is never enforced lower. */
    private static long kbpsOf(Bandwidth rate) {
        return (rate.bitsPerSecond() + 999) / 1000;
    }
}
