package dev.iov.bench.report;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

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
