package dev.iov.infiniband.backend;

import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.infiniband.sm.FakeUfm;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.infiniband.sm.UfmSubnetManager;
import java.nio.file.Path;

/**
 * The backend contract on the {@code ufm} plug-in against {@link FakeUfm}, UFM's PKey GUIDs REST API served
 * in-process over HTTP. The mid-attach failure is UFM answering the membership's {@code POST resources/pkeys} with an
 * error after the VF's GUID was set. The backends of a test share a lease store that outlives them, as a durable one
 * (a journal) would, so restore here also reconciles the leases loaded from it with the fabric's records.
 */
class UfmInfinibandBackendContractTest extends InfinibandBackendContract {

    private FakeUfm ufm;
    private StateStore leaseStore;

    @Override
    protected void createSubnetManager(Path dir) throws Exception {
        ufm = FakeUfm.http(null);
        leaseStore = new InMemoryStateStore();
    }

    @Override
    protected void destroySubnetManager() {
        if (ufm != null) {
            ufm.close();
        }
    }

    @Override
    protected SubnetManager newSubnetManagerClient() {
        return UfmSubnetManager.builder(ufm.url()).build();
    }

    @Override
    protected InfinibandBackend.Builder configure(InfinibandBackend.Builder builder) {
        return builder.leaseStore(leaseStore);
    }

    @Override
    protected void failNextAttachMidway() {
        ufm.failNextAdd(503, "{\"error\": \"Service Unavailable\"}");
    }
}
