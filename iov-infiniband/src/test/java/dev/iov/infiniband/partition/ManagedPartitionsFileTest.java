package dev.iov.infiniband.partition;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.linux.LinuxException;
import dev.iov.linux.PermissionDeniedException;
import dev.iov.linux.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagedPartitionsFileTest {

    @TempDir
    Path dir;

    private static final PartitionConfig MANAGED = PartitionConfig.of(List.of(
            Partition.builder("vm-a", PKey.of(0x0101)).flags(PartitionFlags.builder().ipoib(true).build())
                    .member(PartitionMember.of(Guid.of(0x0002c90300000001L), Membership.FULL)).build(),
            Partition.builder("vm-b", PKey.of(0x0102))
                    .member(PartitionMember.of(Guid.of(0x0002c90300000002L), Membership.LIMITED)).build()));

    private static final String ADMIN_HEAD = "# site partitions, kept by hand\r\n"
            + "Default=0x7fff,ipoib : ALL=full ;   # trailing comment\n"
            + "\n";
    private static final String ADMIN_TAIL = "Storage=0x20 :\n   0x1=full ; # after iov's block\n"
            + "mgid line or not, iov leaves it alone\n";

    @Test
    void replacesOnlyTheMarkedBlockKeepingEveryOtherByte() throws IOException {
        Path conf = dir.resolve("partitions.conf");
        String old = ADMIN_HEAD + ManagedPartitionsFile.BEGIN + "\nOld=0x0100 : ALL ;\n" + ManagedPartitionsFile.END
                + "\n" + ADMIN_TAIL;
        Files.writeString(conf, old);

        ManagedPartitionsFile managed = ManagedPartitionsFile.of(conf);
        managed.write(MANAGED);

        String now = Files.readString(conf);
        assertThat(now).startsWith(ADMIN_HEAD + ManagedPartitionsFile.BEGIN + "\n");
        assertThat(now).endsWith(ManagedPartitionsFile.END + "\n" + ADMIN_TAIL);
        assertThat(now).doesNotContain("Old=0x0100");
        assertThat(managed.read()).isEqualTo(MANAGED);
        assertThat(siblings(conf)).containsExactly(conf);
    }

    @Test
    void keepsAnAdministratorsLatin1CommentsByteForByte() throws IOException {
        Path conf = dir.resolve("partitions.conf");
        // 0xe9 alone is Latin-1 'e acute' and not UTF-8; OpenSM reads bytes and skips comments, so it takes this file.
        byte[] head = "# r\u00e9seau de stockage, g\u00e9r\u00e9 \u00e0 la main\nDefault=0x7fff : ALL=full ; # \u00a7 4\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(conf, head);

        ManagedPartitionsFile managed = ManagedPartitionsFile.of(conf);
        managed.write(MANAGED);

        byte[] now = Files.readAllBytes(conf);
        assertThat(java.util.Arrays.copyOf(now, head.length)).isEqualTo(head);
        assertThat(managed.read()).isEqualTo(MANAGED);
    }

    @Test
    void aPartitionsFileThatIsACharacterDeviceIsRefusedAtTheLimit() {
        ManagedPartitionsFile managed = ManagedPartitionsFile.of(Path.of("/dev/zero"));

        assertThatThrownBy(managed::read).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessage("/dev/zero: larger than the 16 MiB limit for this file");
        assertThatThrownBy(() -> managed.write(MANAGED)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("16 MiB limit");
    }

    @Test
    void appendsTheBlockWhenTheFileHasNone() throws IOException {
        Path conf = dir.resolve("partitions.conf");
        Files.writeString(conf, "Default=0x7fff : ALL=full ;  # no newline at the end");
        ManagedPartitionsFile.of(conf).write(MANAGED);
        String now = Files.readString(conf);
        assertThat(now).startsWith("Default=0x7fff : ALL=full ;  # no newline at the end\n"
                + ManagedPartitionsFile.BEGIN + "\n");
        assertThat(PartitionConfigParser.parse(now, "now").partitions()).extracting(Partition::name)
                .containsExactly("Default", "vm-a", "vm-b");
    }

    @Test
    void createsTheFileAndReadsNothingFromAMissingOne() throws IOException {
        Path conf = dir.resolve("partitions.conf");
        ManagedPartitionsFile managed = ManagedPartitionsFile.of(conf);
        assertThat(managed.read()).isEqualTo(PartitionConfig.EMPTY);
        managed.write(MANAGED);
        assertThat(managed.read()).isEqualTo(MANAGED);
        managed.write(PartitionConfig.EMPTY);
        assertThat(Files.readString(conf)).isEqualTo(ManagedPartitionsFile.BEGIN + "\n" + ManagedPartitionsFile.END
                + "\n");
        assertThat(siblings(conf)).containsExactly(conf);
    }

    @Test
    void brokenMarkersAreRefusedWithTheirLineAndLeaveTheFileAlone() throws IOException {
        Path conf = dir.resolve("partitions.conf");
        String[] broken = {
            "A=0x1 : ALL;\n" + ManagedPartitionsFile.BEGIN + "\n",
            ManagedPartitionsFile.END + "\n",
            ManagedPartitionsFile.BEGIN + "\n" + ManagedPartitionsFile.BEGIN + "\n" + ManagedPartitionsFile.END + "\n",
        };
        String[] expected = {"partitions.conf:2:1: '# BEGIN", "partitions.conf:1:1: '# END", "partitions.conf:2:1: "
                + "second"};
        for (int i = 0; i < broken.length; i++) {
            Files.writeString(conf, broken[i]);
            assertThatThrownBy(() -> ManagedPartitionsFile.of(conf).write(MANAGED))
                    .isInstanceOf(PartitionSyntaxException.class)
                    .hasMessageContaining(expected[i]);
            assertThat(Files.readString(conf)).isEqualTo(broken[i]);
        }
    }

    @Test
    void refusesKeysTheAdministratorAlreadyDefinesAndOpenDefinitions() throws IOException {
        Path conf = dir.resolve("partitions.conf");
        String clash = "Theirs=0x8102 : ALL ;\n";
        Files.writeString(conf, clash);
        assertThatThrownBy(() -> ManagedPartitionsFile.of(conf).write(MANAGED))
                .hasMessageContaining("OpenSM would merge iov partition 'vm-b' (0x0102)")
                .hasMessageContaining("it would read Theirs=0x0102");
        assertThat(Files.readString(conf)).isEqualTo(clash);

        String byName = ManagedPartitionsFile.BEGIN + "\n" + ManagedPartitionsFile.END + "\nvm-b : 0x99 ;\n";
        Files.writeString(conf, byName);
        assertThatThrownBy(() -> ManagedPartitionsFile.of(conf).write(MANAGED))
                .hasMessageContaining("OpenSM would merge iov partition 'vm-b' (0x0102)");
        assertThat(Files.readString(conf)).isEqualTo(byName);

        String generated = "Gen : ALL ;\n";  // OpenSM generates 0x0001 here; iov then must not use it
        Files.writeString(conf, generated);
        PartitionConfig usesOne = PartitionConfig.of(List.of(Partition.builder("one", PKey.of(1)).build()));
        assertThatThrownBy(() -> ManagedPartitionsFile.of(conf).write(usesOne))
                .isInstanceOf(PartitionSyntaxException.class)
                .hasMessageContaining("partitions.conf:1:1: the P_Key OpenSM generates for 'Gen' is 0x0001");
        assertThat(Files.readString(conf)).isEqualTo(generated);

        String open = "Theirs=0x5 : ALL,\n" + ManagedPartitionsFile.BEGIN + "\n" + ManagedPartitionsFile.END + "\n";
        Files.writeString(conf, open);
        assertThatThrownBy(() -> ManagedPartitionsFile.of(conf).write(MANAGED))
                .isInstanceOf(PartitionSyntaxException.class)
                .hasMessageContaining("partitions.conf:1:1: the definition before")
                .hasMessageContaining("not ended with ';'");
        assertThat(Files.readString(conf)).isEqualTo(open);
    }

    @Test
    void readReportsErrorsInTheBlockWithTheirLineInTheWholeFile() throws IOException {
        Path conf = dir.resolve("partitions.conf");
        Files.writeString(conf, "# one\n# two\n" + ManagedPartitionsFile.BEGIN + "\nP=0x1 : nope ;\n"
                + ManagedPartitionsFile.END + "\n");
        assertThatThrownBy(() -> ManagedPartitionsFile.of(conf).read())
                .isInstanceOf(PartitionSyntaxException.class)
                .hasMessageEndingWith("partitions.conf:4:9: port 'nope': not a number (0x and hex digits, or "
                        + "decimal); expected a GUID (0x and hex digits, or decimal) or ALL, ALL_CAS, ALL_SWITCHES, "
                        + "ALL_ROUTERS, SELF, NONE");
    }

    @Test
    void signalsOpenSmWithSighupAfterWriting() throws Exception {
        Path conf = dir.resolve("partitions.conf");
        Path marker = dir.resolve("hup");
        Path ready = dir.resolve("ready");
        // The copy appears under its final name only when complete (cp to .tmp, then mv): the test polls for it.
        // A stand-in for OpenSM: a real process that records SIGHUP (and the file it would re-read) when it gets one.
        Process opensm = new ProcessBuilder("bash", "-c",
                "trap 'cp " + conf + " " + marker + ".tmp && mv " + marker + ".tmp " + marker + "' HUP; touch "
                        + ready + "; while :; do sleep 0.05; done")
                .start();
        try {
            awaitFile(ready);
            Path pidFile = dir.resolve("opensm.pid");
            Files.writeString(pidFile, opensm.pid() + "\n");

            ManagedPartitionsFile.of(conf, pidFile).write(MANAGED);

            awaitFile(marker);
            assertThat(PartitionConfigParser.parse(Files.readString(marker), "seen by the handler"))
                    .isEqualTo(MANAGED);
            assertThat(opensm.isAlive()).isTrue();
        } finally {
            opensm.destroyForcibly().waitFor();
        }
    }

    @Test
    void aFailedSignalPutsThePreviousContentBack() throws Exception {
        Path conf = dir.resolve("partitions.conf");
        Path pidFile = dir.resolve("opensm.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        String before = "Default=0x7fff : ALL=full ;\n";
        Files.writeString(conf, before);
        // OpenSM exits between the pid check and the signal: kill(2) to a pid that cannot exist answers ESRCH.
        ManagedPartitionsFile.HangUp toNoProcess = pid -> Signals.send(noSuchPid(), Signals.SIGHUP);
        assertThatThrownBy(() -> ManagedPartitionsFile.withHangUp(conf, pidFile, toNoProcess).write(MANAGED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot send SIGHUP to OpenSM pid " + ProcessHandle.current().pid() + " (from " + pidFile
                        + "): no such process (it exited)");
        assertThat(Files.readString(conf)).isEqualTo(before);

        // The kernel refuses (EPERM): a typed error becomes the same kind of failure, file restored.
        ManagedPartitionsFile.HangUp refused = pid -> {
            throw LinuxException.of(1, "send signal 1", "process " + pid);
        };
        assertThatThrownBy(() -> ManagedPartitionsFile.withHangUp(conf, pidFile, refused).write(MANAGED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot send SIGHUP to OpenSM pid")
                .hasCauseInstanceOf(PermissionDeniedException.class);
        assertThat(Files.readString(conf)).isEqualTo(before);

        Files.delete(conf);
        assertThatThrownBy(() -> ManagedPartitionsFile.withHangUp(conf, pidFile, toNoProcess).write(MANAGED))
                .isInstanceOf(IllegalStateException.class);
        assertThat(conf).doesNotExist();
        assertThat(siblings(conf)).containsExactly(pidFile);
    }

    @Test
    void aPidFileNamingNoProcessIsRefusedBeforeWriting() throws Exception {
        Path conf = dir.resolve("partitions.conf");
        Files.writeString(conf, "Default=0x7fff : ALL=full ;\n");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = dir.resolve("opensm.pid");
        Files.writeString(pidFile, Long.toString(gone.pid()));
        assertThatThrownBy(() -> ManagedPartitionsFile.of(conf, pidFile).write(MANAGED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("names pid " + gone.pid() + ", which is not running");
        Files.writeString(pidFile, "opensm");
        assertThatThrownBy(() -> ManagedPartitionsFile.of(conf, pidFile).write(MANAGED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds 'opensm', not a pid");
        assertThat(Files.readString(conf)).isEqualTo("Default=0x7fff : ALL=full ;\n");
        assertThat(siblings(conf)).containsExactlyInAnyOrder(conf, pidFile);
    }

    /** A pid no process can have: above the kernel's PID_MAX_LIMIT (2^22), whatever {@code pid_max} says. */
    static long noSuchPid() {
        return Integer.MAX_VALUE;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within 10 s");
            }
            Thread.sleep(20);
        }
    }

    private static List<Path> siblings(Path file) throws IOException {
        try (Stream<Path> s = Files.list(file.getParent())) {
            return s.filter(p -> !p.getFileName().toString().equals("hup")).sorted().toList();
        }
    }
}
