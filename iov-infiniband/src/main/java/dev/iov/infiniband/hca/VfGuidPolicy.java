package dev.iov.infiniband.hca;

import dev.iov.api.net.Guid;
import java.util.Objects;

/**
 * The GUIDs and port policy an mlx5 PF holds for one of its VFs, from
 * {@code /sys/class/infiniband/<dev>/device/sriov/<vf>/{node,port,policy}}. A zero GUID means "not assigned"; the
 * subnet manager then sees no usable port behind the VF.
 *
 * @param vf the VF number (the directory name)
 * @param nodeGuid the VF's node GUID ({@code node})
 * @param portGuid the VF's port GUID ({@code port})
 * @param policy the VF's port state policy ({@code policy})
 */
public record VfGuidPolicy(int vf, Guid nodeGuid, Guid portGuid, VfPortPolicy policy) {

    /**
     * @param vf the VF number, not negative
     * @param nodeGuid the node GUID, not null
     * @param portGuid the port GUID, not null
     * @param policy the policy, not null
     */
    public VfGuidPolicy {
        if (vf < 0) {
            throw new IllegalArgumentException("VF number " + vf + " is negative");
        }
        Objects.requireNonNull(nodeGuid, "nodeGuid");
        Objects.requireNonNull(portGuid, "portGuid");
        Objects.requireNonNull(policy, "policy");
    }
}
