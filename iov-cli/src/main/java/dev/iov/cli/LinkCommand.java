package dev.iov.cli;

import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.LinkStats;
import dev.iov.linux.netlink.Rtnetlink;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Command;

/** {@code iov link}: network interfaces as the kernel reports them over rtnetlink. */
@Command(
        name = "link",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Network interfaces of this network namespace, read over rtnetlink (no 'ip' is run).",
        subcommands = {LinkCommand.ListCommand.class},
        footer = {"", "Example:", "  iov link list"})
final class LinkCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: list");
    }

    /** {@code iov link list}. */
    @Command(name = "list", description = "List links: index, name, kind, MAC, MTU, state, master, link netns id "
            + "and 64-bit counters.",
            footer = {"", "Examples:", "  iov link list", "  ip netns exec iov-lab-vm1 iov link list --json"})
    static final class ListCommand extends IovSubcommand {

        @Override
        protected CommandOutput execute() {
            try (Rtnetlink rtnetlink = Rtnetlink.open()) {
                return new Links(rtnetlink.links());
            }
        }
    }

    /** The listing, as a table or as {@code {"links":[…]}}. */
    record Links(List<LinkInfo> links) implements CommandOutput {

        @Override
        public Object toJson() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (LinkInfo link : links) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", link.index());
                row.put("name", link.name().value());
                row.put("kind", link.kind().orElse(null));
                row.put("mac", link.macAddress().map(Object::toString).orElse(null));
                row.put("mtu", link.mtu());
                row.put("operstate", link.operState().name());
                row.put("up", link.up());
                row.put("master", orNull(link.masterIndex()));
                row.put("linkNetnsId", orNull(link.linkNetnsId()));
                row.put("stats", link.stats().map(Links::stats).orElse(null));
                rows.add(row);
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("links", rows);
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            String format = "%5s  %-15s  %-8s  %-17s  %5s  %-8s  %6s  %5s  %14s  %14s%n";
            out.printf(format, "INDEX", "NAME", "KIND", "MAC", "MTU", "STATE", "MASTER", "NSID", "RX BYTES",
                    "TX BYTES");
            for (LinkInfo link : links) {
                Optional<LinkStats> stats = link.stats();
                out.printf(format, link.index(), link.name(), link.kind().orElse("-"),
                        link.macAddress().map(Object::toString).orElse("-"), link.mtu(), link.operState(),
                        text(link.masterIndex()), text(link.linkNetnsId()),
                        stats.map(s -> Long.toString(s.rxBytes())).orElse("-"),
                        stats.map(s -> Long.toString(s.txBytes())).orElse("-"));
            }
        }

        private static Map<String, Object> stats(LinkStats s) {
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("rxPackets", s.rxPackets());
            stats.put("rxBytes", s.rxBytes());
            stats.put("rxErrors", s.rxErrors());
            stats.put("txPackets", s.txPackets());
            stats.put("txBytes", s.txBytes());
            stats.put("txErrors", s.txErrors());
            return stats;
        }

        private static Integer orNull(OptionalInt value) {
            return value.isPresent() ? value.getAsInt() : null;
        }

        private static String text(OptionalInt value) {
            return value.isPresent() ? Integer.toString(value.getAsInt()) : "-";
        }
    }
}
