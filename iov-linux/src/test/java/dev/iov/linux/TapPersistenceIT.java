package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VethSpec;
import dev.iov.testing.Privileged;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Persistent TAPs on the real kernel, each test in a namespace of its own: a device made persistent outlives its
 * descriptor and is found again by {@link TapDevice#attach}, which never creates one; {@link TapDevice#createNew}
 * never attaches to a device that exists.
 */
@Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
class TapPersistenceIT {

    private static final String TAP = "iov-ptap0";
    private static final int ETHERTYPE = 0x88b5;

    private NetworkNamespace namespace;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() {
        namespace = NetworkNamespace.create(Fixtures.namespaceName());
        rtnl = Rtnetlink.open(namespace);
    }

    @AfterEach
    void tearDown() {
        Fixtures.closeAll(rtnl, namespace);
    }

    @Test
    void aPersistentTapOutlivesItsDescriptorAndIsAttachedAgain() {
        int index;
        try (TapDevice made = TapDevice.createNew(TAP, false, namespace)) {
            assertThat(made.isPersistent()).as("new devices are not persistent").isFalse();
            made.setPersistent(true);
            assertThat(made.isPersistent()).isTrue();
            index = link().orElseThrow().index();
        }
        assertThat(link()).as("the device stays without a descriptor").hasValueSatisfying(l -> {
            assertThat(l.index()).isEqualTo(index);
            assertThat(l.kind()).contains("tun");
        });

        try (TapDevice again = TapDevice.attach(TAP, false, namespace)) {
            assertThat(again.name()).isEqualTo(TAP);
            assertThat(again.isPersistent()).isTrue();
            assertThat(link().orElseThrow().index()).as("the same device, not a new one").isEqualTo(index);
            assertFramesReach(again);

            again.setPersistent(false);
        }
        assertThat(link()).as("non-persistent again: gone with its last descriptor").isEmpty();
    }

    @Test
    void attachNeverLeavesANewDevice() {
        assertThatThrownBy(() -> TapDevice.attach(TAP, false, namespace)).isInstanceOf(NoSuchDeviceException.class)
                .hasMessageContaining(TAP).hasMessageContaining("no persistent TAP");

        assertThat(link()).as("TUNSETIFF made one, and it was let go at once").isEmpty();
    }

    @Test
    void attachRefusesATapInUseAndADeviceOfAnotherKind() {
        try (TapDevice held = TapDevice.createNew(TAP, false, namespace)) {
            held.setPersistent(true);
            assertThatThrownBy(() -> TapDevice.attach(TAP, false, namespace)).isInstanceOf(DeviceBusyException.class)
                    .hasMessageContaining(TAP);
            assertThat(held.isPersistent()).as("the holder's device is untouched").isTrue();
            held.setPersistent(false);
        }
        rtnl.createVeth(VethSpec.of(InterfaceName.of("iov-pv0"), InterfaceName.of("iov-pv1")));

        assertThatThrownBy(() -> TapDevice.attach("iov-pv0", false, namespace))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("iov-pv0");
        assertThat(rtnl.link(InterfaceName.of("iov-pv0"))).hasValueSatisfying(l -> assertThat(l.kind())
                .contains("veth"));
    }

    @Test
    void createNewRefusesANameThatIsTaken() {
        try (TapDevice first = TapDevice.createNew(TAP, false, namespace)) {
            first.setPersistent(true);
        }
        int index = link().orElseThrow().index();

        assertThatThrownBy(() -> TapDevice.createNew(TAP, false, namespace))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining(TAP)
                .hasMessageContaining("a network device of that name exists");
        rtnl.createVeth(VethSpec.of(InterfaceName.of("iov-pv0"), InterfaceName.of("iov-pv1")));
        assertThatThrownBy(() -> TapDevice.createNew("iov-pv0", false, namespace))
                .isInstanceOf(AlreadyExistsException.class);

        assertThat(link()).as("the existing TAP is untouched").hasValueSatisfying(l -> assertThat(l.index())
                .isEqualTo(index));
        rtnl.deleteLink(InterfaceName.of(TAP));
        assertThat(link()).as("a persistent TAP is deleted like any link").isEmpty();
    }

    private Optional<LinkInfo> link() {
        return rtnl.link(InterfaceName.of(TAP));
    }

    /** A frame sent on the interface arrives on the re-attached descriptor: it really is the device's queue. */
    private void assertFramesReach(TapDevice tap) {
        Fixtures.disableIpv6(namespace, TAP);
        rtnl.setUp(InterfaceName.of(TAP));
        try (PacketSocket socket = PacketSocket.open(TAP, namespace)) {
            ByteBuffer frame = ByteBuffer.allocateDirect(60);
            frame.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0x5e, 0, 0, 7, (byte) (ETHERTYPE >>> 8),
                    (byte) ETHERTYPE}).position(60).flip();
            assertThat(socket.send(frame)).isTrue();
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                in.clear();
                if (tap.read(in, 500) >= 14 && (in.flip().getShort(12) & 0xffff) == ETHERTYPE) {
                    return;
                }
            }
            throw new AssertionError("the frame sent on " + TAP + " did not reach the re-attached descriptor");
        }
    }
}
