package dev.iov.infiniband.partition;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedPartitionsFileProperties {

    @Property(tries = 60)
    void everyByteOutsideTheBlockSurvivesAndTheBlockReadsBack(@ForAll("adminText") String head,
            @ForAll("adminText") String tail, @ForAll("iovConfigs") PartitionConfig first,
            @ForAll("iovConfigs") PartitionConfig second) throws IOException {
        Path dir = Files.createTempDirectory("iov-partitions");
        try {
            Path conf = dir.resolve("partitions.conf");
            Files.writeString(conf, head + ManagedPartitionsFile.BEGIN + "\nOld=0x0abc : ALL ;\n"
                    + ManagedPartitionsFile.END + "\n" + tail);
            ManagedPartitionsFile managed = ManagedPartitionsFile.of(conf);
            for (PartitionConfig config : List.of(first, second)) {
                managed.write(config);
                assertThat(Files.readString(conf)).isEqualTo(head + ManagedPartitionsFile.BEGIN + "\n"
                        + PartitionConfigWriter.write(config) + ManagedPartitionsFile.END + "\n" + tail);
                assertThat(managed.read()).isEqualTo(config);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).containsExactly(conf);
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** Comments with any characters but a newline, blank lines, and the administrator's own partitions. */
    @Provide
    Arbitrary<String> adminText() {
        Arbitrary<String> comment = Arbitraries.strings().excludeChars('\n').ofMaxLength(40).map(s -> "#" + s);
        Arbitrary<String> blank = Arbitraries.strings().withChars(" \t").ofMaxLength(4);
        Arbitrary<String> definition = Arbitraries.integers().between(0x7000, 0x70ff)
                .map(k -> String.format("Admin%d = 0x%04x , ipoib : ALL=full, SELF ; # theirs", k, k));
        return Arbitraries.oneOf(comment, blank, definition).list().ofMaxSize(5)
                .map(lines -> lines.stream().map(l -> l + "\n").reduce("", String::concat))
                .filter(text -> text.lines().noneMatch(l -> l.equals(ManagedPartitionsFile.BEGIN)
                        || l.equals(ManagedPartitionsFile.END)));
    }

    @Provide
    Arbitrary<PartitionConfig> iovConfigs() {
        return new PartitionConfigProperties().configs().filter(c -> c.partitions().stream()
                .noneMatch(p -> p.pkey().partition() >= 0x7000 && p.pkey().partition() <= 0x70ff));
    }
}
