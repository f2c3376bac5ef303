package dev.iov.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the report from a directory of raw results:
 * <ul>
 *   <li>{@code *.json}: JMH's {@code -rf json} output (and FabricScaleBench's, same shape);
 *   <li>{@code cluster-provisioning.json}: {@code ClusterProvisioning --json}, same shape, its parameters checked;
 *   <li>{@code rss-peer.txt}: the output of {@code iov-bench/target/peers/rss_softrss};
 *   <li>{@code e2e.txt}: the output of {@code iov-bench/e2e.sh --json};
 *   <li>{@code notes.txt}: one remark per line, e.g. a benchmark skipped and why.
 * </ul>
 * Missing files are areas that did not run; the report says so.
 *
 * <pre>{@code java -cp iov-bench/target/benchmarks.jar dev.iov.bench.report.ReportGenerator \
 *     --in iov-bench/target/report/raw --out iov-bench/target/report [--label "report.sh --quick"]}</pre>
 */
public final class ReportGenerator {
    private ReportGenerator() {
    }

    /**
     * @param args {@code --in DIR --out DIR [--label TEXT]}
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path in = null;
        Path out = null;
        String label = "ReportGenerator";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--in" -> in = Path.of(required(args[i], value));
                case "--out" -> out = Path.of(required(args[i], value));
                case "--label" -> label = required(args[i], value);
                default -> usage("unknown argument '" + args[i] + "'");
            }
            i++;
        }
        if (in == null || out == null) {
            usage("--in and --out are required");
        }
        try {
            Report report = generate(in, out, Machine.detect(), label);
            long missed = report.summary().stream().filter(l -> l.verdict() == Verdict.MISSED).count();
            System.out.println("ReportGenerator: wrote " + out.resolve("index.html") + " and "
                    + out.resolve("report.md") + " (" + report.summary().size() + " goals, " + missed + " missed)");
        } catch (ReportException e) {
            System.err.println("ReportGenerator: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Reads the raw results and writes {@code index.html}, {@code report.md} and {@code charts/*.svg}.
     *
     * @param in the directory of raw results
     * @param out where the report goes; created if needed
     * @param machine the machine to describe
     * @param label how the report was made, for its header
     * @return the report written
     * @throws IOException when a file cannot be read or written
     * @throws ReportException when a result file is malformed
     */
    public static Report generate(Path in, Path out, Machine machine, String label) throws IOException {
        List<Result> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(in)) {
            files = listing.sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (name.equals(ClusterResultReader.FILE)) {
                results.addAll(ClusterResultReader.read(file.toString(), text));
            } else if (name.endsWith(".json")) {
                results.addAll(JmhResultReader.read(file.toString(), text));
            } else if (name.equals("rss-peer.txt")) {
                results.addAll(PeerResultReader.readRteSoftrss(file.toString(), text));
            } else if (name.equals("e2e.txt")) {
                results.addAll(PeerResultReader.readE2e(file.toString(), text));
            } else if (name.equals("notes.txt")) {
                text.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(notes::add);
            }
        }
        String generated = "Generated " + ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")) + " by " + label + " from "
                + results.size() + " results.";
        Report report = ReportBuilder.build(new Results(results), machine, generated, notes);
        Files.createDirectories(out.resolve("charts"));
        Files.writeString(out.resolve("index.html"), HtmlReportWriter.write(report), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("report.md"), MarkdownReportWriter.write(report), StandardCharsets.UTF_8);
        for (Section section : report.sections()) {
            for (Chart chart : section.charts()) {
                Files.writeString(out.resolve("charts").resolve(chart.file()), chart.svg(), StandardCharsets.UTF_8);
            }
        }
        return report;
    }

    private static String required(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("ReportGenerator: " + problem + "; usage: --in RAW_DIR --out REPORT_DIR [--label TEXT]");
        System.exit(2);
    }
}
