package dev.iov.cli.lab;

import dev.iov.api.fabric.Drift;
import dev.iov.api.fabric.DriftReport;
import dev.iov.api.fabric.MigrationPlan;
import dev.iov.api.fabric.UplinkLoad;
import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.VnicStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The steps of {@code iov lab} on a provisioned fabric, in order: pings within each tenant (must all be answered),
 * pings across tenants between VMs of one subnet (must all fail), a TCP transfer, per-vNIC counters, a mirror of one
 * VM to a pcap file, a live migration with a ping running through it, drift found and repaired, and the
 * oversubscription report. A step that throws is a failed step; the others still run.
 */
final class LabScenario {

    /** How many steps {@link #run} reports. */
    static final int STEPS = 8;
    private static final int PINGS = 3;

    private final LabFabric lab;
    private final LabReporter reporter;
    private final Path pcap;
    private final List<StepResult> results = new ArrayList<>();

    /**
     * @param lab the provisioned lab
     * @param reporter where steps go
     * @param pcap where the mirror is written
     */
    LabScenario(LabFabric lab, LabReporter reporter, Path pcap) {
        this.lab = lab;
        this.reporter = reporter;
        this.pcap = pcap;
    }

    /** @return every step's result, in order */
    List<StepResult> run() {
        NetworkId a = lab.vms().get(0).network();
        NetworkId b = lab.vms().stream().map(LabVm::network).filter(n -> !n.equals(a)).findFirst().orElseThrow();
        step("ping-intra", "pings within each tenant", this::pingWithinTenants);
        step("ping-cross", "pings across tenants (same subnet)", () -> pingAcrossTenants(a, b));
        step("tcp", "TCP transfer within " + a, () -> transfer(a));
        step("counters", "per-vNIC counters (Fabric.stats)", this::counters);
        step("mirror", "mirror of " + lab.vmsOf(a).get(0).name() + " to a pcap file", () -> mirror(a));
        step("migrate", "live migration of " + lab.vmsOf(a).get(0).name() + " with a ping running",
                () -> migrate(a));
        step("drift", "drift report, one port changed by hand", () -> drift(a, b));
        step("oversub", "oversubscription per uplink", this::oversubscription);
        return List.copyOf(results);
    }

    private void step(String name, String title, Supplier<StepResult> body) {
        StepResult result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            result = StepResult.failed(name, title, e);
        }
        results.add(result);
        reporter.step(results.size(), STEPS, result);
    }

    private StepResult pingWithinTenants() {
        List<LabVm[]> pairs = new ArrayList<>();
        for (NetworkId network : networks()) {
            List<LabVm> vms = lab.vmsOf(network);
            for (LabVm to : vms.subList(1, vms.size())) {
                pairs.add(new LabVm[] {vms.get(0), to});
            }
        }
        List<LabPlane.PingResult> answers = pingAll(pairs, PINGS);
        // Reachability is an answer; a lost echo on a busy machine (or one whose first ARP request went astray) is
        // reported, not failed.
        long good = answers.stream().filter(r -> !r.noneAnswered()).count();
        long lost = answers.stream().mapToLong(LabPlane.PingResult::lost).sum();
        long sent = answers.stream().mapToLong(LabPlane.PingResult::sent).sum();
        return new StepResult("ping-intra", "pings within each tenant", good == pairs.size(),
                good + "/" + pairs.size() + " pairs answered, " + lost + " of " + sent + " echoes lost", List.of(),
                Map.of("pairs", pairJson(pairs, answers)));
    }

    private StepResult pingAcrossTenants(NetworkId a, NetworkId b) {
        List<LabVm> left = lab.vmsOf(a);
        List<LabVm> right = lab.vmsOf(b);
        List<LabVm[]> pairs = new ArrayList<>();
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            pairs.add(new LabVm[] {left.get(i), right.get(i)});
        }
        List<LabPlane.PingResult> answers = pingAll(pairs, 1);
        long blocked = answers.stream().filter(LabPlane.PingResult::noneAnswered).count();
        return new StepResult("ping-cross", "pings across tenants (same subnet)", blocked == pairs.size(),
                blocked + "/" + pairs.size() + " pairs isolated (" + a + " VLAN " + lab.network(a).segment()
                        + " vs " + b + " VLAN " + lab.network(b).segment() + ")",
                List.of(), Map.of("pairs", pairJson(pairs, answers)));
    }

    private List<LabPlane.PingResult> pingAll(List<LabVm[]> pairs, int count) {
        List<CompletableFuture<LabPlane.PingResult>> running = new ArrayList<>();
        for (LabVm[] pair : pairs) {
            running.add(CompletableFuture.supplyAsync(() -> lab.plane().ping(pair[0], pair[1], count)));
        }
        return running.stream().map(CompletableFuture::join).toList();
    }

    private static List<Map<String, Object>> pairJson(List<LabVm[]> pairs, List<LabPlane.PingResult> answers) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", pairs.get(i)[0].name());
            m.put("to", pairs.get(i)[1].name());
            m.put("sent", answers.get(i).sent());
            m.put("received", answers.get(i).received());
            list.add(m);
        }
        return list;
    }

    private StepResult transfer(NetworkId network) {
        List<LabVm> vms = lab.vmsOf(network);
        LabVm from = vms.get(0);
        LabVm to = vms.stream().filter(vm -> !vm.host().equals(from.host())).findFirst().orElse(vms.get(1));
        LabPlane.TransferResult r = lab.plane().transfer(from, to);
        String detail = String.format(Locale.ROOT, "%s -> %s: %.1f MB at %.0f Mbit/s (%s; limit %s)", from.name(),
                to.name(), r.bytes() / 1e6, r.bitsPerSecond() / 1e6, r.tool(), LabFabric.MAX_RATE);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("from", from.name());
        data.put("to", to.name());
        data.put("bytes", r.bytes());
        data.put("bitsPerSecond", Math.round(r.bitsPerSecond()));
        data.put("tool", r.tool());
        return new StepResult("tcp", "TCP transfer within " + network, r.bytes() > 0, detail, List.of(), data);
    }

    private StepResult counters() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-6s %-4s %10s %12s %10s %12s %8s", "VM", "HOST", "RX PKTS", "RX BYTES",
                "TX PKTS", "TX BYTES", "DROPS"));
        Map<String, Object> data = new LinkedHashMap<>();
        int active = 0;
        lab.plane().awaitCounters();
        for (LabVm vm : lab.vms()) {
            VnicStats s = lab.fabric().stats(vm.vnic());
            lines.add(String.format(Locale.ROOT, "%-6s %-4s %10d %12d %10d %12d %8d", vm.name(), vm.host(),
                    s.rxPackets(), s.rxBytes(), s.txPackets(), s.txBytes(), s.rxDrops() + s.txDrops()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rxPackets", s.rxPackets());
            m.put("rxBytes", s.rxBytes());
            m.put("txPackets", s.txPackets());
            m.put("txBytes", s.txBytes());
            m.put("drops", s.rxDrops() + s.txDrops());
            data.put(vm.name(), m);
            if (s.rxPackets() > 0 && s.txPackets() > 0) {
                active++;
            }
        }
        int total = lab.vms().size();
        return new StepResult("counters", "per-vNIC counters (Fabric.stats)", active == total,
                active + "/" + total + " vNICs sent and received", lines, Map.of("vnics", data));
    }

    private StepResult mirror(NetworkId network) {
        List<LabVm> vms = lab.vmsOf(network);
        LabVm vm = vms.get(0);
        long frames = lab.plane().mirror(vm, lab.vnic(vm), vms.get(1), pcap);
        Boolean readable = TsharkCheck.readsFrames(pcap, frames);
        String check = readable == null ? "tshark not installed" : readable ? "tshark -r reads it" : "tshark -r FAILED";
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("vm", vm.name());
        data.put("pcap", pcap.toString());
        data.put("frames", frames);
        data.put("tshark", readable == null ? "absent" : readable ? "ok" : "failed");
        return new StepResult("mirror", "mirror of " + vm.name() + " to a pcap file",
                frames > 0 && !Boolean.FALSE.equals(readable), frames + " frames -> " + pcap + " (" + check + ")",
                List.of(), data);
    }

    private StepResult migrate(NetworkId network) {
        List<LabVm> vms = lab.vmsOf(network);
        LabVm mover = vms.get(0);
        HostId target = lab.hosts().get((lab.hosts().indexOf(mover.host()) + 1) % lab.hosts().size());
        // The pinger stays on the mover's first host when it can, so that the path changes from local to the uplink.
        LabVm pinger = vms.stream().skip(1).filter(vm -> vm.host().equals(mover.host())).findFirst()
                .orElse(vms.get(1));
        MigrationPlan plan = lab.fabric().planMigration(mover.vnic(), target);
        LabVm[] after = new LabVm[1];
        long start = System.nanoTime();
        long[] moveNanos = new long[1];
        LabPlane.PingResult during = lab.plane().pingDuring(pinger, mover, () -> {
            long t0 = System.nanoTime();
            after[0] = lab.migrate(mover, target);
            moveNanos[0] = System.nanoTime() - t0;
            return after[0];
        });
        LabPlane.PingResult afterwards = lab.plane().ping(pinger, after[0], PINGS);
        boolean ok = after[0].host().equals(target) && lab.vnic(after[0]).host().equals(target)
                && !afterwards.noneAnswered() && during.received() > 0;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("vm", mover.name());
        data.put("from", mover.host().value());
        data.put("to", target.value());
        data.put("netns", after[0].netns());
        data.put("pinger", pinger.name());
        data.put("sent", during.sent());
        data.put("received", during.received());
        data.put("lost", during.lost());
        data.put("answeredAfter", !afterwards.noneAnswered());
        data.put("moveMillis", moveNanos[0] / 1_000_000);
        String detail = String.format(Locale.ROOT, "%s %s -> %s in %d ms; ping from %s: %d sent, %d lost; answers "
                        + "after the move: %s", mover.name(), mover.host(), target, moveNanos[0] / 1_000_000,
                pinger.name(), during.sent(), during.lost(), afterwards.noneAnswered() ? "NO" : "yes");
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        return new StepResult("migrate", "live migration of " + mover.name() + " with a ping running", ok, detail,
                List.of("plan: " + plan.reason() + " (" + elapsed + " ms with the ping)"), data);
    }

    private StepResult drift(NetworkId a, NetworkId b) {
        LabVm victim = lab.vmsOf(a).get(1);
        int wrongVlan = lab.network(b).segment();
        DriftReport before = lab.fabric().driftReport();
        lab.plane().tamper(lab.vnic(victim), wrongVlan);
        DriftReport found = lab.fabric().driftReport();
        List<String> actions = lab.fabric().repair(found);
        DriftReport after = lab.fabric().driftReport();
        boolean caught = found.drifts().stream().anyMatch(d -> d.vnic().map(victim.vnic()::equals).orElse(false)
                && d.kind() == Drift.Kind.MISMATCH);
        List<String> lines = new ArrayList<>();
        lines.add("changed by hand: " + victim.name() + "'s port put in VLAN " + wrongVlan + " (" + b + ")");
        found.drifts().forEach(d -> lines.add("found:    " + d.toText()));
        actions.forEach(action -> lines.add("repaired: " + action));
        lines.add("after repair: " + (after.isClean() ? "no drift" : after.drifts().size() + " difference(s) left"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("vm", victim.name());
        data.put("cleanBefore", before.isClean());
        data.put("found", found.drifts().stream().map(Drift::toText).toList());
        data.put("repaired", actions);
        data.put("cleanAfter", after.isClean());
        return new StepResult("drift", "drift report, one port changed by hand",
                before.isClean() && caught && after.isClean(), found.drifts().size() + " found, "
                        + actions.size() + " repaired, " + (after.isClean() ? "clean after repair" : "NOT clean"),
                lines, data);
    }

    private StepResult oversubscription() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-4s %-8s %-8s %5s %12s %12s %6s  %s", "HOST", "UPLINK", "SPEED",
                "VNICS", "GUARANTEED", "LIMIT SUM", "RATIO", "STATUS"));
        List<Map<String, Object>> data = new ArrayList<>();
        int over = 0;
        for (UplinkLoad u : lab.fabric().oversubscriptionReport().uplinks()) {
            lines.add(String.format(Locale.ROOT, "%-4s %-8s %-8s %5d %12s %12s %5.2f:1  %s", u.host(), u.uplink(),
                    u.speed(), u.vnics(), u.guaranteed(), u.limit(), u.limitRatio(), u.status()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", u.host().value());
            m.put("uplink", u.uplink());
            m.put("speedBps", u.speed().bitsPerSecond());
            m.put("vnics", u.vnics());
            m.put("guaranteedBps", u.guaranteed().bitsPerSecond());
            m.put("limitBps", u.limit().bitsPerSecond());
            m.put("ratio", Math.round(u.limitRatio() * 100) / 100.0);
            m.put("status", u.status().name());
            data.add(m);
            if (u.status() != UplinkLoad.Status.OK) {
                over++;
            }
        }
        return new StepResult("oversub", "oversubscription per uplink", true, data.size() + " uplinks, " + over
                + " oversubscribed (policy: limit sum up to 4:1 of the link)", lines, Map.of("uplinks", data));
    }

    private List<NetworkId> networks() {
        return lab.vms().stream().map(LabVm::network).distinct().toList();
    }
}
