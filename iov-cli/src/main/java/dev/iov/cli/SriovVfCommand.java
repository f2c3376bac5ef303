package dev.iov.cli;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VfStats;
import dev.iov.linux.netlink.VlanProtocol;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code iov sriov vf}: a PF's VF settings over rtnetlink, as {@code ip link set PF vf N ...} and {@code show}. */
@Command(name = "vf", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "VF settings kept by the PF driver (MAC, VLAN, rates, spoof checking, trust, "
        + "link state), over rtnetlink in this network namespace.",
        subcommands = {SriovVfCommand.SetCommand.class, SriovVfCommand.ShowCommand.class},
        footer = {"", "Example:", "  iov sriov vf show ens1f0"})
final class SriovVfCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: set, show");
    }

    /** {@code iov sriov vf set}: one {@code RTM_SETLINK} with every given setting. */
    @Command(name = "set", description = {
        "Set VF settings on a PF in one netlink request, like 'ip link set PF_NETDEV vf N ...'. Every value is "
                + "checked before anything is sent.",
        "Giving only one of --min-rate/--max-rate keeps the other (read from the kernel first, as ip link does)."},
            footer = {"", "Examples:", "  iov sriov vf set ens1f0 --vf 0 --mac 02:00:00:00:00:01 --vlan 10",
                "  iov sriov vf set ens1f0 --vf 1 --max-rate 2000 --spoofchk on --trust off"})
    static final class SetCommand extends VfRequestCommand {

        @Option(names = "--mac", paramLabel = "MAC", description = "The VF's MAC, aa:bb:cc:dd:ee:ff (unicast, not "
                + "all-zero).")
        String mac;

        @Option(names = "--vlan", paramLabel = "ID", description = "VLAN 1-4094 the PF tags the VF's traffic with; "
                + "0 takes the VF out of any VLAN (as ip link).")
        String vlan;

        @Option(names = "--qos", paramLabel = "Q", description = "802.1p priority 0-7 of --vlan.")
        String qos;

        @Option(names = "--proto", paramLabel = "PROTO", description = "Tag protocol of --vlan: 802.1Q (default) "
                + "or 802.1ad.")
        String proto;

        @Option(names = "--min-rate", paramLabel = "MBPS", description = "Guaranteed transmit rate, Mbit/s; 0 none.")
        String minRate;

        @Option(names = "--max-rate", paramLabel = "MBPS", description = "Transmit rate limit, Mbit/s; 0 none.")
        String maxRate;

        @Option(names = "--spoofchk", paramLabel = "on|off", description = "Source MAC/VLAN spoof checking.")
        String spoofCheck;

        @Option(names = "--trust", paramLabel = "on|off", description = "Trusted mode (the VF may change its MAC, "
                + "go promiscuous).")
        String trust;

        @Option(names = "--link-state", paramLabel = "STATE", description = "auto (follow the PF), enable or "
                + "disable.")
        VfLinkState linkState;

        @Override
        CommandOutput applied(InterfaceName pfName, VfConfig config) {
            return new Applied(pfName, config);
        }

        @Override
        VfConfig config() {
            VfConfig.Builder builder = forVf();
            if (mac != null) {
                builder.mac(parse("--mac", mac, text -> MacAddress.parse(text).requireAssignable("a VF")));
            }
            if (vlan == null) {
                if (qos != null || proto != null) {
                    throw new UserInputException((qos != null ? "--qos '" + qos : "--proto '" + proto)
                            + "' needs --vlan");
                }
            } else {
                int id = number("--vlan", vlan, 4095);
                int priority = qos == null ? 0 : number("--qos", qos, 7);
                VlanProtocol protocol = proto == null ? VlanProtocol.IEEE_802_1Q : protocol(proto);
                if (id == 0) {
                    if (priority != 0 || protocol != VlanProtocol.IEEE_802_1Q) {
                        throw new UserInputException("--vlan 0 takes the VF out of its VLAN; --qos and --proto "
                                + "need a VLAN 1-4094");
                    }
                    builder.noVlan();
                } else {
                    builder.vlan(parse("--vlan", vlan, VlanId::parse), priority, protocol);
                }
            }
            if (minRate != null) {
                builder.minTxRate(Bandwidth.ofMbps(number("--min-rate", minRate, 0xffff_ffffL)));
            }
            if (maxRate != null) {
                builder.maxTxRate(Bandwidth.ofMbps(number("--max-rate", maxRate, 0xffff_ffffL)));
            }
            if (spoofCheck != null) {
                builder.spoofCheck(onOff("--spoofchk", spoofCheck));
            }
            if (trust != null) {
                builder.trust(onOff("--trust", trust));
            }
            if (linkState != null) {
                builder.linkState(linkState);
            }
            if (mac == null && vlan == null && minRate == null && maxRate == null && spoofCheck == null
                    && trust == null && linkState == null) {
                throw new UserInputException("nothing to set for VF " + vf + ": give at least one of --mac, "
                        + "--vlan, --min-rate, --max-rate, --spoofchk, --trust, --link-state");
            }
            return builder.build();
        }

        private static <T> T parse(String option, String text, java.util.function.Function<String, T> parser) {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(option + ": " + e.getMessage(), e);
            }
        }

        /** A decimal number 0 to {@code max}, digits only. */
        private static int number(String option, String text, int max) {
            return (int) number(option, text, (long) max);
        }

        private static long number(String option, String text, long max) {
            if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new UserInputException(option + " '" + text + "' is not a decimal number 0-" + max);
            }
            long value = Long.parseLong(text);
            if (value > max) {
                throw new UserInputException(option + " '" + text + "' is out of range 0-" + max);
            }
            return value;
        }

        private static VlanProtocol protocol(String text) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "802.1q":
                    return VlanProtocol.IEEE_802_1Q;
                case "802.1ad":
                    return VlanProtocol.IEEE_802_1AD;
                default:
                    throw new UserInputException("--proto '" + text + "' is not 802.1Q or 802.1ad");
            }
        }

        private static boolean onOff(String option, String text) {
            switch (text) {
                case "on":
                    return true;
                case "off":
                    return false;
                default:
                    throw new UserInputException(option + " '" + text + "' is not 'on' or 'off'");
            }
        }
    }

    /** What was sent. */
    record Applied(InterfaceName pf, VfConfig config) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> set = new LinkedHashMap<>();
            config.mac().ifPresent(m -> set.put("mac", m.toString()));
            if (config.isVlanSet()) {
                set.put("vlan", config.vlan().map(VlanId::value).orElse(0));
                set.put("qos", config.qos());
                set.put("proto", protocolName(config.vlanProtocol()));
            }
            config.minTxRate().ifPresent(r -> set.put("minTxRateMbps", r.toMbps()));
            config.maxTxRate().ifPresent(r -> set.put("maxTxRateMbps", r.toMbps()));
            config.spoofCheck().ifPresent(b -> set.put("spoofchk", b));
            config.trust().ifPresent(b -> set.put("trust", b));
            config.linkState().ifPresent(s -> set.put("linkState", s.name().toLowerCase(Locale.ROOT)));
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pf", pf.value());
            document.put("vf", config.vf());
            document.put("set", set);
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.println(pf + " vf " + config.vf() + ": " + config);
        }
    }

    /** {@code iov sriov vf show}: the VFs as the PF reports them. */
    @Command(name = "show", description = "Show a PF's VFs as the kernel reports them (ip link show PF_NETDEV): "
            + "MAC, VLAN, QoS, protocol, rates, spoof checking, trust, link state and counters when the driver "
            + "reports them. Read-only.",
            footer = {"", "Example:", "  iov sriov vf show ens1f0 --json"})
    static final class ShowCommand extends IovSubcommand {

        @Parameters(paramLabel = "PF_NETDEV", description = "The PF's network interface, e.g. ens1f0.")
        String pf;

        @Override
        protected CommandOutput execute() {
            InterfaceName pfName = SriovCommand.interfaceName("PF_NETDEV", pf);
            try (Rtnetlink rtnetlink = Rtnetlink.open()) {
                return new Vfs(pfName, SriovCommand.onInterface("PF_NETDEV", pfName, () -> rtnetlink.vfs(pfName)));
            }
        }
    }

    /** The VFs of a PF, as a table or as {@code {"pf":…,"vfs":[…]}}. */
    record Vfs(InterfaceName pf, List<VfInfo> vfs) implements CommandOutput {

        @Override
        public Object toJson() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (VfInfo vf : vfs) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("vf", vf.vf());
                row.put("mac", vf.mac().map(Object::toString).orElse(null));
                row.put("vlan", vf.vlan().map(VlanId::value).orElse(null));
                row.put("qos", vf.qos());
                row.put("proto", protocolName(vf.vlanProtocol()));
                row.put("minTxRateMbps", vf.minTxRate().toMbps());
                row.put("maxTxRateMbps", vf.maxTxRate().toMbps());
                row.put("spoofchk", vf.spoofCheck().orElse(null));
                row.put("trust", vf.trusted().orElse(null));
                row.put("linkState", vf.linkState().name().toLowerCase(Locale.ROOT));
                row.put("nodeGuid", vf.nodeGuid().map(Object::toString).orElse(null));
                row.put("portGuid", vf.portGuid().map(Object::toString).orElse(null));
                row.put("stats", vf.stats().map(Vfs::stats).orElse(null));
                rows.add(row);
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pf", pf.value());
            document.put("vfs", rows);
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            if (vfs.isEmpty()) {
                out.println(pf + ": no VFs");
                return;
            }
            String format = "%3s  %-17s  %4s  %3s  %-7s  %8s  %8s  %8s  %5s  %-7s  %12s  %12s%n";
            out.printf(format, "VF", "MAC", "VLAN", "QOS", "PROTO", "MIN MBPS", "MAX MBPS", "SPOOFCHK", "TRUST",
                    "LINK", "RX BYTES", "TX BYTES");
            for (VfInfo vf : vfs) {
                out.printf(format, vf.vf(), vf.mac().map(Object::toString).orElse("-"),
                        vf.vlan().map(v -> Integer.toString(v.value())).orElse("-"), vf.qos(),
                        protocolName(vf.vlanProtocol()), vf.minTxRate().toMbps(), vf.maxTxRate().toMbps(),
                        vf.spoofCheck().map(b -> b ? "on" : "off").orElse("-"),
                        vf.trusted().map(b -> b ? "on" : "off").orElse("-"),
                        vf.linkState().name().toLowerCase(Locale.ROOT),
                        vf.stats().map(s -> Long.toString(s.rxBytes())).orElse("-"),
                        vf.stats().map(s -> Long.toString(s.txBytes())).orElse("-"));
            }
        }

        private static Map<String, Object> stats(VfStats s) {
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("rxPackets", s.rxPackets());
            stats.put("txPackets", s.txPackets());
            stats.put("rxBytes", s.rxBytes());
            stats.put("txBytes", s.txBytes());
            stats.put("broadcast", s.broadcast());
            stats.put("multicast", s.multicast());
            stats.put("rxDropped", s.rxDropped());
            stats.put("txDropped", s.txDropped());
            return stats;
        }
    }

    /** {@code 802.1Q} or {@code 802.1ad}, the spelling {@code --proto} takes. */
    static String protocolName(VlanProtocol protocol) {
        return protocol == VlanProtocol.IEEE_802_1AD ? "802.1ad" : "802.1Q";
    }
}
