package dev.iov.sriov.vf;

import dev.iov.api.net.InterfaceName;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The VF settings of one PF at one moment.
 *
 * @param pf the PF's netdev
 * @param vfs the settings of each VF, each VF number at most once
 */
public record VfSnapshot(InterfaceName pf, List<VfSettings> vfs) {

    /**
     * Copies the list and checks it.
     *
     * @throws IllegalArgumentException when a VF number appears twice
     */
    public VfSnapshot {
        Objects.requireNonNull(pf, "pf");
        vfs = List.copyOf(vfs);
        Set<Integer> seen = new HashSet<>();
        for (VfSettings s : vfs) {
            if (!seen.add(s.vf())) {
                throw new IllegalArgumentException("VF " + s.vf() + " of " + pf + " appears twice");
            }
        }
    }
}
