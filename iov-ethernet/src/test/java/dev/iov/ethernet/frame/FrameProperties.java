package dev.iov.ethernet.frame;

import static dev.iov.ethernet.frame.TestFrames.buffer;
import static dev.iov.ethernet.frame.TestFrames.bytes;
import static dev.iov.ethernet.frame.TestFrames.concat;
import static dev.iov.ethernet.frame.TestFrames.ethernet;
import static dev.iov.ethernet.frame.TestFrames.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.TestFrames.Ext;
import dev.iov.ethernet.frame.TestFrames.Tag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the frame flyweights and parser: no input makes them throw, edits are reversible, and a frame
 * built from random fields parses back to exactly those fields.
 */
class FrameProperties {

    /** What a randomly built frame carries above layer 2. */
    sealed interface L3 permits V4, V6, Other {
    }

    /** An upper layer: ports for TCP/UDP/SCTP, otherwise opaque bytes. */
    record L4(int protocol, int sport, int dport, int payloadLength) {
    }

    /** An IPv4 packet. */
    record V4(int src, int dst, int optionWords, int fragmentOffsetUnits, boolean more, L4 l4) implements L3 {
    }

    /** An IPv6 packet with an extension-header chain. */
    record V6(long srcHigh, long srcLow, long dstHigh, long dstLow, List<Ext> exts, L4 l4) implements L3 {
    }

    /** Anything that is neither IP nor a tag. */
    record Other(int etherType, int length) implements L3 {
    }

    /** A whole frame: MACs, tags (outer first), layer 3 and Ethernet padding after it. */
    record Spec(long dst, long src, List<Tag> tags, L3 l3, int padding) {
    }

    private final FrameParser parser = new FrameParser();
    private final ParsedFrame parsed = new ParsedFrame();
    private final EthernetFrame frame = new EthernetFrame();

    // ---- never throw ----

    @Property
    void randomBytesNeverThrow(@ForAll("rawBytes") byte[] bytes, @ForAll @IntRange(max = 2000) int a,
            @ForAll @IntRange(max = 2000) int b, @ForAll boolean littleEndian, @ForAll boolean direct) {
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        buf.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).put(0, bytes);
        int offset = a % (bytes.length + 1);
        int length = b % (bytes.length - offset + 1);
        exerciseEverything(buf, offset, length);
    }

    @Property
    void corruptedAndTruncatedFramesNeverThrow(@ForAll("frames") Spec spec, @ForAll("corruptions") int[] corruption,
            @ForAll("cuts") int cut, @ForAll("cuts") int ipLength, @ForAll @IntRange(max = 8) int headroom) {
        byte[] bytes = build(spec);
        // Shorten the IP length field, corrupt header bytes (the first 100) and cut the frame short, each now and
        // then, to reach every check in the parser.
        int l3 = 14 + 4 * spec.tags().size();
        if (ipLength >= 0 && !(spec.l3() instanceof Other)) {
            int at = l3 + (spec.l3() instanceof V4 ? 2 : 4);
            int actual = ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
            TestFrames.put16(bytes, at, ipLength % (actual + 1));
        }
        for (int i = 0; i + 1 < corruption.length; i += 2) {
            bytes[corruption[i] % bytes.length] = (byte) corruption[i + 1];
        }
        int length = cut < 0 ? bytes.length : cut % (bytes.length + 1);
        ByteBuffer buf = buffer(bytes, headroom, 0);
        exerciseEverything(buf, headroom, length);

        Statistics.label("status").collect(FrameStatus.name(parsed.status()));
        Statistics.label("status").coverage(coverage -> {
            for (int status = FrameStatus.OK; status <= FrameStatus.TRUNCATED_L4; status++) {
                coverage.check(FrameStatus.name(status)).count(n -> n > 0);
            }
        });
    }

    /** Parses, reads every accessor and edits: none of it may throw, and the results must be self-consistent. */
    private void exerciseEverything(ByteBuffer buf, int offset, int length) {
        int end = offset + length;
        int status = parser.parse(buf, offset, length, parsed);
        assertThat(status).isBetween(FrameStatus.OK, FrameStatus.TRUNCATED_L4).isEqualTo(parsed.status());
        if (parsed.l3Kind() != ParsedFrame.L3_NONE) {
            assertThat(parsed.l3Offset()).isBetween(offset + 14, end);
            int addressLength = parsed.l3Kind() == ParsedFrame.L3_IPV4 ? 4 : 16;
            assertThat(parsed.destinationAddressOffset() + addressLength).isLessThanOrEqualTo(end);
        }
        if (parsed.l4Offset() != ParsedFrame.NONE) {
            assertThat(parsed.l4Offset()).isBetween(parsed.l3Offset(), end);
        }
        if (parsed.hasPorts()) {
            assertThat(parsed.l4Offset() + 4).isLessThanOrEqualTo(end);
            assertThat(parsed.sourcePort()).isBetween(0, 65535);
        }
        assertThat(parsed.toString()).isNotEmpty();

        frame.wrap(buf, offset, length);
        long sum = frame.destination() + frame.source() + frame.etherType() + frame.tagCount() + frame.outerTpid()
                + frame.outerTci() + frame.outerVid() + frame.outerPcp() + frame.outerDei() + frame.innerTpid()
                + frame.innerTci() + frame.innerVid() + frame.innerPcp() + frame.innerDei() + frame.payloadEtherType()
                + frame.payloadOffset() + frame.payloadLength();
        assertThat(sum).isNotNull();
        if (frame.isValid()) {
            assertThat(frame.payloadOffset()).isLessThanOrEqualTo(end);
        }
        frame.rewriteOuterVid(4095);
        if (frame.pushTag(EtherTypes.QINQ_8021AD, 1, 1) == FrameStatus.OK) {
            assertThat(frame.popTag()).isEqualTo(FrameStatus.OK);
        }
        while (frame.popTag() == FrameStatus.OK) {
            assertThat(frame.offset() + frame.length()).isEqualTo(end);
        }

        Ipv4Header v4 = new Ipv4Header();
        if (v4.wrap(buf, offset, length) == FrameStatus.OK) {
            assertThat(v4.end()).isLessThanOrEqualTo(end);
            assertThat(v4.version() + v4.tos() + v4.identification() + v4.fragmentOffset() + v4.ttl()
                    + v4.protocol() + v4.source() + v4.destination()).isNotNull();
        }
        Ipv6Header v6 = new Ipv6Header();
        if (v6.wrap(buf, offset, length) == FrameStatus.OK) {
            assertThat(v6.upperLayerOffset()).isBetween(offset + 40, v6.end());
            assertThat(v6.end()).isLessThanOrEqualTo(end);
            assertThat(v6.trafficClass() + v6.flowLabel() + v6.hopLimit() + v6.nextHeader() + v6.sourceHigh()
                    + v6.sourceLow() + v6.destinationHigh() + v6.destinationLow()).isNotNull();
        }
    }

    // ---- edits ----

    @Property
    void pushThenPopRestoresTheFrameBytesExactly(@ForAll("frames") Spec spec, @ForAll("tags") Tag pushed,
            @ForAll @IntRange(min = 4, max = 40) int headroom, @ForAll @IntRange(max = 16) int tailroom) {
        byte[] original = build(spec);
        ByteBuffer buf = buffer(original, headroom, tailroom);
        frame.wrap(buf, headroom, original.length);

        assertThat(frame.pushTag(pushed.tpid(), pushed.vid(), pushed.pcp())).isEqualTo(FrameStatus.OK);
        assertThat(frame.offset()).isEqualTo(headroom - 4);
        assertThat(frame.outerTpid()).isEqualTo(pushed.tpid());
        assertThat(frame.outerVid()).isEqualTo(pushed.vid());
        assertThat(frame.outerPcp()).isEqualTo(pushed.pcp());
        assertThat(frame.outerDei()).isZero();
        assertThat(frame.popTag()).isEqualTo(FrameStatus.OK);

        assertThat(frame.offset()).isEqualTo(headroom);
        assertThat(frame.length()).isEqualTo(original.length);
        assertThat(slice(buf, headroom, original.length)).isEqualTo(original);
        assertThat(slice(buf, headroom + original.length, tailroom)).as("tailroom").isEqualTo(untouched(tailroom));
        assertThat(slice(buf, 0, headroom - 4)).as("headroom beyond the tag").isEqualTo(untouched(headroom - 4));
        assertThat(frame.status()).isEqualTo(FrameStatus.OK);
    }

    @Property
    void pushChangesOnlyTheTags(@ForAll("frames") Spec spec, @ForAll("tags") Tag pushed) {
        byte[] original = build(spec);
        ByteBuffer buf = buffer(original, 4, 0);
        parser.parse(buf, 4, original.length, parsed);
        List<Object> before = upperFields(parsed);
        int tagsBefore = parsed.tagCount();
        int outerTpidBefore = parsed.outerTpid();
        int outerVidBefore = parsed.outerVid();

        frame.wrap(buf, 4, original.length);
        frame.pushTag(pushed.tpid(), pushed.vid(), pushed.pcp());
        parser.parse(buf, frame.offset(), frame.length(), parsed);

        assertThat(parsed.tagCount()).isEqualTo(Math.min(2, tagsBefore + 1));
        assertThat(parsed.outerTpid()).isEqualTo(pushed.tpid());
        assertThat(parsed.outerVid()).isEqualTo(pushed.vid());
        assertThat(parsed.innerTpid()).isEqualTo(outerTpidBefore);
        assertThat(parsed.innerVid()).isEqualTo(outerVidBefore);
        assertThat(parsed.destination()).isEqualTo(spec.dst());
        assertThat(parsed.source()).isEqualTo(spec.src());
        if (tagsBefore < 2) {
            // The payload did not move: every absolute offset and every upper-layer field is as before.
            assertThat(upperFields(parsed)).isEqualTo(before);
        }
    }

    @Property
    void rewriteOuterVidChangesOnlyTheVid(@ForAll("frames") Spec spec, @ForAll @IntRange(max = 4095) int vid) {
        byte[] original = build(spec);
        ByteBuffer buf = ByteBuffer.wrap(original.clone());
        frame.wrap(buf, 0, original.length);
        int result = frame.rewriteOuterVid(vid);
        if (spec.tags().isEmpty()) {
            assertThat(result).isEqualTo(FrameStatus.NO_TAG);
            assertThat(buf.array()).isEqualTo(original);
            return;
        }
        assertThat(result).isEqualTo(FrameStatus.OK);
        Tag outer = spec.tags().get(0);
        List<Tag> tags = new ArrayList<>(spec.tags());
        tags.set(0, new Tag(outer.tpid(), outer.pcp(), outer.dei(), vid));
        assertThat(buf.array()).isEqualTo(build(new Spec(spec.dst(), spec.src(), tags, spec.l3(), spec.padding())));
    }

    // ---- parse of a built frame ----

    @Property
    void parseReturnsExactlyTheFieldsTheFrameWasBuiltFrom(@ForAll("frames") Spec spec,
            @ForAll @IntRange(max = 64) int headroom) {
        byte[] bytes = build(spec);
        ByteBuffer buf = buffer(bytes, headroom, 7);
        assertThat(parser.parse(buf, headroom, bytes.length, parsed)).as("%s", parsed).isEqualTo(FrameStatus.OK);

        assertThat(parsed.frameOffset()).isEqualTo(headroom);
        assertThat(parsed.frameLength()).isEqualTo(bytes.length);
        assertThat(parsed.destination()).isEqualTo(spec.dst());
        assertThat(parsed.source()).isEqualTo(spec.src());
        List<Tag> tags = spec.tags();
        assertThat(parsed.tagCount()).isEqualTo(tags.size());
        assertThat(parsed.etherType()).isEqualTo(tags.isEmpty() ? etherType(spec.l3()) : tags.get(0).tpid());
        assertTag(tags.size() > 0 ? tags.get(0) : null, parsed.outerTpid(), parsed.outerVid(), parsed.outerPcp(),
                parsed.outerDei());
        assertTag(tags.size() > 1 ? tags.get(1) : null, parsed.innerTpid(), parsed.innerVid(), parsed.innerPcp(),
                parsed.innerDei());
        int l3 = headroom + 14 + 4 * tags.size();
        assertThat(parsed.payloadEtherType()).isEqualTo(etherType(spec.l3()));
        assertThat(parsed.payloadOffset()).isEqualTo(l3);

        if (spec.l3() instanceof V4 v4) {
            assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_IPV4);
            assertThat(parsed.l3Offset()).isEqualTo(l3);
            assertThat(parsed.ipv4Source()).isEqualTo(v4.src());
            assertThat(parsed.ipv4Destination()).isEqualTo(v4.dst());
            assertThat(parsed.sourceAddressOffset()).isEqualTo(l3 + 12);
            assertThat(parsed.destinationAddressOffset()).isEqualTo(l3 + 16);
            boolean later = v4.fragmentOffsetUnits() != 0;
            assertThat(parsed.isFragment()).isEqualTo(later || v4.more());
            assertThat(parsed.isFirstFragment()).isEqualTo(v4.more() && !later);
            assertThat(parsed.l4Protocol()).isEqualTo(v4.l4().protocol());
            assertUpperLayer(v4.l4(), later, l3 + 20 + 4 * v4.optionWords());
        } else if (spec.l3() instanceof V6 v6) {
            assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_IPV6);
            assertThat(parsed.l3Offset()).isEqualTo(l3);
            assertThat(parsed.ipv6SourceHigh()).isEqualTo(v6.srcHigh());
            assertThat(parsed.ipv6SourceLow()).isEqualTo(v6.srcLow());
            assertThat(parsed.ipv6DestinationHigh()).isEqualTo(v6.dstHigh());
            assertThat(parsed.ipv6DestinationLow()).isEqualTo(v6.dstLow());
            assertThat(parsed.sourceAddressOffset()).isEqualTo(l3 + 8);
            assertThat(parsed.destinationAddressOffset()).isEqualTo(l3 + 24);
            // Walk the chain the way RFC 8200 describes it, from the spec rather than the bytes.
            int at = l3 + 40;
            int protocol = v6.l4().protocol();
            boolean fragment = false;
            boolean later = false;
            List<Ext> exts = v6.exts();
            for (int i = 0; i < exts.size() && !later; i++) {
                Ext ext = exts.get(i);
                at += ext.length();
                if (ext.type() == IpProtocols.FRAGMENT) {
                    fragment = true;
                    if (ext.fragmentOffsetUnits() != 0) {
                        later = true;
                        protocol = i + 1 < exts.size() ? exts.get(i + 1).type() : v6.l4().protocol();
                    }
                }
            }
            assertThat(parsed.isFragment()).isEqualTo(fragment);
            assertThat(parsed.isFirstFragment()).isEqualTo(fragment && !later);
            assertThat(parsed.l4Protocol()).isEqualTo(protocol);
            assertUpperLayer(v6.l4(), later, at);
        } else {
            assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_NONE);
            assertThat(parsed.l3Offset()).isEqualTo(ParsedFrame.NONE);
            assertThat(parsed.l4Protocol()).isEqualTo(ParsedFrame.NONE);
            assertThat(parsed.l4Offset()).isEqualTo(ParsedFrame.NONE);
            assertThat(parsed.isFragment()).isFalse();
            assertThat(parsed.hasPorts()).isFalse();
        }
    }

    @Property
    void bufferOrderAndKindDoNotChangeTheParse(@ForAll("frames") Spec spec) {
        byte[] bytes = build(spec);
        parser.parse(ByteBuffer.wrap(bytes), 0, bytes.length, parsed);
        List<Object> heap = allFields(parsed);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN).put(0, bytes);
        parser.parse(direct, 0, bytes.length, parsed);
        assertThat(allFields(parsed)).isEqualTo(heap);
    }

    private void assertUpperLayer(L4 l4, boolean laterFragment, int expectedOffset) {
        if (laterFragment) {
            assertThat(parsed.l4Offset()).isEqualTo(ParsedFrame.NONE);
            assertThat(parsed.hasPorts()).isFalse();
            return;
        }
        assertThat(parsed.l4Offset()).isEqualTo(expectedOffset);
        if (L4Ports.hasPorts(l4.protocol())) {
            assertThat(parsed.hasPorts()).isTrue();
            assertThat(parsed.sourcePort()).isEqualTo(l4.sport());
            assertThat(parsed.destinationPort()).isEqualTo(l4.dport());
        } else {
            assertThat(parsed.hasPorts()).isFalse();
            assertThat(parsed.sourcePort()).isEqualTo(ParsedFrame.NONE);
        }
    }

    /** What {@link TestFrames#buffer} puts around a frame. */
    private static byte[] untouched(int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) 0xEE);
        return b;
    }

    private static void assertTag(Tag tag, int tpid, int vid, int pcp, int dei) {
        if (tag == null) {
            assertThat(List.of(tpid, vid, pcp, dei)).containsOnly(ParsedFrame.NONE);
        } else {
            assertThat(List.of(tpid, vid, pcp, dei)).containsExactly(tag.tpid(), tag.vid(), tag.pcp(), tag.dei());
        }
    }

    private static List<Object> upperFields(ParsedFrame p) {
        return List.of(p.status(), p.payloadEtherType(), p.payloadOffset(), p.l3Kind(), p.l3Offset(),
                p.sourceAddressOffset(), p.destinationAddressOffset(), p.ipv4Source(), p.ipv4Destination(),
                p.ipv6SourceHigh(), p.ipv6SourceLow(), p.ipv6DestinationHigh(), p.ipv6DestinationLow(),
                p.isFragment(), p.isFirstFragment(), p.l4Protocol(), p.l4Offset(), p.sourcePort(),
                p.destinationPort());
    }

    private static List<Object> allFields(ParsedFrame p) {
        List<Object> all = new ArrayList<>(upperFields(p));
        all.addAll(List.of(p.frameOffset(), p.frameLength(), p.destination(), p.source(), p.etherType(),
                p.tagCount(), p.outerTpid(), p.outerVid(), p.outerPcp(), p.outerDei(), p.innerTpid(), p.innerVid(),
                p.innerPcp(), p.innerDei()));
        return all;
    }

    // ---- building ----

    static int etherType(L3 l3) {
        if (l3 instanceof V4) {
            return EtherTypes.IPV4;
        }
        if (l3 instanceof V6) {
            return EtherTypes.IPV6;
        }
        return ((Other) l3).etherType();
    }

    static byte[] build(Spec spec) {
        byte[] packet;
        if (spec.l3() instanceof V4 v4) {
            int flagsAndOffset = (v4.more() ? 0x2000 : 0) | v4.fragmentOffsetUnits();
            packet = TestFrames.ipv4(v4.src(), v4.dst(), v4.l4().protocol(), v4.optionWords(), flagsAndOffset,
                    upperLayer(v4.l4()));
        } else if (spec.l3() instanceof V6 v6) {
            packet = TestFrames.ipv6(TestFrames.ipv6Address(v6.srcHigh(), v6.srcLow()),
                    TestFrames.ipv6Address(v6.dstHigh(), v6.dstLow()), v6.exts(), v6.l4().protocol(),
                    upperLayer(v6.l4()));
        } else {
            packet = bytes(((Other) spec.l3()).length());
        }
        byte[] padding = new byte[spec.padding()];
        Arrays.fill(padding, (byte) 0xA5);
        return ethernet(spec.dst(), spec.src(), spec.tags(), etherType(spec.l3()), concat(packet, padding));
    }

    private static byte[] upperLayer(L4 l4) {
        byte[] payload = bytes(l4.payloadLength());
        switch (l4.protocol()) {
            case IpProtocols.TCP:
                return TestFrames.tcp(l4.sport(), l4.dport(), payload);
            case IpProtocols.UDP:
                return TestFrames.udp(l4.sport(), l4.dport(), payload);
            case IpProtocols.SCTP:
                return TestFrames.sctp(l4.sport(), l4.dport(), payload);
            default:
                return payload;
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<byte[]> rawBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    }

    /** Pairs of (index below 100, byte value). */
    @Provide
    Arbitrary<int[]> corruptions() {
        return Arbitraries.integers().between(0, 99).array(int[].class).ofMaxSize(6)
                .map(a -> {
                    for (int i = 1; i < a.length; i += 2) {
                        a[i] = a[i] * 2654435 >>> 8; // spread values over all bytes, not just 0..99
                    }
                    return a;
                });
    }

    /** -1 (keep the whole frame) half the time, otherwise a length to cut at. */
    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, 2000)));
    }

    @Provide
    Arbitrary<Tag> tags() {
        return Combinators.combine(Arbitraries.of(EtherTypes.VLAN_8021Q, EtherTypes.QINQ_8021AD),
                        Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, 4095))
                .as(Tag::new);
    }

    @Provide
    Arbitrary<Spec> frames() {
        Arbitrary<Long> macs = Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL);
        Arbitrary<L3> l3 = Arbitraries.frequencyOf(
                Tuple.of(4, ipv4s()), Tuple.of(4, ipv6s()),
                Tuple.of(1, others()));
        return Combinators.combine(macs, macs, tags().list().ofMaxSize(2), l3,
                        Arbitraries.integers().between(0, 24))
                .as(Spec::new);
    }

    private Arbitrary<L3> ipv4s() {
        Arbitrary<Integer> fragmentOffset = Arbitraries.oneOf(Arbitraries.just(0),
                Arbitraries.integers().between(1, 0x1FFF));
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers(),
                        Arbitraries.integers().between(0, 10), fragmentOffset, Arbitraries.of(true, false),
                        l4s(IpProtocols.ICMP, IpProtocols.GRE))
                .as(V4::new);
    }

    private Arbitrary<L3> ipv6s() {
        Arbitrary<Ext> options = Combinators.combine(Arbitraries.of(IpProtocols.HOP_BY_HOP, IpProtocols.ROUTING,
                IpProtocols.DESTINATION_OPTIONS, IpProtocols.MOBILITY, IpProtocols.HIP, IpProtocols.SHIM6),
                Arbitraries.integers().between(1, 4)).as(Ext::options);
        Arbitrary<Ext> ah = Arbitraries.integers().between(3, 10).map(Ext::ah);
        Arbitrary<Ext> fragment = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 0x1FFF)),
                Arbitraries.of(true, false)).as(Ext::fragment);
        Arbitrary<List<Ext>> chain = Arbitraries.oneOf(options, ah, fragment).list().ofMaxSize(4);
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(),
                        Arbitraries.longs(), chain,
                        l4s(IpProtocols.ICMPV6, IpProtocols.ESP, IpProtocols.NO_NEXT_HEADER, IpProtocols.GRE))
                .as(V6::new);
    }

    private Arbitrary<L3> others() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF)
                        .filter(t -> t != EtherTypes.IPV4 && t != EtherTypes.IPV6 && !EtherTypes.isVlanTag(t)),
                Arbitraries.integers().between(0, 100)).as(Other::new);
    }

    private static Arbitrary<L4> l4s(Integer... portless) {
        Arbitrary<Integer> protocols = Arbitraries.oneOf(
                Arbitraries.of(IpProtocols.TCP, IpProtocols.UDP, IpProtocols.SCTP), Arbitraries.of(portless));
        Arbitrary<Integer> ports = Arbitraries.integers().between(0, 65535);
        return Combinators.combine(protocols, ports, ports, Arbitraries.integers().between(0, 64)).as(L4::new);
    }
}
