package dev.iov.infiniband.backend;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.infiniband.partition.Membership;
import dev.iov.sriov.backend.VfLease;
import java.util.Objects;

/**
 * What the {@code infiniband} backend remembers of one attached vNIC: whose it is, its port GUID, the VF carrying it
 * and the partition membership the subnet manager was given. Hardware and subnet managers have nowhere to record the
 * vNIC id, so this record is what tells iov's memberships from leaked ones after a restart.
 *
 * @param vnic the vNIC
 * @param guid its port (and node) GUID; the attachment handle is its text form
 * @param vf the VF
 * @param partition the partition, limited form (bit 15 clear)
 * @param membership full or limited
 * @param index0 whether the partition's key is at index 0 of the port's P_Key table
 */
public record IbLease(VnicId vnic, Guid guid, VfLease vf, PKey partition, Membership membership, boolean index0) {

    /**
     * Checks the parts.
     *
     * @param vnic the vNIC
     * @param guid not zero
     * @param vf the VF
     * @param partition any key; stored in limited form
     * @param membership full or limited, not both
     * @param index0 the index-0 flag
     */
    public IbLease {
        Objects.requireNonNull(vnic, "vnic");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(vf, "vf");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(membership, "membership");
        if (guid.isZero()) {
            throw new IllegalArgumentException("lease of vNIC '" + vnic + "': the zero GUID names no port");
        }
        if (membership == Membership.BOTH) {
            throw new IllegalArgumentException("lease of vNIC '" + vnic + "': membership is full or limited");
        }
        partition = partition.asLimited();
    }

    /**
     * @param other another VF
     * @return this lease on that VF (a repair when its own VF is gone)
     */
    public IbLease withVf(VfLease other) {
        return new IbLease(vnic, guid, other, partition, membership, index0);
    }

    /** @return the attachment handle: the port GUID, e.g. {@code 0269:6f00:0000:0001} */
    public String handle() {
        return guid.toString();
    }
}
