package dev.iov.infiniband.sm;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.infiniband.partition.ManagedPartitionsFile;
import dev.iov.infiniband.partition.Membership;
import dev.iov.infiniband.partition.Partition;
import dev.iov.infiniband.partition.PartitionConfig;
import dev.iov.infiniband.partition.PartitionConfigParser;
import dev.iov.infiniband.partition.PartitionFlags;
import dev.iov.infiniband.partition.PartitionMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenSmSubnetManagerTest {

    private static final String ADMIN = "# site partitions\nDefault=0x7fff,ipoib : ALL=full ;\n"
            + "Storage=0x20 : 0x0002c903000000aa=both, 0x0002c903000000bb , ALL_SWITCHES=full ;\n";
    private static final String TAIL = "# kept after iov's block\n";
    private static final PKey P101 = PKey.of(0x0101);
    private static final Guid G1 = Guid.of(0x0002c90300000001L);
    private static final Guid G2 = Guid.of(0x0002c90300000002L);

    @TempDir
    Path dir;

    private Path conf() {
        return dir.resolve("partitions.conf");
    }

    private OpenSmSubnetManager sm() {
        return OpenSmSubnetManager.of(ManagedPartitionsFile.of(conf()), true);
    }

    @Test
    void addRemoveAndViewRoundTripKeepingTheAdministratorsLines() throws Exception {
        Files.writeString(conf(), ADMIN + ManagedPartitionsFile.BEGIN + "\n" + ManagedPartitionsFile.END + "\n"
                + TAIL);
        OpenSmSubnetManager sm = sm();

        sm.addMembers(PKey.of(0x8101), List.of(SubnetMember.full(G1), SubnetMember.of(G2, Membership.LIMITED,
                false)));

        String text = Files.readString(conf());
        assertThat(text).startsWith(ADMIN + ManagedPartitionsFile.BEGIN + "\n").endsWith(ManagedPartitionsFile.END
                + "\n" + TAIL);
        assertThat(ManagedPartitionsFile.of(conf()).read()).isEqualTo(PartitionConfig.of(List.of(
                Partition.builder("iov-0101", P101).flags(PartitionFlags.builder().ipoib(true).build())
                        .defaultMembership(Membership.FULL)
                        .member(PartitionMember.of(G1, Membership.FULL))
                        .member(PartitionMember.of(G2, Membership.LIMITED)).build())));
        // The whole file: the administrator's GUID members too ('both' shown as full), keywords left out.
        assertThat(sm.partitions()).isEqualTo(Map.of(
                PKey.of(0x20), Set.of(SubnetMember.full(Guid.of(0x0002c903000000aaL)),
                        SubnetMember.of(Guid.of(0x0002c903000000bbL), Membership.LIMITED, false)),
                P101, Set.of(SubnetMember.full(G1), SubnetMember.of(G2, Membership.LIMITED, false))));

        sm.addMembers(P101, List.of(SubnetMember.full(G2)));
        assertThat(sm.partitions().get(P101)).containsExactly(SubnetMember.full(G1), SubnetMember.full(G2));

        sm.removeMembers(P101, List.of(G1));
        assertThat(sm.partitions().get(P101)).containsExactly(SubnetMember.full(G2));
        sm.removeMembers(P101, List.of(G2));
        assertThat(sm.partitions()).containsOnlyKeys(PKey.of(0x20));
        assertThat(Files.readString(conf())).isEqualTo(ADMIN + ManagedPartitionsFile.BEGIN + "\n"
                + ManagedPartitionsFile.END + "\n" + TAIL);
    }

    @Test
    void addingAPresentMemberAndRemovingAnAbsentOneDoNotWrite() throws Exception {
        OpenSmSubnetManager sm = sm();
        assertThat(sm.partitions()).isEmpty();
        sm.addMembers(P101, List.of(SubnetMember.full(G1)));
        FileTime old = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(conf(), old);
        String before = Files.readString(conf());

        sm.addMembers(P101, List.of(SubnetMember.full(G1)));
        sm.removeMembers(P101, List.of(G2));
        sm.removeMembers(PKey.of(0x0202), List.of(G1));

        assertThat(Files.getLastModifiedTime(conf())).isEqualTo(old);
        assertThat(Files.readString(conf())).isEqualTo(before);
    }

    @Test
    void index0IsPerPartitionInOpenSmSoAMismatchIsRefusedAndNothingChanges() throws Exception {
        OpenSmSubnetManager sm = sm();
        sm.addMembers(P101, List.of(SubnetMember.of(G1, Membership.FULL, true)));
        assertThat(Files.readString(conf())).contains("iov-0101=0x0101,ipoib,indx0,defmember=full");
        assertThat(sm.partitions().get(P101)).containsExactly(SubnetMember.of(G1, Membership.FULL, true));
        String before = Files.readString(conf());
        assertThatThrownBy(() -> sm.addMembers(P101, List.of(SubnetMember.full(G2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OpenSM keeps indx0 per partition").hasMessageContaining("indx0=true");
        assertThatThrownBy(() -> sm.addMembers(PKey.of(0x0202), List.of(SubnetMember.full(G1),
                SubnetMember.of(G2, Membership.FULL, true)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sm.addMembers(PKey.of(0x0202), List.of(SubnetMember.of(G1, Membership.FULL, true))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a P_Key table has one index 0");
        assertThat(Files.readString(conf())).isEqualTo(before);
    }

    @Test
    void aConflictWithTheAdministratorsLinesIsARefusalAndLeavesTheFileAlone() throws Exception {
        String admin = "Mine=0x0101 : 0x0002c903000000aa=full ;\n";
        Files.writeString(conf(), admin);
        assertThatThrownBy(() -> sm().addMembers(P101, List.of(SubnetMember.full(G1))))
                .isInstanceOf(SubnetManagerRefusedException.class)
                .hasMessageContaining(conf().toString()).hasMessageContaining("0x0101")
                .satisfies(e -> assertThat(((SubnetManagerRefusedException) e).httpStatus()).isEmpty());
        assertThat(Files.readString(conf())).isEqualTo(admin);
    }

    @Test
    void badArgumentsAreRefusedAndNothingIsWritten() {
        OpenSmSubnetManager sm = sm();
        assertThatThrownBy(() -> sm.addMembers(PKey.DEFAULT, List.of(SubnetMember.full(G1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default partition");
        assertThatThrownBy(() -> sm.addMembers(P101, List.of(SubnetMember.full(G1), SubnetMember.full(G1))))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> sm.removeMembers(P101, List.of())).hasMessageContaining("no GUIDs");
        assertThat(conf()).doesNotExist();
    }

    @Test
    void anUnreadableFileIsAnError() throws Exception {
        Files.writeString(conf(), "Broken=0x0101 : 0xzz ;\n");
        assertThatThrownBy(() -> sm().partitions()).isInstanceOf(SubnetManagerException.class)
                .hasMessageContaining(conf().toString());
    }

    @Test
    void sendsSighupToOpenSmAfterEachChange() throws Exception {
        Path marker = dir.resolve("hup");
        Path ready = dir.resolve("ready");
        // The copy appears under its final name only when complete (cp to .tmp, then mv): the test polls for it.
        // A stand-in for OpenSM: a real process that copies the file it would re-read when it gets SIGHUP.
        Process opensm = new ProcessBuilder("bash", "-c",
                "trap 'cp " + conf() + " " + marker + ".tmp && mv " + marker + ".tmp " + marker + "' HUP; touch "
                        + ready + "; while :; do sleep 0.05; done")
                .start();
        try {
            awaitFile(ready);
            Path pidFile = dir.resolve("opensm.pid");
            Files.writeString(pidFile, opensm.pid() + "\n");
            SubnetManager sm = SubnetManagers.create("opensm", Map.of("partitions-file", conf().toString(),
                    "pid-file", pidFile.toString(), "ip-over-ib", "false"));

            sm.addMembers(P101, List.of(SubnetMember.full(G1)));

            awaitFile(marker);
            assertThat(PartitionConfigParser.parse(Files.readString(marker), "seen by the handler").partitions())
                    .containsExactly(Partition.builder("iov-0101", P101).defaultMembership(Membership.FULL)
                            .member(PartitionMember.of(G1, Membership.FULL)).build());
            Files.delete(marker);
            sm.removeMembers(P101, List.of(G1));
            awaitFile(marker);
            assertThat(PartitionConfigParser.parse(Files.readString(marker), "seen").partitions()).isEmpty();
            assertThat(opensm.isAlive()).isTrue();
        } finally {
            opensm.destroyForcibly().waitFor();
        }
    }

    @Test
    void aDeadOpenSmMakesTheCallFailAsUnreachableAndTheFileIsUnchanged() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = dir.resolve("opensm.pid");
        Files.writeString(pidFile, gone.pid() + "\n");
        Files.writeString(conf(), ADMIN);
        SubnetManager sm = OpenSmSubnetManager.of(ManagedPartitionsFile.of(conf(), pidFile), true);
        assertThatThrownBy(() -> sm.addMembers(P101, List.of(SubnetMember.full(G1))))
                .isInstanceOf(SubnetManagerUnreachableException.class).hasMessageContaining("not running");
        assertThat(Files.readString(conf())).isEqualTo(ADMIN);
    }

    @Test
    void concurrentCallsInOneProcessLoseNoMember() throws Exception {
        OpenSmSubnetManager sm = sm();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                Guid g = Guid.of(0x0002c90300001000L + i);
                done.add(pool.submit(() -> sm.addMembers(P101, List.of(SubnetMember.full(g)))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sm.partitions().get(P101)).hasSize(40);
    }

    private static void awaitFile(Path p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(p)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + p);
            }
            Thread.sleep(20);
        }
    }
}
