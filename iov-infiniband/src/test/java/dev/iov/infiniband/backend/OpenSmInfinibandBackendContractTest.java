package dev.iov.infiniband.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Guid;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import dev.iov.infiniband.partition.OpenSmStandIn;
import dev.iov.infiniband.sm.OpenSmSubnetManager;
import dev.iov.infiniband.sm.SubnetManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The backend contract on the {@code opensm} plug-in: the subnet manager's state is a {@code partitions.conf} in a
 * temporary directory (iov's block written by {@code ManagedPartitionsFile}, an administrator's partition beside it),
 * and OpenSM — not on this machine — is an {@link OpenSmStandIn}: a real process with a pid file that re-reads the
 * file on the SIGHUP the plug-in sends with the real {@code kill}. The mid-attach failure is that signal failing
 * (ESRCH) after the VF's GUID was set: the plug-in puts the file back and the attach rolls back. No lease store: the
 * fabric's records are all a restarted backend has.
 */
class OpenSmInfinibandBackendContractTest extends InfinibandBackendContract {

    private static final String ADMIN_LINES = "Default=0x7fff,ipoib : ALL=full ;\n"
            + "Lab=0x0003 : 0x0002c903000000aa=full ;\n";

    private Path partitions;
    private OpenSmStandIn openSm;

    @Override
    protected void createSubnetManager(Path dir) throws Exception {
        partitions = dir.resolve("partitions.conf");
        Files.writeString(partitions, ADMIN_LINES);
        openSm = OpenSmStandIn.start(partitions, Files.createDirectory(dir.resolve("opensm")));
    }

    @Override
    protected void destroySubnetManager() {
        if (openSm != null) {
            openSm.close();
        }
    }

    @Override
    protected SubnetManager newSubnetManagerClient() {
        return OpenSmSubnetManager.of(openSm.partitionsFile(), true);
    }

    @Override
    protected void failNextAttachMidway() {
        openSm.refuseNextSignal();
    }

    @Test
    void openSmIsToldOfEveryChangeAndTheAdministratorsLinesStay() throws Exception {
        try (IoBackend backend = newBackend()) {
            Guid guid = Guid.of(GuidPool.DEFAULT_FIRST.toLong() + 42);
            AttachRequest request = new AttachRequest(VnicSpec.builder("mpi-1", "vm-1", STORAGE.id().value())
                    .build(), HostId.of("h1"), "ib0", STORAGE, VnicAddresses.ofGuid(guid));

            backend.attach(request);
            assertTrue(openSm.awaitRead(Duration.ofSeconds(10)), "OpenSM re-read the file after the attach");
            backend.detach(Attachment.of(request.spec().id(), backend.id(), guid.toString()));
            assertTrue(openSm.awaitRead(Duration.ofSeconds(10)), "OpenSM re-read the file after the detach");

            assertTrue(openSm.hangUps() >= 2, "one SIGHUP per change, got " + openSm.hangUps());
            assertTrue(Files.readString(partitions).startsWith(ADMIN_LINES), "the administrator's lines stay");
        }
    }
}
