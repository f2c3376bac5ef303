package dev.iov.bench.report;

import java.util.List;
import java.util.Set;

/**
 * Reads {@code ClusterProvisioning --json}: JMH's JSON shape (read by {@link JmhResultReader}), with the parameters
 * and metrics {@link ClusterArea} relies on checked here, where the file's name is still known.
 */
public final class ClusterResultReader {
    /** The file report.sh writes the results to, in the raw directory. */
    public static final String FILE = "cluster-provisioning.json";
    private static final Set<String> STORES = Set.of("journal", "zookeeper");

    private ClusterResultReader() {
    }

    /**
     * @param source where the text came from, for messages
     * @param json the file's text
     * @return the results, in file order
     * @throws ReportException when the text is not JMH's JSON or an entry lacks what the report needs, naming the
     *     source, the entry and the field
     */
    public static List<Result> read(String source, String json) {
        List<Result> results = JmhResultReader.read(source, json);
        for (int i = 0; i < results.size(); i++) {
            check(source + " entry " + i + " (" + results.get(i).benchmark() + ")", results.get(i));
        }
        return results;
    }

    private static void check(String where, Result r) {
        if (!r.className().equals(ClusterArea.BENCH)) {
            throw new ReportException(where + ": expected a " + ClusterArea.BENCH + " result");
        }
        String store = r.param("store");
        if (!STORES.contains(store)) {
            throw new ReportException(where + ": parameter 'store' must be one of " + STORES + ", got "
                    + (store == null ? "nothing" : "'" + store + "'"));
        }
        positive(where, r, "nodes");
        positive(where, r, "vnics");
        if (r.param("selection") == null) {
            throw new ReportException(where + ": parameter 'selection' is missing");
        }
        if (r.secondary("throughput").isEmpty()) {
            throw new ReportException(where + ": secondary metric 'throughput' is missing");
        }
    }

    private static void positive(String where, Result r, String name) {
        String value = r.param(name);
        int number;
        try {
            number = value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number <= 0) {
            throw new ReportException(where + ": parameter '" + name + "' must be a positive number, got "
                    + (value == null ? "nothing" : "'" + value + "'"));
        }
    }
}
