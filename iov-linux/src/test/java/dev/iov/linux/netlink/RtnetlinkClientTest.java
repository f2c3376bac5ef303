package dev.iov.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.linux.AlreadyExistsException;
import dev.iov.linux.LinuxException;
import dev.iov.linux.NoSuchDeviceException;
import dev.iov.linux.NotSupportedException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's protocol logic against canned kernel replies. */
class RtnetlinkClientTest {

    private final FakeTransport kernel = new FakeTransport();
    private final RtnetlinkClient client = new RtnetlinkClient(kernel);

    private static final NetlinkRequest SET_MTU = (w, b) -> LinkRequests.change(w, b,
            LinkSelector.byName(GoldenVectorTest.name("veth0")), LinkChange.builder().mtu(1400).build());
    private static final NetlinkRequest DUMP = (w, b) -> LinkRequests.dump(w, b, 0);

    @Test
    void anAckCompletesTheRequest() {
        kernel.then(seq -> List.of(Replies.ack(seq)));

        client.execute(SET_MTU, "set MTU", "veth0");

        assertThat(kernel.sent).hasSize(1);
        NlMsgHdr sent = new NlMsgHdr().wrap(ByteBuffer.wrap(kernel.sent.get(0)), 0);
        assertThat(sent.flags() & NetlinkConstants.NLM_F_ACK).isNotZero();
        assertThat(sent.portId()).isEqualTo(FakeTransport.PORT_ID);
    }

    @Test
    void sequenceNumbersIncrease() {
        kernel.then(seq -> List.of(Replies.ack(seq))).then(seq -> List.of(Replies.ack(seq)));
        client.execute(SET_MTU, "set MTU", "veth0");
        client.execute(SET_MTU, "set MTU", "veth0");
        assertThat(kernel.sentSequence(1)).isEqualTo(kernel.sentSequence(0) + 1);
    }

    @Test
    void aNegativeErrorBecomesTheTypedExceptionWithTheKernelsMessage() {
        kernel.then(seq -> List.of(Replies.error(seq, -95, "VF settings are not supported on veth")));

        assertThatThrownBy(() -> client.execute(SET_MTU, "set VF 0", "veth0"))
                .isInstanceOfSatisfying(NotSupportedException.class, e -> {
                    assertThat(e.errnoNumber()).isEqualTo(95);
                    assertThat(e.operation()).isEqualTo("set VF 0");
                    assertThat(e.object()).isEqualTo("veth0");
                    assertThat(e.getMessage())
                            .startsWith("set VF 0 on 'veth0' failed: EOPNOTSUPP (95)")
                            .endsWith("kernel says \"VF settings are not supported on veth\", at request offset 36");
                });
    }

    @Test
    void theExtendedAckIsFoundBehindAFullEchoOfTheRequest() {
        kernel.then(seq -> List.of(Replies.errorEchoingRequest(seq, -17, kernel.sent.get(0), "Link exists")));

        assertThatThrownBy(() -> client.execute(SET_MTU, "create veth", "v0"))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageEndingWith("kernel says \"Link exists\"");
    }

    @Test
    void anErrorWithoutExtendedAckStillNamesOperationAndObject() {
        kernel.then(seq -> List.of(Replies.error(seq, -19, null)));

        assertThatThrownBy(() -> client.execute(SET_MTU, "set MTU", "veth9"))
                .isInstanceOf(NoSuchDeviceException.class)
                .hasMessageStartingWith("set MTU on 'veth9' failed: ENODEV (19)");
    }

    @Test
    void aMultipartDumpIsCollectedUntilDone() {
        kernel.then(seq -> List.of(
                Replies.datagram(Replies.link(seq, 0, 1, "lo"), Replies.link(seq, 0, 2, "eth0")),
                Replies.datagram(Replies.link(seq, 0, 3, "eth1"), Replies.done(seq, 0, 0))));
        List<String> names = new ArrayList<>();

        client.execute(DUMP, message -> names.add(new LinkParser().parse(message).name().value()), "list links",
                null);

        assertThat(names).containsExactly("lo", "eth0", "eth1");
        NlMsgHdr sent = new NlMsgHdr().wrap(ByteBuffer.wrap(kernel.sent.get(0)), 0);
        assertThat(sent.flags()).isEqualTo(NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP);
    }

    @Test
    void anInterruptedDumpIsRepeatedFromScratch() {
        kernel.then(seq -> List.of(
                        Replies.datagram(Replies.link(seq, 0, 1, "lo"),
                                Replies.link(seq, NetlinkConstants.NLM_F_DUMP_INTR, 2, "gone")),
                        Replies.done(seq, NetlinkConstants.NLM_F_DUMP_INTR, 0)))
                .then(seq -> List.of(Replies.datagram(Replies.link(seq, 0, 1, "lo"), Replies.link(seq, 0, 3, "new"),
                        Replies.done(seq, 0, 0))));
        List<String> names = new ArrayList<>();
        int[] restarts = {0};

        client.execute(DUMP, new ResponseHandler() {
            @Override
            public void onMessage(MessageReader message) {
                names.add(new LinkParser().parse(message).name().value());
            }

            @Override
            public void onRestart() {
                restarts[0]++;
                names.clear();
            }
        }, "list links", null);

        assertThat(kernel.sent).hasSize(2);
        assertThat(restarts[0]).isEqualTo(1);
        assertThat(names).containsExactly("lo", "new");
    }

    @Test
    void aDumpInterruptedEveryTimeGivesUp() {
        for (int i = 0; i < RtnetlinkClient.MAX_DUMP_ATTEMPTS; i++) {
            kernel.then(seq -> List.of(Replies.done(seq, NetlinkConstants.NLM_F_DUMP_INTR, 0)));
        }

        assertThatThrownBy(() -> client.execute(DUMP, message -> { }, "list links", null))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EINTR"))
                .hasMessageContaining("interrupted by concurrent changes 8 times");
        assertThat(kernel.sent).hasSize(RtnetlinkClient.MAX_DUMP_ATTEMPTS);
    }

    @Test
    void aDumpThatFailsPartWayReportsTheErrorInDone() {
        kernel.then(seq -> List.of(Replies.datagram(Replies.link(seq, 0, 1, "lo"), Replies.done(seq, 0, -22))));

        assertThatThrownBy(() -> client.execute(DUMP, message -> { }, "list links", null))
                .isInstanceOf(dev.iov.linux.InvalidArgumentException.class);
    }

    @Test
    void noReplyWithinTheTimeoutIsAClearError() {
        kernel.then(seq -> List.of());
        client.timeout(Duration.ofMillis(50));

        assertThatThrownBy(() -> client.execute(SET_MTU, "set MTU", "veth0"))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("ETIMEDOUT");
                    assertThat(e.getMessage()).startsWith("set MTU on 'veth0' failed: ETIMEDOUT (110)")
                            .contains("no netlink reply within 50 ms");
                });
    }

    @Test
    void theDefaultTimeoutIsFiveSeconds() {
        assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void repliesToAnEarlierRequestAreSkipped() {
        kernel.then(seq -> List.of(Replies.error(seq - 1, -16, null), Replies.datagram(
                Replies.link(seq + 7, 0, 9, "stale"), Replies.ack(seq))));

        client.execute(SET_MTU, "set MTU", "veth0");
    }

    @Test
    void aGetCollectsTheReplyBeforeTheAck() {
        kernel.then(seq -> List.of(Replies.link(seq, 0, 4, "veth0"), Replies.ack(seq)));
        List<LinkInfo> links = new ArrayList<>();

        client.execute((w, b) -> LinkRequests.get(w, b, LinkSelector.byIndex(4), 0),
                message -> links.add(new LinkParser().parse(message)), "get link", "ifindex 4");

        assertThat(links).singleElement().satisfies(link -> {
            assertThat(link.index()).isEqualTo(4);
            assertThat(link.mtu()).isEqualTo(1500);
            assertThat(link.up()).isTrue();
        });
    }

    @Test
    void theReceiveBufferGrowsForALargeDatagram() {
        byte[] big = Replies.message(NetlinkConstants.RTM_NEWLINK, 0, 0, w -> {
            w.reserveIfInfoMsg().index(5);
            w.putCString(NetlinkConstants.IFLA_IFNAME, "pf0");
            w.putBytes(NetlinkConstants.IFLA_VFINFO_LIST, new byte[40_000]);
            w.putBytes(NetlinkConstants.IFLA_IFALIAS, new byte[40_000]);
        });
        kernel.then(seq -> {
            new NlMsgHdr().wrap(ByteBuffer.wrap(big), 0).sequence(seq);
            return List.of(big, Replies.ack(seq));
        });
        List<Integer> lengths = new ArrayList<>();

        client.execute((w, b) -> LinkRequests.get(w, b, LinkSelector.byIndex(5), NetlinkConstants.RTEXT_FILTER_VF),
                message -> lengths.add(message.length()), "get VF info", "pf0");

        assertThat(lengths).containsExactly(big.length);
        assertThat(kernel.receiveSizes).startsWith(RtnetlinkClient.INITIAL_RECEIVE_BUFFER,
                2 * RtnetlinkClient.INITIAL_RECEIVE_BUFFER);
    }

    @Test
    void theSendBufferGrowsForALargeRequest() {
        kernel.then(seq -> List.of(Replies.ack(seq)));

        client.execute((w, b) -> {
            w.begin(b, NetlinkConstants.RTM_NEWLINK, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK);
            w.reserveIfInfoMsg();
            w.putBytes(NetlinkConstants.IFLA_IFALIAS, new byte[20_000]);
            w.finish();
        }, "set alias", "veth0");

        assertThat(kernel.sent.get(0)).hasSize(16 + 16 + 4 + 20_000);
    }

    @Test
    void aRequestWithoutAckOrDumpIsRefused() {
        assertThatThrownBy(() -> client.execute((w, b) -> {
            w.begin(b, NetlinkConstants.RTM_NEWLINK, NetlinkConstants.NLM_F_REQUEST);
            w.reserveIfInfoMsg();
            w.finish();
        }, "set nothing", "veth0")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NLM_F_ACK");
        assertThat(kernel.sent).isEmpty();
    }

    @Test
    void closeClosesTheTransport() {
        client.close();
        assertThat(kernel.closed).isTrue();
    }
}
