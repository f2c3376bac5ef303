package dev.iov.infiniband.partition;

import dev.iov.api.net.Guid;
import dev.iov.linux.Signals;
import dev.iov.sriov.backend.VfNetlink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library modules this one is built from (iov-api, iov-linux, iov-sriov, iov-infiniband) start no process: no
 * class refers to {@code ProcessBuilder} or {@code Runtime.exec}, apart from iov-linux's {@code IpCommand}, which only
 * the test and lab fixture {@code NetworkNamespace} uses. OpenSM's {@code SIGHUP} in particular is {@code kill(2)}.
 */
class LibraryForksNothingTest {

    private static final Set<String> FIXTURES = Set.of("dev/iov/linux/IpCommand.class");

    @Test
    void noLibraryClassStartsAProcess() throws Exception {
        List<String> forking = new ArrayList<>();
        int scanned = 0;
        for (Class<?> anchor : List.of(Guid.class, Signals.class, VfNetlink.class, ManagedPartitionsFile.class)) {
            Path source = source(anchor);
            for (Entry e : entries(source)) {
                scanned++;
                if (FIXTURES.contains(e.name)) {
                    continue;
                }
                if (startsProcesses(e.bytes)) {
                    forking.add(source.getFileName() + "!" + e.name);
                }
            }
        }
        assertThat(scanned).isGreaterThan(100);
        assertThat(forking).isEmpty();
    }

    @Test
    void theScanFindsAClassThatDoes() throws Exception {
        // The OpenSM stand-in starts a shell with ProcessBuilder: the scan must see it.
        String name = OpenSmStandIn.class.getName().replace('.', '/') + ".class";
        try (InputStream in = OpenSmStandIn.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(startsProcesses(in.readAllBytes())).isTrue();
        }
        try (InputStream in = Signals.class.getClassLoader().getResourceAsStream("dev/iov/linux/Signals.class")) {
            assertThat(startsProcesses(in.readAllBytes())).isFalse();
        }
    }

    private record Entry(String name, byte[] bytes) {
    }

    /**
     * Whether the class's constant pool refers to {@code java.lang.ProcessBuilder} or to the method
     * {@code java.lang.Runtime.exec}: every use of either needs such an entry.
     */
    static boolean startsProcesses(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.skipBytes(8); // magic, minor, major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        List<int[]> methodRefs = new ArrayList<>(); // {class index, name-and-type index}
        int[] nameOf = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4 -> in.skipBytes(4);
                case 9, 17, 18 -> in.skipBytes(4);
                case 10, 11 -> methodRefs.add(new int[] {in.readUnsignedShort(), in.readUnsignedShort()});
                case 12 -> {
                    nameOf[i] = in.readUnsignedShort();
                    in.skipBytes(2);
                }
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++;
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        for (int i = 1; i < count; i++) {
            if (classNames[i] != 0 && "java/lang/ProcessBuilder".equals(utf8[classNames[i]])) {
                return true;
            }
        }
        for (int[] ref : methodRefs) {
            if ("java/lang/Runtime".equals(utf8[classNames[ref[0]]]) && "exec".equals(utf8[nameOf[ref[1]]])) {
                return true;
            }
        }
        return false;
    }

    private static Path source(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<Entry> entries(Path source) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    out.add(new Entry(source.relativize(p).toString(), Files.readAllBytes(p)));
                }
            }
            return out;
        }
        try (ZipFile zip = new ZipFile(source.toFile())) {
            for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry z = it.nextElement();
                if (z.getName().endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(z)) {
                        out.add(new Entry(z.getName(), in.readAllBytes()));
                    }
                }
            }
        }
        return out;
    }
}
