package dev.iov.cli;

import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import dev.iov.ethernet.port.PortDevice;
import dev.iov.ethernet.port.PortStats;
import dev.iov.ethernet.port.SwitchEngine;
import dev.iov.ethernet.switching.DropReason;
import dev.iov.ethernet.switching.MirrorConfig;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.Rtnetlink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iov switch}: iov's own software switch (the embedded Java data plane) on existing links. */
@Command(
        name = "switch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "iov's software switch (MAC learning, VLANs as OVS does them) on existing links.",
        subcommands = {SwitchCommand.RunCommand.class},
        footer = {"", "Example:", "  iov switch run --port veth1:access=10 --port veth2:access=10 --port up0:trunk"})
final class SwitchCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: run");
    }

    /** {@code iov switch run}. */
    @Command(name = "run",
            description = {"Run the switch in the foreground with one port per --port (an AF_PACKET socket on an "
                    + "existing link, which must be up to pass traffic) until SIGINT (Ctrl-C) or SIGTERM, then print "
                    + "each port's counters and exit 0.",
                "A port is NAME (a trunk of every VLAN, untagged traffic included: a plain learning bridge), "
                        + "NAME:access=VLAN (untagged on the wire, VLAN inside the switch), NAME:trunk, or "
                        + "NAME:trunk=VLAN[,VLAN|FROM-TO]... (802.1Q-tagged VLANs only). Every option is checked, "
                        + "and the links looked up, before anything is opened. A progress line goes to stderr once "
                        + "the switch runs.",
                "A background job of a non-interactive shell ('iov switch run ... &' in a script) starts with SIGINT "
                        + "ignored, as every program does: stop it with SIGTERM ('kill PID')."},
            footer = {"", "Examples:", "  iov switch run --port veth-a --port veth-b",
                "  iov switch run --netns iov-sw --port s-a:access=10 --port s-b:trunk=10,20",
                "  iov switch run --port veth-a --port veth-b --pcap /tmp/sw.pcap --json"})
    static final class RunCommand extends IovSubcommand {

        private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
        /** {@code IFF_LOOPBACK}: a packet socket on loopback sees its own frames again; never a switch port. */
        private static final int IFF_LOOPBACK = 0x8;
        private static final int MAX_PORTS = 64;

        @Option(names = "--port", required = true, paramLabel = "NAME[:access=VLAN|:trunk[=VLANS]]",
                description = "A switch port on an existing link; repeat for each port (2 to 64).")
        List<String> ports;

        @Option(names = "--pcap", paramLabel = "FILE",
                description = "Mirror every frame the switch receives to FILE (pcap, readable by tshark -r). "
                        + "Written to a temporary file next to it, which replaces FILE when the switch stops "
                        + "(a new FILE is readable by its owner only); a failed run leaves FILE as it was.")
        Path pcap;

        @Option(names = "--netns", paramLabel = "NAME",
                description = "Open the ports in this named network namespace (as 'ip netns' lists it) instead of "
                        + "the caller's; it is never changed or deleted.")
        String netns;

        /** What ends the run; tests replace it. */
        StopSignal stop = StopSignal.interruptOrTerminate();

        @Override
        protected CommandOutput execute() throws Exception {
            List<SwitchPortOption> options = portOptions();
            Path pcapTarget = pcap == null ? null : UserFiles.checkOutput("--pcap", pcap);
            if (netns != null && !NetworkNamespace.exists(netns)) {
                throw new UserInputException("--netns '" + netns + "': no such network namespace");
            }
            NetworkNamespace namespace = netns == null ? null : NetworkNamespace.open(netns);
            try {
                Map<String, LinkInfo> links = links(namespace);
                for (SwitchPortOption option : options) {
                    LinkInfo link = links.get(option.name().value());
                    if (link == null) {
                        throw new UserInputException("--port '" + option.text() + "': no link '" + option.name()
                                + "' in " + where());
                    }
                    if ((link.flags() & IFF_LOOPBACK) != 0) {
                        throw new UserInputException("--port '" + option.text() + "': '" + option.name()
                                + "' is a loopback device, which cannot be a switch port");
                    }
                    if (!link.up()) {
                        err().println("iov: warning: link '" + option.name() + "' in " + where()
                                + " is down; its port passes no traffic until it is up");
                    }
                }
                return run(options, namespace, pcapTarget);
            } finally {
                if (namespace != null) {
                    namespace.close();
                }
            }
        }

        private List<SwitchPortOption> portOptions() {
            List<SwitchPortOption> options = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (String text : ports) {
                SwitchPortOption option = SwitchPortOption.parse(text);
                if (!names.add(option.name().value())) {
                    throw new UserInputException("--port '" + text + "': link '" + option.name()
                            + "' is given twice");
                }
                options.add(option);
            }
            if (options.size() < 2) {
                throw new UserInputException("--port '" + ports.get(0) + "' is the only port; a switch needs at "
                        + "least 2");
            }
            if (options.size() > MAX_PORTS) {
                throw new UserInputException("--port: " + options.size() + " ports given, at most " + MAX_PORTS);
            }
            return options;
        }

        private Map<String, LinkInfo> links(NetworkNamespace namespace) {
            try (Rtnetlink rtnetlink = namespace == null ? Rtnetlink.open() : Rtnetlink.open(namespace)) {
                Map<String, LinkInfo> links = new LinkedHashMap<>();
                rtnetlink.links().forEach(l -> links.put(l.name().value(), l));
                return links;
            }
        }

        private String where() {
            return netns == null ? "this network namespace" : "network namespace '" + netns + "'";
        }

        private CommandOutput run(List<SwitchPortOption> options, NetworkNamespace namespace, Path pcapTarget)
                throws Exception {
            try (AtomicOutputFile pcapFile = pcapTarget == null ? null : AtomicOutputFile.create(pcapTarget)) {
                return run(options, namespace, pcapFile);
            }
        }

        private CommandOutput run(List<SwitchPortOption> options, NetworkNamespace namespace,
                AtomicOutputFile pcapFile) throws Exception {
            PcapWriter writer = pcapFile == null ? null
                    : PcapWriter.open(pcapFile.temp(), TimestampPrecision.NANOSECONDS);
            try (SwitchEngine engine = SwitchEngine.builder("cli").maxPorts(options.size()).start()) {
                if (writer != null) {
                    // Before the ports: a frame that arrives as soon as its port is added (an interface coming up
                    // sends some at once) is mirrored like every other.
                    engine.addMirror(MirrorConfig.builder("pcap").selectAll().outputPcap(writer).build());
                }
                for (SwitchPortOption option : options) {
                    String name = option.name().value();
                    // virtio-net headers: TCP segmentation-offload frames cross whole, so peers keep TSO on.
                    PacketSocket socket = namespace == null ? PacketSocket.open(name, true)
                            : PacketSocket.open(name, true, namespace);
                    try {
                        engine.addPort(PortDevice.packet(socket), option.config());
                    } catch (RuntimeException e) {
                        socket.close();
                        throw e;
                    }
                }
                err().println("iov: switch running on " + options.stream()
                        .map(o -> o.name() + " (" + o.describe() + ")").collect(Collectors.joining(", "))
                        + (netns == null ? "" : " in network namespace '" + netns + "'")
                        + (pcap == null ? "" : ", mirroring to " + pcap)
                        + "; stop with Ctrl-C or SIGTERM");
                err().flush();
                String stoppedBy = stop.await(engine::isRunning);
                if (stoppedBy == null) {
                    throw new IllegalStateException("the switch's forwarding thread stopped unexpectedly (run with "
                            + "--debug for details)");
                }
                LOG.debug("switch stopped by {}", stoppedBy);
                // Counters read after forwarding ended agree with the frames the mirror wrote.
                engine.stop();
                List<PortCounters> counters = new ArrayList<>();
                for (int port = 0; port < options.size(); port++) {
                    counters.add(new PortCounters(options.get(port), engine.stats(port)));
                }
                engine.close();
                Optional<Long> framesWritten = Optional.empty();
                if (writer != null) {
                    writer.close();
                    pcapFile.commit();
                    framesWritten = Optional.of(writer.framesWritten());
                }
                return new Counters(stoppedBy, Optional.ofNullable(netns), Optional.ofNullable(pcap), framesWritten,
                        counters);
            } finally {
                if (writer != null) {
                    closeQuietly(writer);
                }
            }
        }

        private static void closeQuietly(PcapWriter writer) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warn("closing the pcap file failed: {}", e.toString());
            }
        }
    }

    /**
     * One port's counters at the end of a run.
     *
     * @param option the port as given
     * @param stats its counters
     */
    record PortCounters(SwitchPortOption option, PortStats stats) {
        PortCounters {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(stats, "stats");
        }
    }

    /**
     * The result of {@code iov switch run}: per-port counters as a table, or as
     * {@code {"stoppedBy":…,"netns":…,"pcap":…,"pcapFrames":…,"ports":[…]}}.
     *
     * @param stoppedBy what ended the run, e.g. {@code SIGINT}
     * @param netns the namespace of the ports, if not the caller's
     * @param pcap the mirror file, if any
     * @param pcapFrames frames written to it
     * @param ports the ports in the order given
     */
    record Counters(String stoppedBy, Optional<String> netns, Optional<Path> pcap, Optional<Long> pcapFrames,
            List<PortCounters> ports) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("stoppedBy", stoppedBy);
            document.put("netns", netns.orElse(null));
            document.put("pcap", pcap.map(Path::toString).orElse(null));
            document.put("pcapFrames", pcapFrames.orElse(null));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PortCounters port : ports) {
                PortStats s = port.stats();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", port.option().name().value());
                row.put("vlan", port.option().describe());
                row.put("rxPackets", s.rxPackets());
                row.put("rxBytes", s.rxBytes());
                row.put("txPackets", s.txPackets());
                row.put("txBytes", s.txBytes());
                row.put("txBusy", s.txBusy());
                row.put("txErrors", s.txErrors());
                row.put("rxErrors", s.rxErrors());
                Map<String, Object> drops = new LinkedHashMap<>();
                for (DropReason reason : DropReason.values()) {
                    drops.put(reason.name(), s.drops(reason));
                }
                row.put("drops", drops);
                rows.add(row);
            }
            document.put("ports", rows);
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.println("switch stopped by " + stoppedBy + netns.map(n -> " (network namespace " + n + ")").orElse("")
                    + pcap.map(p -> "; " + pcapFrames.orElse(0L) + " frames mirrored to " + p).orElse(""));
            String format = "%-15s  %-14s  %10s  %12s  %10s  %12s  %7s  %8s  %8s  %6s%n";
            out.printf(format, "PORT", "VLAN", "RX PKTS", "RX BYTES", "TX PKTS", "TX BYTES", "TX BUSY", "TX ERRS",
                    "RX ERRS", "DROPS");
            for (PortCounters port : ports) {
                PortStats s = port.stats();
                out.printf(format, port.option().name(), port.option().describe(), s.rxPackets(), s.rxBytes(),
                        s.txPackets(), s.txBytes(), s.txBusy(), s.txErrors(), s.rxErrors(), s.totalDrops());
            }
        }
    }
}
