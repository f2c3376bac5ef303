package dev.iov.ethernet.switching;

import static dev.iov.ethernet.switching.SwitchFrames.AD;
import static dev.iov.ethernet.switching.SwitchFrames.BROADCAST;
import static dev.iov.ethernet.switching.SwitchFrames.Q;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.frame.EthernetFrame;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random topologies (2 to 8 ports in random VLAN modes over VLANs 0 to 3) and random traffic, checked against an
 * independent model of OVS classification and learning: every frame goes exactly where the model says (which
 * implies never the ingress port, never another VLAN, and exactly one port for a known unicast); and each emitted
 * frame is the received frame without its VLAN tag (none for a tunnel port, whose customer tags are payload), sent
 * either exactly so, where the egress port wants the VLAN untagged, or under one outer tag carrying the VLAN.
 */
class SwitchProperties {

    record Traffic(int port, int src, int dst, int tpid, int vid, boolean secondTag) {
    }

    @Provide
    Arbitrary<PortConfig> ports() {
        Arbitrary<Integer> vlan = Arbitraries.integers().between(1, 3);
        Arbitrary<VlanSet> trunks = Arbitraries.integers().between(0, 3).set().ofMinSize(1)
                .map(s -> VlanSet.of(s.stream().mapToInt(Integer::intValue).toArray()));
        return Arbitraries.oneOf(
                vlan.map(PortConfig::access),
                vlan.map(v -> PortConfig.builder(VlanMode.DOT1Q_TUNNEL).tag(v).build()),
                trunks.map(PortConfig::trunk),
                Combinators.combine(vlan, trunks).as((v, t) -> PortConfig.builder(VlanMode.NATIVE_TAGGED).tag(v)
                        .trunks(t).build()),
                Combinators.combine(vlan, trunks).as((v, t) -> PortConfig.builder(VlanMode.NATIVE_UNTAGGED).tag(v)
                        .trunks(t).build()));
    }

    @Provide
    Arbitrary<List<Traffic>> traffic() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(-1, 5),
                Arbitraries.of(0, Q, AD),
                Arbitraries.integers().between(0, 4),
                Arbitraries.of(false, true))
                .as(Traffic::new).list().ofMaxSize(60);
    }

    @Property(tries = 300)
    void framesGoExactlyWhereTheModelSays(@ForAll("topology") List<PortConfig> ports,
                                          @ForAll("traffic") List<Traffic> traffic) {
        EmbeddedSwitch sw = new EmbeddedSwitch(8);
        for (int p = 0; p < ports.size(); p++) {
            sw.addPort(p, ports.get(p));
        }
        Map<Long, Integer> learned = new HashMap<>();
        for (Traffic t : traffic) {
            int in = t.port() % ports.size();
            long src = SwitchFrames.mac(t.src());
            long dst = t.dst() < 0 ? BROADCAST : SwitchFrames.mac(t.dst());
            byte[] f = t.tpid() == 0 ? SwitchFrames.untagged(dst, src)
                    : t.secondTag() ? SwitchFrames.frame(dst, src, t.tpid(), t.vid(), Q, 9)
                    : SwitchFrames.frame(dst, src, t.tpid(), t.vid());
            sw.send(in, f);

            PortConfig cfg = ports.get(in);
            int vlan = classify(cfg, f);
            TreeSet<Integer> expected = new TreeSet<>();
            if (vlan >= 0) {
                learned.put(key(vlan, src), in);
                Integer known = t.dst() < 0 ? null : learned.get(key(vlan, dst));
                if (known != null) {
                    if (known != in) {
                        expected.add(known);
                    }
                } else {
                    for (int p = 0; p < ports.size(); p++) {
                        if (p != in && ports.get(p).carried().contains(vlan)) {
                            expected.add(p);
                        }
                    }
                }
            }
            TreeSet<Integer> actual = new TreeSet<>();
            for (int p = 0; p < ports.size(); p++) {
                List<byte[]> out = sw.drainOutbound(p);
                assertThat(out.size()).as("copies on port %d", p).isLessThanOrEqualTo(1);
                if (out.isEmpty()) {
                    continue;
                }
                actual.add(p);
                PortConfig egress = ports.get(p);
                byte[] inner = cfg.mode() == VlanMode.DOT1Q_TUNNEL || SwitchFrames.view(f).tagCount() == 0 ? f
                        : stripOuterTag(f);
                byte[] sent = out.get(0);
                if (egress.untaggedVlan() == vlan) {
                    assertThat(sent).as("untagged egress on port %d", p).isEqualTo(inner);
                } else {
                    EthernetFrame view = SwitchFrames.view(sent);
                    assertThat(view.tagCount()).as("tagged egress on port %d", p).isPositive();
                    assertThat(view.outerVid()).as("VLAN on egress port %d", p).isEqualTo(vlan);
                    assertThat(stripOuterTag(sent)).isEqualTo(inner);
                }
            }
            assertThat(actual).as("ports for %s on %d (VLAN %d)", t, in, vlan).isEqualTo(expected);
            assertThat(actual).doesNotContain(in);
        }
    }

    @Provide
    Arbitrary<List<PortConfig>> topology() {
        return ports().list().ofMinSize(2).ofMaxSize(8);
    }

    @Property(tries = 300)
    void randomBytesNeverThrowAndEveryFrameIsCounted(@ForAll("topology") List<PortConfig> ports,
                                                     @ForAll("garbage") List<byte[]> frames) {
        EmbeddedSwitch sw = new EmbeddedSwitch(8);
        for (int p = 0; p < ports.size(); p++) {
            sw.addPort(p, ports.get(p));
        }
        for (int i = 0; i < frames.size(); i++) {
            sw.inject(i % ports.size(), frames.get(i));
        }
        sw.run();
        long rx = 0;
        for (int p = 0; p < ports.size(); p++) {
            rx += sw.counters(p).rxPackets();
        }
        assertThat(rx).isEqualTo(frames.size());
    }

    @Provide
    Arbitrary<List<byte[]>> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        // Random bytes behind a VLAN TPID, so the tag paths get exercised too.
        Arbitrary<byte[]> tagged = random.map(b -> {
            byte[] f = java.util.Arrays.copyOf(b, Math.max(b.length, 14));
            f[12] = (byte) (b.length % 2 == 0 ? 0x81 : 0x88);
            f[13] = (byte) (b.length % 2 == 0 ? 0x00 : 0xa8);
            return f;
        });
        return Arbitraries.oneOf(random, tagged).list().ofMaxSize(100);
    }

    private static byte[] stripOuterTag(byte[] f) {
        byte[] r = new byte[f.length - 4];
        System.arraycopy(f, 0, r, 0, 12);
        System.arraycopy(f, 16, r, 12, f.length - 16);
        return r;
    }

    private static long key(int vlan, long mac) {
        return ((long) vlan << 48) | mac;
    }

    /** The model: OVS classification of a frame received on a port, or -1 when it is dropped. */
    static int classify(PortConfig cfg, byte[] frame) {
        EthernetFrame f = SwitchFrames.view(frame);
        if (!f.isValid()) {
            return -1;
        }
        int vid = f.tagCount() > 0 ? f.outerVid() : 0;
        int vlan;
        switch (cfg.mode()) {
            case ACCESS:
                if (vid != 0) {
                    return -1;
                }
                vlan = cfg.tag();
                break;
            case DOT1Q_TUNNEL:
                vlan = cfg.tag();
                break;
            case TRUNK:
                vlan = vid;
                break;
            default:
                vlan = vid != 0 ? vid : cfg.tag();
                break;
        }
        return cfg.carried().contains(vlan) ? vlan : -1;
    }
}
