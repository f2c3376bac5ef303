package dev.iov.linux.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterProperty;

class SysfsProperties {
    private final Path root;

    SysfsProperties() throws IOException {
        root = Files.createTempDirectory("iov-sysfs");
    }

    @AfterProperty
    void cleanUp() throws IOException {
        try (var files = Files.list(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(root);
    }

    @Property(tries = 300)
    void typedReadsOfAnyContentReturnOrThrowSysfsException(@ForAll byte[] content) throws IOException {
        Files.write(root.resolve("attr"), content);
        Sysfs sysfs = Sysfs.at(root);
        for (Runnable read : new Runnable[] {
            () -> sysfs.readInt("attr"), () -> sysfs.readHex("attr"), () -> sysfs.readNumberedState("attr")}) {
            try {
                read.run();
            } catch (SysfsException expected) {
                assertThat(expected).hasMessageContaining("attr");
            }
        }
    }

    @Property(tries = 300)
    void hexReadsRoundTrip(@ForAll long value) throws IOException {
        Files.writeString(root.resolve("attr"), "0x" + Long.toHexString(value) + "\n", StandardCharsets.US_ASCII);

        assertThat(Sysfs.at(root).readHex("attr")).isEqualTo(value);
    }

    @Property
    void naturalOrderIsAConsistentTotalOrder(@ForAll("names") String a, @ForAll("names") String b,
            @ForAll("names") String c) {
        NaturalOrder order = NaturalOrder.INSTANCE;
        assertThat(Integer.signum(order.compare(a, b))).isEqualTo(-Integer.signum(order.compare(b, a)));
        assertThat(order.compare(a, b) == 0).isEqualTo(a.equals(b));
        if (order.compare(a, b) <= 0 && order.compare(b, c) <= 0) {
            assertThat(order.compare(a, c)).isLessThanOrEqualTo(0);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> names() {
        return net.jqwik.api.Arbitraries.strings().withChars("ab0129").ofMaxLength(6);
    }
}
