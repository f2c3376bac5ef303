package dev.iov.api.fabric;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicId;

/**
 * Where a vNIC would land if migrated now: the target can give it the same network and addresses.
 *
 * @param vnic the vNIC
 * @param source the host it is on
 * @param target the host it would move to
 * @param uplink the target uplink whose capacity it would use
 * @param backendId the target backend
 * @param kind the kind of vNIC it would be on the target
 * @param fallback true when that kind differs from its current kind (a declared fallback, e.g. VF to vswitch port)
 * @param reason why that kind, in one sentence for an operator (e.g. that a VF cannot live-migrate)
 */
public record MigrationPlan(
        VnicId vnic, HostId source, HostId target, String uplink, String backendId, BackendKind kind,
        boolean fallback, String reason) {
}
