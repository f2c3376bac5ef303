package dev.iov.sriov.vf;

import dev.iov.api.internal.io.BoundedReads;
import dev.iov.api.internal.io.InputTooLargeException;
import dev.iov.api.internal.io.MalformedTextException;
import dev.iov.api.net.InterfaceName;
import dev.iov.linux.files.AtomicFiles;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VfInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the VF settings of a PF to a file and puts them back, for driver reloads and reboots: a PF driver forgets
 * every VF's MAC, VLAN, rates, spoof checking and trust when it is reloaded, and VMs that come back expect them.
 * Everything goes through rtnetlink ({@code RTM_GETLINK} with {@code RTEXT_FILTER_VF} to read, {@code RTM_SETLINK}
 * with {@code IFLA_VFINFO_LIST} to write), so the kernel is the authority on what a driver accepts.
 */
public final class VfSnapshots {

    /**
     * The most bytes a snapshot file may hold: 16 MiB, some hundred times what the largest PF (a few hundred VFs)
     * needs. A path to a character device or a huge sparse file is refused after reading this much.
     */
    public static final int MAX_FILE_BYTES = 16 * BoundedReads.MIB;

    private static final Logger LOG = LoggerFactory.getLogger(VfSnapshots.class);

    private final Rtnetlink rtnl;

    /** @param rtnl the netlink connection, in the PF's network namespace */
    public VfSnapshots(Rtnetlink rtnl) {
        this.rtnl = Objects.requireNonNull(rtnl, "rtnl");
    }

    /**
     * @param pf the PF's netdev
     * @return the current settings of all its VFs, as the kernel reports them
     */
    public VfSnapshot take(InterfaceName pf) {
        return new VfSnapshot(pf, rtnl.vfs(pf).stream().map(VfSettings::of).toList());
    }

    /**
     * Writes the current settings of a PF's VFs to a file, atomically.
     *
     * @param pf the PF's netdev
     * @param file the file; replaced when it exists
     * @return what was saved
     */
    public VfSnapshot save(InterfaceName pf, Path file) {
        VfSnapshot snapshot = take(pf);
        AtomicFiles.write(file, VfSnapshotJson.write(snapshot));
        return snapshot;
    }

    /**
     * Reads a file written by {@link #save} and applies it.
     *
     * @param file the file
     * @return what was applied
     * @throws VfSnapshotFormatException when the file is not a valid snapshot; nothing is sent then
     * @throws UncheckedIOException when the file cannot be read
     * @throws dev.iov.linux.LinuxException when the kernel refuses a setting; the VFs already changed are put back
     */
    public VfSnapshot restore(Path file) {
        VfSnapshot snapshot = read(file);
        apply(snapshot);
        return snapshot;
    }

    /**
     * Reads a file written by {@link #save} without applying it: at most {@link #MAX_FILE_BYTES}, strict UTF-8.
     *
     * @param file the file
     * @return the snapshot it holds
     * @throws VfSnapshotFormatException when the file is not a valid snapshot: larger than the limit, not UTF-8
     *     ({@code file:line:column} and the byte offset), or not a snapshot's JSON
     * @throws UncheckedIOException when the file cannot be read
     */
    public static VfSnapshot read(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = BoundedReads.read(file, MAX_FILE_BYTES);
        } catch (InputTooLargeException e) {
            throw new VfSnapshotFormatException(source, "larger than the " + BoundedReads.describe(MAX_FILE_BYTES)
                    + " limit for a VF snapshot");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read VF snapshot " + file + ": " + e, e);
        }
        String text;
        try {
            text = BoundedReads.decodeUtf8(bytes, source);
        } catch (MalformedTextException e) {
            // Everything before the bad byte is valid UTF-8, so its line and column are known.
            String before = new String(bytes, 0, (int) e.offset(), StandardCharsets.UTF_8);
            int lineStart = before.lastIndexOf('\n') + 1;
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            throw new VfSnapshotFormatException(source, line, before.length() - lineStart + 1, e.reason());
        }
        return VfSnapshotJson.read(text, source);
    }

    /**
     * Applies every VF's settings, one request per VF. When the kernel refuses one, the VFs changed before it are put
     * back to what they were (read just before), in reverse order, and the refusal is thrown.
     *
     * @param snapshot the settings
     */
    public void apply(VfSnapshot snapshot) {
        if (snapshot.vfs().isEmpty()) {
            return;
        }
        InterfaceName pf = snapshot.pf();
        Map<Integer, VfSettings> before = new HashMap<>();
        for (VfInfo info : rtnl.vfs(pf)) {
            before.put(info.vf(), VfSettings.of(info));
        }
        Deque<VfSettings> undo = new ArrayDeque<>();
        try {
            for (VfSettings s : snapshot.vfs()) {
                rtnl.setVf(pf, s.toConfig());
                VfSettings previous = before.get(s.vf());
                if (previous != null) {
                    undo.push(previous);
                }
            }
        } catch (RuntimeException e) {
            rollBack(pf, undo, e);
            throw e;
        }
    }

    private void rollBack(InterfaceName pf, Deque<VfSettings> undo, RuntimeException cause) {
        for (VfSettings previous : undo) {
            try {
                rtnl.setVf(pf, previous.toConfig());
            } catch (RuntimeException e) {
                LOG.warn("could not put VF {} of {} back after a failed restore: {}", previous.vf(), pf, e.toString());
                cause.addSuppressed(e);
            }
        }
    }

}
