package dev.iov.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PKey;
import dev.iov.api.net.VlanId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our encoders against the bytes iproute2 6.1 sent for the same change (captured by
 * {@code src/test/resources/netlink/capture.sh}): the same message type and flags, the same fixed header and the
 * same attributes, in the same order and nesting, with the same {@code NLA_F_NESTED} flags, lengths and payloads.
 * Sequence number and port id are not compared.
 *
 * <p>What is deliberately not compared, in full:
 * <ul>
 *   <li>{@link #VALUE_IGNORED}: the payload (not the presence or length) of {@code IFLA_NET_NS_FD} and
 *       {@code IFLA_NET_NS_PID}: a file descriptor number inside the {@code ip} process and the pid of the capture
 *       script's sleeper.</li>
 *   <li>{@link #NOT_SENT_BY_US}: attributes iproute2 sends that we leave out. Empty: we send all of them.</li>
 * </ul>
 * Interface indexes come from the capture namespace (recorded in each vector), because iproute2 resolves names to
 * indexes before it sends; {@link Rtnetlink} instead lets the kernel resolve the name, which
 * {@link #nameSelectionDiffersOnlyInIndexAndName()} pins down.
 */
class GoldenVectorTest {

    /** Attributes whose payload is run-specific. */
    static final Set<String> VALUE_IGNORED = Set.of("IFLA_NET_NS_FD", "IFLA_NET_NS_PID");
    /** Attributes iproute2 sends that our encoder does not. */
    static final Set<String> NOT_SENT_BY_US = Set.of();

    private static final int SEQ_AND_PID = 8;

    @BeforeAll
    static void vectorsAreInHostOrder() {
        // The vectors hold host-order fields of the x86-64 machine they were captured on; iov targets x86-64 and
        // arm64, both little-endian.
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "golden vectors were captured on a little-endian host");
    }

    record Case(String vector, Function<GoldenVector, NetlinkRequest> request) {
        @Override
        public String toString() {
            return vector;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("link-add-veth", v -> (w, b) -> LinkRequests.createVeth(w, b,
                        VethSpec.of(name("iov-va"), name("iov-vb")))),
                new Case("link-add-veth-peer-netns", v -> (w, b) -> LinkRequests.createVeth(w, b,
                        new VethSpec(name("iov-pa"), name("iov-pb"), Optional.of(TargetNamespace.ofFd(99))))),
                new Case("link-add-bridge", v -> (w, b) -> LinkRequests.createBridge(w, b, name("iov-br"))),
                new Case("link-add-vxlan", v -> (w, b) -> LinkRequests.createVxlan(w, b,
                        VxlanSpec.builder(name("iov-vx"), 42).local(ip("198.18.0.1")).remote(ip("198.18.0.2"))
                                .dstPort(4789).device(name("iov-d0")).build(), v.index("iov-d0"))),
                new Case("link-add-vxlan-group", v -> (w, b) -> LinkRequests.createVxlan(w, b,
                        VxlanSpec.builder(name("iov-vg"), 43).group(ip("239.1.1.1")).device(name("iov-d0"))
                                .dstPort(4789).build(), v.index("iov-d0"))),
                new Case("link-add-vxlan6", v -> (w, b) -> LinkRequests.createVxlan(w, b,
                        VxlanSpec.builder(name("iov-v6"), 44).local(ip("2001:2::1")).remote(ip("2001:2::2"))
                                .dstPort(4789).build(), 0)),
                new Case("link-add-macvlan", v -> (w, b) -> LinkRequests.createMacvlan(w, b,
                        new MacvlanSpec(name("iov-mv"), name("iov-d1"), MacvlanMode.BRIDGE), v.index("iov-d1"))),
                new Case("link-add-ipoib", v -> (w, b) -> LinkRequests.createIpoib(w, b,
                        new IpoibSpec(name("iov-ib"), name("iov-d0"), PKey.of(0x8001)), v.index("iov-d0"))),
                change("link-set-up", "iov-d0", LinkChange.builder().up(true).build()),
                change("link-set-down", "iov-d0", LinkChange.builder().up(false).build()),
                change("link-set-mtu", "iov-d0", LinkChange.builder().mtu(1400).build()),
                change("link-set-address", "iov-d0",
                        LinkChange.builder().macAddress(MacAddress.parse("02:00:00:00:00:aa")).build()),
                new Case("link-set-master", v -> (w, b) -> LinkRequests.change(w, b, at(v, "iov-d0"),
                        LinkChange.builder().master(v.index("iov-br")).build())),
                change("link-set-nomaster", "iov-d0", LinkChange.builder().noMaster().build()),
                change("link-set-alias", "iov-d0",
                        LinkChange.builder().alias("iov:h1/java-switch:web-7-eth0").build()),
                change("link-set-netns-fd", "iov-vb",
                        LinkChange.builder().namespace(TargetNamespace.ofFd(99)).build()),
                change("link-set-netns-pid", "iov-va",
                        LinkChange.builder().namespace(TargetNamespace.ofPid(4242)).build()),
                new Case("link-del", v -> (w, b) -> LinkRequests.delete(w, b, at(v, "iov-mv"))),
                new Case("addr-add-v4", v -> (w, b) -> AddressRequests.add(w, b, v.index("iov-d0"),
                        CidrAddress.parse("198.18.0.1/24"))),
                new Case("addr-del-v4", v -> (w, b) -> AddressRequests.remove(w, b, v.index("iov-d0"),
                        CidrAddress.parse("198.18.0.1/24"))),
                new Case("addr-add-v6", v -> (w, b) -> AddressRequests.add(w, b, v.index("iov-d0"),
                        CidrAddress.parse("2001:2::1/64"))),
                new Case("addr-del-v6", v -> (w, b) -> AddressRequests.remove(w, b, v.index("iov-d0"),
                        CidrAddress.parse("2001:2::1/64"))),
                vf("vf-mac", VfConfig.forVf(0).mac(MacAddress.parse("02:00:00:00:00:01")).build()),
                vf("vf-vlan", VfConfig.forVf(1).vlan(VlanId.of(100), 3, VlanProtocol.IEEE_802_1Q).build()),
                vf("vf-vlan-8021ad", VfConfig.forVf(1).vlan(VlanId.of(100), 3, VlanProtocol.IEEE_802_1AD).build()),
                vf("vf-vlan-clear", VfConfig.forVf(1).noVlan().build()),
                vf("vf-rate", VfConfig.forVf(2).minTxRate(Bandwidth.ofMbps(100)).maxTxRate(Bandwidth.ofMbps(1000))
                        .build()),
                // iproute2 read the VF's current rates first; a veth reports none, so it sent min 0, and so does
                // Rtnetlink.setVf (RtnetlinkIT checks that path on the kernel).
                vf("vf-max-rate-only", VfConfig.forVf(2).maxTxRate(Bandwidth.ofMbps(1000)).build()
                        .withCurrentRates(Bandwidth.ZERO, Bandwidth.ZERO)),
                vf("vf-spoofchk", VfConfig.forVf(3).spoofCheck(true).build()),
                vf("vf-trust", VfConfig.forVf(3).trust(false).build()),
                vf("vf-state", VfConfig.forVf(3).linkState(VfLinkState.DISABLE).build()),
                vf("vf-node-guid", VfConfig.forVf(4).nodeGuid(Guid.parse("0x0011223344556677")).build()),
                vf("vf-port-guid", VfConfig.forVf(4).portGuid(Guid.parse("0x0011223344556678")).build()),
                vf("vf-combined", VfConfig.forVf(5).mac(MacAddress.parse("02:00:00:00:00:05"))
                        .vlan(VlanId.of(200), 1, VlanProtocol.IEEE_802_1Q).spoofCheck(true).trust(true)
                        .linkState(VfLinkState.ENABLE).minTxRate(Bandwidth.ofMbps(10))
                        .maxTxRate(Bandwidth.ofMbps(100)).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodesTheSameAttributesAsIproute2(Case c) {
        GoldenVector golden = GoldenVector.load(c.vector());
        assertThat(golden.iproute2).contains("iproute2-6.1");
        ByteBuffer ours = encode(c.request().apply(golden));

        MessageRenderer renderer = new MessageRenderer(VALUE_IGNORED);
        List<String> expected = renderer.render(golden.buffer()).stream()
                .filter(line -> NOT_SENT_BY_US.stream().noneMatch(line.trim()::startsWith))
                .toList();
        assertThat(renderer.render(ours)).as("%s", golden).containsExactlyElementsOf(expected);

        if (expected.stream().noneMatch(line -> line.contains("value ignored"))) {
            assertThat(withoutSeqAndPid(ours)).as("bytes of %s", golden)
                    .isEqualTo(withoutSeqAndPid(golden.buffer()));
        }
    }

    @Test
    void nameSelectionDiffersOnlyInIndexAndName() {
        GoldenVector golden = GoldenVector.load("link-set-mtu");
        LinkChange mtu = LinkChange.builder().mtu(1400).build();

        List<String> byName = new MessageRenderer(Set.of()).render(
                encode((w, b) -> LinkRequests.change(w, b, LinkSelector.byName(name("iov-d0")), mtu)));

        assertThat(byName).containsExactly(
                "nlmsghdr len=52 type=16 flags=0x5",
                "ifinfomsg 00000000000000000000000000000000",
                "IFLA_IFNAME(3) len=11 696f762d643000",
                "IFLA_MTU(4) len=8 78050000");
        assertThat(new MessageRenderer(Set.of()).render(golden.buffer())).containsExactly(
                "nlmsghdr len=40 type=16 flags=0x5",
                "ifinfomsg 00000000030000000000000000000000",
                "IFLA_MTU(4) len=8 78050000");
    }

    /** Encodes into a buffer full of junk, so padding that is not zeroed shows up as a difference. */
    static ByteBuffer encode(NetlinkRequest request) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        while (buffer.hasRemaining()) {
            buffer.put((byte) 0xA5);
        }
        buffer.clear();
        request.encode(new NetlinkMessageWriter(), buffer);
        return buffer;
    }

    private static byte[] withoutSeqAndPid(ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.duplicate().get(bytes);
        Arrays.fill(bytes, SEQ_AND_PID, SEQ_AND_PID + 8, (byte) 0);
        return bytes;
    }

    private static Case change(String vector, String link, LinkChange change) {
        return new Case(vector, v -> (w, b) -> LinkRequests.change(w, b, at(v, link), change));
    }

    private static Case vf(String vector, VfConfig config) {
        return new Case(vector, v -> (w, b) -> VfRequests.set(w, b, at(v, "iov-d0"), config));
    }

    private static LinkSelector at(GoldenVector v, String link) {
        return LinkSelector.byIndex(v.index(link));
    }

    static InterfaceName name(String name) {
        return InterfaceName.of(name);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
