package dev.iov.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The small result files the report tests share (src/test/resources/dev/iov/bench/report). */
final class Fixtures {
    static final String JMH = "jmh-fixture.json";
    static final String FABRIC = "fabric-fixture.json";
    static final String RSS_PEER = "rss-peer.txt";
    static final String E2E = "e2e.txt";
    static final String CLUSTER = ClusterResultReader.FILE;
    static final Machine MACHINE = new Machine("Test CPU <x86>", 2, "4.0 GiB", "6.1.0-test", "Debian", "OpenJDK 17");

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every fixture result, as the generator reads them from a raw directory */
    static Results all() {
        List<Result> results = new ArrayList<>();
        results.addAll(JmhResultReader.read(JMH, text(JMH)));
        results.addAll(JmhResultReader.read(FABRIC, text(FABRIC)));
        results.addAll(PeerResultReader.readRteSoftrss(RSS_PEER, text(RSS_PEER)));
        results.addAll(PeerResultReader.readE2e(E2E, text(E2E)));
        results.addAll(ClusterResultReader.read(CLUSTER, text(CLUSTER)));
        return new Results(results);
    }

    /** Copies the fixtures into a raw-results directory as report.sh lays it out. */
    static void writeRawDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of(JMH, FABRIC, RSS_PEER, E2E, CLUSTER)) {
            Files.writeString(dir.resolve(name), text(name));
        }
        Files.writeString(dir.resolve("notes.txt"), "NetlinkBench and PacketSendBench skipped: they need root\n");
    }
}
