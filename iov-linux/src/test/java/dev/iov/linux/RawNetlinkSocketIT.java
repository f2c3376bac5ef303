package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.testing.Privileged;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@Privileged(tools = {"ip"})
class RawNetlinkSocketIT {

    private NetworkNamespace namespace;
    private RawNetlinkSocket socket;

    @BeforeEach
    void setUp() {
        namespace = NetworkNamespace.create(Fixtures.namespaceName());
        socket = RawNetlinkSocket.open(RawNetlinkSocket.NETLINK_ROUTE, namespace);
    }

    @AfterEach
    void tearDown() {
        Fixtures.closeAll(socket, namespace);
    }

    @Test
    void repliesAreAddressedToTheAssignedPort() {
        socket.send(LinkDumpByHand.request(42, true));

        LinkDumpByHand.Result dump = LinkDumpByHand.receiveUntilDone(socket, ByteBuffer.allocateDirect(32768));

        assertThat(socket.portId()).isNotZero();
        assertThat(dump.replyPortIds).isNotEmpty().containsOnly(socket.portId());
        assertThat(dump.replySequences).containsOnly(42);
        assertThat(dump.names).containsExactly("lo");
    }

    @Test
    void sendAdvancesThePositionAndReceiveAdvancesTheBuffer() {
        ByteBuffer request = LinkDumpByHand.request(1, true);
        socket.send(request);
        assertThat(request.hasRemaining()).isFalse();

        ByteBuffer into = ByteBuffer.allocateDirect(32768);
        into.position(100);
        int received = socket.receive(into, 5000);

        assertThat(received).isPositive();
        assertThat(into.position()).isEqualTo(100 + received);
    }

    @Test
    void heapBuffersWorkThroughStaging() {
        socket.send(LinkDumpByHand.request(7, false));

        LinkDumpByHand.Result dump = LinkDumpByHand.receiveUntilDone(socket, ByteBuffer.allocate(32768));

        assertThat(dump.names).containsExactly("lo");
    }

    @Test
    void receiveReturnsZeroWhenNothingArrives() {
        ByteBuffer into = ByteBuffer.allocateDirect(4096);

        assertThat(socket.receive(into, 0)).isZero();
        assertThat(socket.receive(into, 50)).isZero();
        assertThat(into.position()).isZero();
    }

    @Test
    void aDatagramTooLargeForTheBufferIsReportedAndStaysQueued() {
        socket.send(LinkDumpByHand.request(3, true));
        ByteBuffer small = ByteBuffer.allocateDirect(16);

        assertThatThrownBy(() -> socket.receive(small, 5000))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EMSGSIZE");
                    assertThat(e.operation()).isEqualTo("netlink receive");
                })
                .hasMessageContaining("but the buffer has 16 bytes left; it stays queued");
        assertThat(small.position()).isZero();

        LinkDumpByHand.Result dump = LinkDumpByHand.receiveUntilDone(socket, ByteBuffer.allocateDirect(32768));
        assertThat(dump.names).containsExactly("lo");
    }

    @Test
    void kernelRefusalOfASendIsTyped() {
        // Larger than the socket's send buffer (1 MiB, doubled by the kernel): netlink refuses it whole.
        ByteBuffer huge = ByteBuffer.allocateDirect(3 << 20);

        assertThatThrownBy(() -> socket.send(huge))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EMSGSIZE");
                    assertThat(e.operation()).isEqualTo("netlink send");
                    assertThat(e.object()).contains("in " + namespace.name());
                });
    }

    @Test
    void socketInTheCallersNamespaceWorks() {
        try (RawNetlinkSocket host = RawNetlinkSocket.open(RawNetlinkSocket.NETLINK_ROUTE)) {
            host.send(LinkDumpByHand.request(9, true));

            LinkDumpByHand.Result dump = LinkDumpByHand.receiveUntilDone(host, ByteBuffer.allocateDirect(32768));

            assertThat(dump.names).contains("lo");
            assertThat(dump.replyPortIds).containsOnly(host.portId());
        }
    }

    @Test
    void closedSocketRefusesUse() {
        socket.close();
        socket.close();

        assertThat(socket.isOpen()).isFalse();
        assertThatThrownBy(() -> socket.send(LinkDumpByHand.request(1, true)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> socket.receive(ByteBuffer.allocateDirect(64), 0))
                .isInstanceOf(IllegalStateException.class);
    }
}
