package dev.iov.infiniband.sm;

import dev.iov.api.internal.io.BoundedReads;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.infiniband.partition.ManagedPartitionsFile;
import dev.iov.infiniband.partition.Membership;
import dev.iov.infiniband.partition.Partition;
import dev.iov.infiniband.partition.PartitionConfig;
import dev.iov.infiniband.partition.PartitionConfigParser;
import dev.iov.infiniband.partition.PartitionFlags;
import dev.iov.infiniband.partition.PartitionMember;
import dev.iov.infiniband.partition.PartitionSyntaxException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * OpenSM as iov's subnet manager: iov's partitions live in the marked block of {@code partitions.conf}, rewritten
 * atomically by {@link ManagedPartitionsFile} (which sends OpenSM {@code SIGHUP} when a pid file is configured).
 * Partitions iov creates are named {@code iov-XXXX} after their key and get the {@code ipoib} flag when configured.
 *
 * <p>OpenSM's {@code indx0} is a flag of a partition definition, not of a port, so every member of one of iov's
 * partitions has the same index0 flag; adding a member whose flag differs from the partition's is refused, and so is
 * putting a port into a second {@code indx0} partition (a P_Key table has one index 0). A port
 * listed with {@code both} is shown as {@link Membership#FULL} by {@link #partitions()} (full whenever it matters for
 * reachability), and keyword members ({@code ALL}, {@code SELF}, ...) are not shown since they name no single GUID.
 *
 * <p>Calls are serialized within this object; several processes sharing one file are not coordinated.
 */
public final class OpenSmSubnetManager implements SubnetManager {

    private static final String NAME_PREFIX = "iov-";

    private final ManagedPartitionsFile file;
    private final boolean ipOverIb;
    private final ReentrantLock lock = new ReentrantLock();

    private OpenSmSubnetManager(ManagedPartitionsFile file, boolean ipOverIb) {
        this.file = Objects.requireNonNull(file, "file");
        this.ipOverIb = ipOverIb;
    }

    /**
     * @param file iov's block of OpenSM's {@code partitions.conf}, with or without a pid file to signal
     * @param ipOverIb whether partitions iov creates get OpenSM's {@code ipoib} flag
     * @return the subnet manager
     */
    public static OpenSmSubnetManager of(ManagedPartitionsFile file, boolean ipOverIb) {
        return new OpenSmSubnetManager(file, ipOverIb);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when a member's index0 flag differs from the partition's {@code indx0}
     *     or would put a port into two {@code indx0} partitions; nothing is changed
     * @throws SubnetManagerRefusedException when the administrator's lines of the file conflict with the change
     */
    @Override
    public void addMembers(PKey partition, List<SubnetMember> members) {
        PKey key = SubnetManagers.checkPartition(partition);
        SubnetManagers.checkMembers(key, members);
        change(key, existing -> {
            boolean index0 = existing != null ? existing.flags().indx0() : members.get(0).index0();
            for (SubnetMember m : members) {
                if (m.index0() != index0) {
                    throw new IllegalArgumentException("cannot add " + m + " to partition " + key + " in "
                            + file.file() + ": OpenSM keeps indx0 per partition and this partition has indx0="
                            + index0);
                }
            }
            Map<Guid, SubnetMember> wanted = new LinkedHashMap<>();
            members.forEach(m -> wanted.put(m.guid(), m));
            List<PartitionMember> kept = new ArrayList<>();
            for (PartitionMember pm : existing != null ? existing.members() : List.<PartitionMember>of()) {
                SubnetMember w = pm.guid().map(wanted::get).orElse(null);
                if (w == null) {
                    kept.add(pm);
                } else if (!kept.contains(PartitionMember.of(w.guid(), w.membership()))) {
                    kept.add(PartitionMember.of(w.guid(), w.membership()));
                }
            }
            Set<Guid> present = new HashSet<>();
            kept.forEach(pm -> pm.guid().ifPresent(present::add));
            for (SubnetMember w : wanted.values()) {
                if (present.add(w.guid())) {
                    kept.add(PartitionMember.of(w.guid(), w.membership()));
                }
            }
            Partition.Builder rebuilt = Partition.builder(existing != null ? existing.name() : nameOf(key), key)
                    .flags(existing != null ? existing.flags()
                            : PartitionFlags.builder().ipoib(ipOverIb).indx0(index0).build())
                    .defaultMembership(existing != null ? existing.defaultMembership() : Membership.FULL);
            kept.forEach(rebuilt::member);
            return rebuilt.build();
        });
    }

    private static String nameOf(PKey key) {
        return NAME_PREFIX + String.format("%04x", key.partition());
    }

    @Override
    public void removeMembers(PKey partition, List<Guid> guids) {
        PKey key = SubnetManagers.checkPartition(partition);
        SubnetManagers.checkGuids(key, guids);
        Set<Guid> gone = new HashSet<>(guids);
        change(key, existing -> {
            if (existing == null) {
                return null;
            }
            Partition.Builder b = Partition.builder(existing.name(), key).flags(existing.flags())
                    .defaultMembership(existing.defaultMembership());
            int left = 0;
            for (PartitionMember pm : existing.members()) {
                if (pm.guid().map(gone::contains).orElse(false)) {
                    continue;
                }
                b.member(pm);
                left++;
            }
            // OpenSM drops partitions without ports; dropping it here too keeps the file honest.
            return left == 0 ? null : b.build();
        });
    }

    /** Reads iov's block, lets {@code update} replace one partition (null = none) and writes only on a change. */
    private void change(PKey key, UnaryOperator<Partition> update) {
        lock.lock();
        try {
            PartitionConfig before = readManaged();
            Partition old = before.partition(key).orElse(null);
            Partition now = update.apply(old);
            if (Objects.equals(old, now)) {
                return;
            }
            List<Partition> all = new ArrayList<>();
            boolean placed = false;
            for (Partition p : before.partitions()) {
                if (p.pkey().equals(key)) {
                    placed = true;
                    if (now != null) {
                        all.add(now);
                    }
                } else {
                    all.add(p);
                }
            }
            if (!placed && now != null) {
                all.add(now);
            }
            PartitionConfig after = PartitionConfig.of(all);
            try {
                file.write(after);
            } catch (PartitionSyntaxException e) {
                throw new SubnetManagerRefusedException("OpenSM partitions file " + file.file() + " refuses the "
                        + "change to partition " + key + ": " + e.getMessage(), -1, e.getMessage(), e);
            } catch (IllegalStateException e) {
                throw new SubnetManagerUnreachableException("cannot make OpenSM re-read " + file.file() + " for "
                        + "partition " + key + " (the file was restored): " + e.getMessage(), e);
            } catch (UncheckedIOException e) {
                throw new SubnetManagerUnreachableException("cannot write OpenSM partitions file " + file.file()
                        + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new SubnetManagerRefusedException("OpenSM partitions file " + file.file() + " refuses the "
                        + "change to partition " + key + ": " + e.getMessage(), -1, e.getMessage(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    private PartitionConfig readManaged() {
        try {
            return file.read();
        } catch (PartitionSyntaxException e) {
            throw new SubnetManagerException("cannot read iov's block of OpenSM partitions file " + file.file()
                    + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new SubnetManagerUnreachableException("cannot read OpenSM partitions file " + file.file() + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@inheritDoc} Reads the whole {@code partitions.conf}, the administrator's lines as well as iov's block. */
    @Override
    public Map<PKey, Set<SubnetMember>> partitions() {
        lock.lock();
        byte[] text;
        try {
            text = BoundedReads.read(file.file(), PartitionConfigParser.MAX_FILE_BYTES);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new SubnetManagerUnreachableException("cannot read OpenSM partitions file " + file.file() + ": "
                    + e, e);
        } finally {
            lock.unlock();
        }
        PartitionConfig config;
        try {
            config = PartitionConfigParser.parse(text, file.file().toString());
        } catch (PartitionSyntaxException e) {
            throw new SubnetManagerException("cannot read OpenSM partitions file " + file.file() + ": "
                    + e.getMessage(), e);
        }
        Map<PKey, Set<SubnetMember>> view = new TreeMap<>();
        for (Partition p : config.partitions()) {
            Map<Guid, SubnetMember> byGuid = new LinkedHashMap<>();
            for (PartitionMember pm : p.members()) {
                // OpenSM keeps the last listing of a port; "both" is at least full.
                pm.guid().ifPresent(g -> byGuid.put(g, SubnetMember.of(g,
                        pm.membership() == Membership.LIMITED ? Membership.LIMITED : Membership.FULL,
                        p.flags().indx0())));
            }
            if (!byGuid.isEmpty()) {
                view.put(p.pkey(), Collections.unmodifiableSet(new TreeSet<>(byGuid.values())));
            }
        }
        return Collections.unmodifiableMap(view);
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    @Override
    public String toString() {
        return "OpenSmSubnetManager[" + file.file() + "]";
    }
}
