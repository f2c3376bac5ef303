package dev.iov.api.fabric;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.spi.IoBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Chooses where on a host a vNIC goes: which backend (by the spec's preference order, among those with every
 * capability the spec needs) and which uplink (the least loaded that the policy admits). Pure logic over the usage
 * sums; the caller holds the fabric's lock so that choosing and charging are one step.
 */
final class Admission {
    private final OversubscriptionPolicy policy;

    Admission(OversubscriptionPolicy policy) {
        this.policy = policy;
    }

    OversubscriptionPolicy policy() {
        return policy;
    }

    /** A chosen backend and uplink, and what the vNIC costs it. */
    record Placement(IoBackend backend, UplinkUsage usage, Charge charge) {
    }

    /**
     * @param kinds the kinds to try, in order
     * @param reasons receives one line per refused candidate
     * @return the placement, or null when no candidate admits the vNIC
     */
    Placement place(VnicSpec spec, Network network, List<IoBackend> backends, List<UplinkUsage> usages,
            List<BackendKind> kinds, List<String> reasons) {
        Set<Capability> needed = requiredCapabilities(spec, network);
        for (BackendKind kind : kinds) {
            List<IoBackend> ofKind = backends.stream().filter(b -> b.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                if (spec.backends().contains(kind)) {
                    reasons.add("no " + kind + " backend");
                }
                continue;
            }
            List<UplinkUsage> carriers = usages.stream()
                    .filter(u -> u.uplink.kind() == network.kind().uplinkKind()
                            && u.uplink.backendKinds().contains(kind))
                    .sorted(Comparator.comparingDouble(Admission::limitRatio))
                    .toList();
            if (carriers.isEmpty()) {
                reasons.add("no " + network.kind().uplinkKind() + " uplink carries " + kind + " vNICs");
                continue;
            }
            for (IoBackend backend : ofKind) {
                Set<Capability> missing = EnumSet.copyOf(needed);
                missing.removeAll(backend.capabilities());
                if (!missing.isEmpty()) {
                    reasons.add("backend '" + backend.id() + "' lacks " + missing);
                    continue;
                }
                for (UplinkUsage usage : carriers) {
                    Charge charge = Charge.of(spec, network, usage.uplink);
                    String refusal = refusal(usage, charge);
                    if (refusal == null) {
                        return new Placement(backend, usage, charge);
                    }
                    reasons.add(refusal);
                }
            }
        }
        if (reasons.isEmpty()) {
            reasons.add("no backend of the host joins " + network.kind() + " networks");
        }
        return null;
    }

    /** @return why the policy refuses the charge on the uplink, or null when it admits it */
    String refusal(UplinkUsage usage, Charge charge) {
        if (!policy.enforce()) {
            return null;
        }
        long speed = usage.speedBps();
        long guaranteed = usage.guaranteedBps + charge.guaranteedBps();
        if (guaranteed > speed) {
            return String.format(Locale.ROOT, "uplink '%s' guarantees would reach %s of %s",
                    usage.uplink.name(), Bandwidth.ofBitsPerSecond(guaranteed), usage.uplink.speed());
        }
        long limit = usage.limitBps + charge.limitBps();
        if (limit > policy.maxRatio() * speed) {
            return String.format(Locale.ROOT, "uplink '%s' limits would reach %s, %.2fx its %s (policy allows %.2fx)",
                    usage.uplink.name(), Bandwidth.ofBitsPerSecond(limit), (double) limit / speed,
                    usage.uplink.speed(), policy.maxRatio());
        }
        return null;
    }

    /** @return every uplink's sums against its speed and the policy; the caller holds the fabric's lock */
    OversubscriptionReport report(java.util.Collection<FabricState.HostEntry> hosts) {
        List<UplinkLoad> loads = new ArrayList<>();
        for (FabricState.HostEntry host : hosts) {
            for (UplinkUsage usage : host.usage.values()) {
                loads.add(new UplinkLoad(usage.host, usage.uplink.name(), usage.uplink.speed(), usage.vnics,
                        Bandwidth.ofBitsPerSecond(usage.guaranteedBps), Bandwidth.ofBitsPerSecond(usage.limitBps),
                        status(usage)));
            }
        }
        return new OversubscriptionReport(policy, loads);
    }

    UplinkLoad.Status status(UplinkUsage usage) {
        long speed = usage.speedBps();
        if (usage.guaranteedBps > speed || usage.limitBps > policy.maxRatio() * speed) {
            return UplinkLoad.Status.OVER_POLICY;
        }
        return usage.limitBps > speed ? UplinkLoad.Status.OVERSUBSCRIBED : UplinkLoad.Status.OK;
    }

    static Set<Capability> requiredCapabilities(VnicSpec spec, Network network) {
        Set<Capability> needed = EnumSet.of(network.kind().requiredCapability());
        if (spec.maxRate().or(network::defaultMaxRate).isPresent()) {
            needed.add(Capability.MAX_RATE);
        }
        if (spec.minRate().isPresent()) {
            needed.add(Capability.MIN_RATE);
        }
        if (spec.spoofCheck() && network.kind() != NetworkKind.IB_PARTITION) {
            needed.add(Capability.SPOOF_CHECK);
        }
        if (spec.trust()) {
            needed.add(Capability.TRUST);
        }
        return needed;
    }

    /** @return the kinds a vNIC may be, in the spec's order, limited to those that fit the network */
    static List<BackendKind> candidateKinds(VnicSpec spec, Network network) {
        List<BackendKind> kinds = new ArrayList<>();
        for (BackendKind kind : spec.backends().isEmpty() ? List.of(BackendKind.values()) : spec.backends()) {
            if (kind.uplinkKind() == network.kind().uplinkKind()) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    private static double limitRatio(UplinkUsage usage) {
        return (double) usage.limitBps / usage.speedBps();
    }
}
