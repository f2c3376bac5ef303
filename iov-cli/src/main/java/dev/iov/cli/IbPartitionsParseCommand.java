package dev.iov.cli;

import dev.iov.api.internal.io.BoundedReads;
import dev.iov.api.internal.io.InputTooLargeException;
import dev.iov.infiniband.partition.Partition;
import dev.iov.infiniband.partition.PartitionConfig;
import dev.iov.infiniband.partition.PartitionConfigParser;
import dev.iov.infiniband.partition.PartitionConfigWriter;
import dev.iov.infiniband.partition.PartitionFlags;
import dev.iov.infiniband.partition.PartitionMember;
import dev.iov.infiniband.partition.PartitionSyntaxException;
import dev.iov.infiniband.partition.PortGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code iov ib partitions parse FILE [--json | --format conf]}: reads a {@code partitions.conf} the way OpenSM does
 * (abbreviations, merging by P_Key with the first name kept, generated keys) and prints the partitions it defines.
 */
@Command(name = "parse", description = "Parse an OpenSM partitions.conf and print its partitions in order of first "
        + "appearance, merged by P_Key: a table, one JSON document (--json) or the file written back (--format conf).",
        footer = {"", "Examples:", "  iov ib partitions parse /etc/opensm/partitions.conf --json",
            "  iov ib partitions parse partitions.conf --format conf"})
final class IbPartitionsParseCommand extends IovSubcommand {

    @Parameters(paramLabel = "FILE", description = "The partitions.conf to read.")
    private Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "conf: print the partitions as a "
            + "partitions.conf that OpenSM reads to the same partitions.")
    private String format;

    @Override
    protected CommandOutput execute() {
        if (format != null && !format.equals("conf")) {
            throw new UserInputException("--format '" + format + "': the only format is conf");
        }
        if (format != null && json()) {
            throw new UserInputException("--format conf and --json cannot be combined");
        }
        UserFiles.checkInput("FILE", file);
        byte[] text;
        try {
            // As OpenSM reads it: bytes (comments in any encoding), and no more than the limit.
            text = BoundedReads.read(file, PartitionConfigParser.MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            throw new UserInputException("FILE '" + file + "' does not exist", e);
        } catch (InputTooLargeException e) {
            throw new UserInputException("FILE " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserInputException("FILE '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        PartitionConfig config;
        try {
            config = PartitionConfigParser.parse(text, file.toString());
        } catch (PartitionSyntaxException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        return format != null ? new Conf(config) : new Partitions(config);
    }

    /** The file written back. */
    record Conf(PartitionConfig config) implements CommandOutput {

        @Override
        public Object toJson() {
            throw new IllegalStateException("--format conf has no JSON form");
        }

        @Override
        public void printText(PrintWriter out) {
            out.print(PartitionConfigWriter.write(config));
        }
    }

    /** The partitions, as a table or as {@code {"partitions":[…]}}. */
    record Partitions(PartitionConfig config) implements CommandOutput {

        @Override
        public Object toJson() {
            List<Map<String, Object>> partitions = new ArrayList<>();
            for (Partition p : config.partitions()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", p.name());
                row.put("pkey", String.format("0x%04x", p.pkey().partition()));
                PartitionFlags f = p.flags();
                row.put("ipoib", f.ipoib());
                List<Map<String, Object>> members = new ArrayList<>();
                for (PartitionMember m : p.members()) {
                    Map<String, Object> member = new LinkedHashMap<>();
                    member.put("port", port(m));
                    member.put("membership", m.membership().word());
                    members.add(member);
                }
                row.put("members", members);
                // Flags OpenSM was given appear as extra fields, named as in the file.
                if (f.indx0()) {
                    row.put("indx0", true);
                }
                f.mtu().ifPresent(v -> row.put("mtu", v));
                f.rate().ifPresent(v -> row.put("rate", v));
                f.sl().ifPresent(v -> row.put("sl", v));
                if (!f.scopes().isEmpty()) {
                    row.put("scope", List.copyOf(f.scopes()));
                }
                f.qKey().ifPresent(v -> row.put("Q_Key", String.format("0x%08x", v)));
                f.tClass().ifPresent(v -> row.put("TClass", v));
                f.flowLabel().ifPresent(v -> row.put("FlowLabel", v));
                partitions.add(row);
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("partitions", partitions);
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            String format = "%-31s  %-6s  %-5s  %s%n";
            out.printf(format, "NAME", "PKEY", "IPOIB", "MEMBERS");
            for (Partition p : config.partitions()) {
                List<String> members = new ArrayList<>();
                for (PartitionMember m : p.members()) {
                    members.add(port(m) + "=" + m.membership().word());
                }
                out.printf(format, p.name(), String.format("0x%04x", p.pkey().partition()),
                        p.flags().ipoib() ? "yes" : "no", members.isEmpty() ? "-" : String.join(", ", members));
            }
        }

        private static String port(PartitionMember m) {
            return m.group().map(PortGroup::name)
                    .orElseGet(() -> String.format("0x%016x", m.guid().orElseThrow().toLong()));
        }
    }
}
