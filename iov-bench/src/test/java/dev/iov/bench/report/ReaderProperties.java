package dev.iov.bench.report;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a result file holds, the readers either read it or throw their documented {@link ReportException}; any
 * other exception fails the property.
 */
class ReaderProperties {

    @Property
    void anyTextGivesResultsOrAReportException(@ForAll String text) {
        try {
            JmhResultReader.read("random", text);
        } catch (ReportException expected) {
            // documented
        }
    }

    @Property
    void anyJmhShapedEntryGivesAResultOrAReportException(@ForAll String name, @ForAll String value,
            @ForAll double score) {
        String json = "[{\"benchmark\":" + quote(value) + ",\"mode\":\"avgt\",\"params\":{" + quote(name) + ":"
                + quote(value) + "},\"primaryMetric\":{\"score\":" + (Double.isFinite(score) ? score : "\"NaN\"")
                + ",\"scoreUnit\":" + quote(name) + ",\"scorePercentiles\":{" + quote(name) + ":1}}}]";
        try {
            JmhResultReader.read("random", json);
        } catch (ReportException expected) {
            // documented: e.g. a percentile key that is not a number
        }
    }

    @Property
    void anyTextGivesPeerResultsOrAReportException(@ForAll String text) {
        try {
            PeerResultReader.readRteSoftrss("random", text);
        } catch (ReportException expected) {
            // documented
        }
        try {
            PeerResultReader.readE2e("random", text);
        } catch (ReportException expected) {
            // documented
        }
    }

    @Property
    void anyClusterEntryIsReadAndReportedOrGivesAReportException(@ForAll("stores") String store, @ForAll int nodes,
            @ForAll String selection, @ForAll int vnics, @ForAll double throughput) {
        String json = "[{\"benchmark\":\"dev.iov.bench.cluster.ClusterProvisioning.provision\",\"mode\":\"sample\","
                + "\"params\":{\"store\":" + quote(store) + ",\"nodes\":" + quote(Integer.toString(nodes)) + ",\"selection\":"
                + quote(selection) + ",\"vnics\":" + quote(Integer.toString(vnics)) + "},\"primaryMetric\":{\"score\":1,"
                + "\"scoreUnit\":\"ms/op\"},\"secondaryMetrics\":{\"throughput\":{\"score\":"
                + (Double.isFinite(throughput) ? throughput : "\"NaN\"") + ",\"scoreUnit\":\"ops/s\"}}}]";
        Results results;
        try {
            results = new Results(ClusterResultReader.read("random", json));
        } catch (ReportException expected) {
            return; // documented
        }
        // What the reader accepts, the area reports without failing.
        ClusterArea.build(results);
    }

    @Provide
    Arbitrary<String> stores() {
        return Arbitraries.oneOf(Arbitraries.of("journal", "zookeeper"), Arbitraries.strings());
    }

    @Property
    void anyTextGivesClusterResultsOrAReportException(@ForAll String text) {
        try {
            ClusterResultReader.read("random", text);
        } catch (ReportException expected) {
            // documented
        }
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
