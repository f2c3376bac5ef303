package dev.iov.sriov.vf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.NotSupportedException;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.sriov.VethNamespace;
import dev.iov.testing.Privileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel decides: a veth has no VFs, so a snapshot of it is empty and restoring VF settings onto it is
 * refused with EOPNOTSUPP, surfaced as the typed exception, after the request really went out.
 */
@Privileged(tools = "ip")
class VfSnapshotsIT {

    private static final InterfaceName VETH = InterfaceName.of("iov-vf0");

    @TempDir
    Path dir;

    private VethNamespace veth;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() {
        veth = VethNamespace.create(VETH.value());
        rtnl = veth.rtnl();
    }

    @AfterEach
    void tearDown() {
        if (veth != null) {
            veth.close();
        }
    }

    @Test
    void aDeviceWithoutVfsSavesAnEmptySnapshot() throws Exception {
        Path file = dir.resolve("iov-vf0.json");

        VfSnapshot saved = new VfSnapshots(rtnl).save(VETH, file);

        assertThat(saved.vfs()).isEmpty();
        assertThat(VfSnapshotJson.read(Files.readString(file), file.toString())).isEqualTo(saved);
    }

    @Test
    void restoringOntoADeviceWithoutVfsIsRefusedByTheKernel() throws Exception {
        Path file = dir.resolve("from-another-host.json");
        Files.writeString(file, VfSnapshotJson.write(new VfSnapshot(VETH, List.of(VfSnapshotJsonTest.VF0))));

        assertThatThrownBy(() -> new VfSnapshots(rtnl).restore(file)).isInstanceOf(NotSupportedException.class)
                .hasMessageContaining("iov-vf0");
        assertThat(rtnl.vfs(VETH)).isEmpty();
    }

    @Test
    void aBrokenFileSendsNothing() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"format\":\"iov-vf-snapshot/1\",\"pf\":\"iov-vf0\",\"vfs\":[{\"vf\":0}]}");

        assertThatThrownBy(() -> new VfSnapshots(rtnl).restore(file)).isInstanceOf(VfSnapshotFormatException.class)
                .hasMessageStartingWith(file + ":1:");
    }
}
