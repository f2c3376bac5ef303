package dev.iov.ethernet.switching;

import static dev.iov.ethernet.switching.SwitchFrames.AD;
import static dev.iov.ethernet.switching.SwitchFrames.BROADCAST;
import static dev.iov.ethernet.switching.SwitchFrames.MULTICAST;
import static dev.iov.ethernet.switching.SwitchFrames.Q;
import static dev.iov.ethernet.switching.SwitchFrames.frame;
import static dev.iov.ethernet.switching.SwitchFrames.mac;
import static dev.iov.ethernet.switching.SwitchFrames.payload;
import static dev.iov.ethernet.switching.SwitchFrames.tagged;
import static dev.iov.ethernet.switching.SwitchFrames.tags;
import static dev.iov.ethernet.switching.SwitchFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SoftwareSwitchTest {
    private static final long A = mac(0xA);
    private static final long B = mac(0xB);
    private static final long C = mac(0xC);

    private final EmbeddedSwitch sw = new EmbeddedSwitch(8);

    private static PortConfig trunk(int... vids) {
        return PortConfig.trunk(VlanSet.of(vids));
    }

    private int[] outputs() {
        int[] counts = new int[8];
        for (int p = 0; p < 8; p++) {
            counts[p] = sw.outboundCount(p);
        }
        return counts;
    }

    // ---- flooding scope, no reflection, no VLAN crossing ----

    @Test
    void accessFloodStaysInItsVlanAndNeverReturnsToTheIngressPort() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(20))
                .addPort(3, PortConfig.access(10));
        byte[] f = untagged(BROADCAST, A);
        sw.send(0, f);
        assertThat(outputs()).containsExactly(0, 1, 0, 1, 0, 0, 0, 0);
        assertThat(sw.readOutbound(1)).isEqualTo(f);
        assertThat(sw.readOutbound(3)).isEqualTo(f);
    }

    @Test
    void unknownUnicastAndMulticastFloodLikeBroadcast() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(10));
        sw.send(0, untagged(B, A)).send(0, untagged(MULTICAST, A));
        assertThat(outputs()).containsExactly(0, 2, 2, 0, 0, 0, 0, 0);
    }

    @Test
    void singlePortVlanFloodsNowhere() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(20));
        sw.send(0, untagged(BROADCAST, A));
        assertThat(outputs()).containsOnly(0);
        assertThat(sw.counters(0).totalDrops()).isZero();
    }

    // ---- learning ----

    @Test
    void knownUnicastGoesToExactlyOnePort() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(10));
        sw.send(1, untagged(BROADCAST, B));
        sw.clearOutbound();
        sw.send(0, untagged(B, A));
        assertThat(outputs()).containsExactly(0, 1, 0, 0, 0, 0, 0, 0);
        // And back: A was learned on port 0 from that frame.
        sw.send(1, untagged(A, B));
        assertThat(sw.outboundCount(0)).isEqualTo(1);
        assertThat(sw.outboundCount(2)).isZero();
    }

    @Test
    void learningIsPerVlan() {
        sw.addPort(0, trunk(10, 20)).addPort(1, trunk(10, 20)).addPort(2, trunk(10, 20));
        sw.send(1, tagged(BROADCAST, B, 10));
        sw.clearOutbound();
        sw.send(0, tagged(B, A, 20));
        assertThat(outputs()).containsExactly(0, 1, 1, 0, 0, 0, 0, 0);
    }

    @Test
    void aMacSeenOnAnotherPortMoves() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(10));
        sw.send(1, untagged(BROADCAST, B));
        sw.send(2, untagged(BROADCAST, B));
        sw.clearOutbound();
        sw.send(0, untagged(B, A));
        assertThat(outputs()).containsExactly(0, 0, 1, 0, 0, 0, 0, 0);
        assertThat(sw.switchUnderTest().macTable().moves()).isEqualTo(1);
    }

    @Test
    void multicastSourcesAreNotLearned() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(10));
        sw.send(1, untagged(BROADCAST, MULTICAST));
        assertThat(sw.switchUnderTest().macTable().lookup(10, MULTICAST, 0)).isEqualTo(MacLearningTable.NO_PORT);
        assertThat(sw.switchUnderTest().macTable().size()).isZero();
    }

    @Test
    void aDestinationLearnedOnTheIngressPortIsDroppedAndCounted() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10));
        sw.send(0, untagged(BROADCAST, B));
        sw.clearOutbound();
        sw.send(0, untagged(B, A));
        assertThat(outputs()).containsOnly(0);
        assertThat(sw.counters(0).drops(DropReason.SAME_PORT)).isEqualTo(1);
    }

    @Test
    void agedEntriesFloodAgain() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(10));
        sw.send(1, untagged(BROADCAST, B));
        sw.clearOutbound();
        sw.advanceSeconds(MacLearningTable.DEFAULT_AGING_SECONDS);
        sw.send(0, untagged(B, A));
        assertThat(outputs()).containsExactly(0, 1, 1, 0, 0, 0, 0, 0);
    }

    @Test
    void removingAPortFlushesItsMacsAndStopsFloodingToIt() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(10));
        sw.send(1, untagged(BROADCAST, B));
        sw.clearOutbound();
        sw.switchUnderTest().removePort(1);
        sw.send(0, untagged(B, A));
        assertThat(outputs()).containsExactly(0, 0, 1, 0, 0, 0, 0, 0);
        sw.send(1, untagged(A, B));
        assertThat(sw.switchUnderTest().unknownPortFrames()).isEqualTo(1);
        assertThatThrownBy(() -> sw.counters(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reconfiguringAPortMovesItToTheNewVlan() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, PortConfig.access(20));
        sw.switchUnderTest().reconfigurePort(1, PortConfig.access(20));
        sw.send(0, untagged(BROADCAST, A));
        assertThat(outputs()).containsOnly(0);
        sw.send(2, untagged(BROADCAST, B));
        assertThat(sw.outboundCount(1)).isEqualTo(1);
    }

    // ---- VLAN modes, ingress and egress ----

    @Test
    void accessDropsVlanTaggedFramesButAcceptsPriorityTags() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10)).addPort(2, trunk(10));
        sw.send(0, tagged(BROADCAST, A, 10));
        assertThat(outputs()).containsOnly(0);
        assertThat(sw.counters(0).drops(DropReason.VLAN_NOT_ALLOWED)).isEqualTo(1);

        byte[] prio = frame(BROADCAST, A, Q, (5 << 13));
        sw.send(0, prio);
        byte[] onAccess = sw.readOutbound(1);
        assertThat(tags(onAccess)).isEmpty();
        assertThat(onAccess).isEqualTo(untagged(BROADCAST, A));
        byte[] onTrunk = sw.readOutbound(2);
        assertThat(tags(onTrunk)).containsExactly(Q, 10);
        assertThat(SwitchFrames.view(onTrunk).outerPcp()).isEqualTo(5);
        assertThat(payload(onTrunk)).isEqualTo(payload(prio));
    }

    @Test
    void accessToTrunkPushesAndTrunkToAccessPops() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, trunk(10, 20));
        byte[] f = untagged(BROADCAST, A);
        sw.send(0, f);
        byte[] out = sw.readOutbound(1);
        assertThat(tags(out)).containsExactly(Q, 10);
        assertThat(out).hasSize(f.length + 4);
        assertThat(payload(out)).isEqualTo(payload(f));

        sw.send(1, tagged(A, B, 10));
        byte[] back = sw.readOutbound(0);
        assertThat(back).isEqualTo(untagged(A, B));
    }

    @Test
    void trunkDropsVlansOutsideItsSetAndKeepsTagsBetweenTrunks() {
        sw.addPort(0, trunk(10, 20)).addPort(1, trunk(10)).addPort(2, trunk(20, 30));
        byte[] f = tagged(BROADCAST, A, 20);
        sw.send(0, f);
        assertThat(outputs()).containsExactly(0, 0, 1, 0, 0, 0, 0, 0);
        assertThat(sw.readOutbound(2)).isEqualTo(f);
        sw.send(0, tagged(BROADCAST, A, 30));
        assertThat(outputs()).containsOnly(0);
        assertThat(sw.counters(0).drops(DropReason.VLAN_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void trunkCarriesUntaggedFramesAsVlanZeroOnlyWhenAllowed() {
        sw.addPort(0, PortConfig.builder(VlanMode.TRUNK).build()).addPort(1, trunk(0, 10))
                .addPort(2, trunk(10)).addPort(3, PortConfig.access(10));
        byte[] f = untagged(BROADCAST, A);
        sw.send(0, f);
        assertThat(outputs()).containsExactly(0, 1, 0, 0, 0, 0, 0, 0);
        assertThat(sw.readOutbound(1)).isEqualTo(f);
        sw.send(2, untagged(BROADCAST, B));
        assertThat(sw.counters(2).drops(DropReason.VLAN_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void vlan4095IsNeverCarried() {
        sw.addPort(0, PortConfig.builder(VlanMode.TRUNK).build()).addPort(1, PortConfig.builder(VlanMode.TRUNK)
                .build());
        sw.send(0, tagged(BROADCAST, A, 4095));
        assertThat(outputs()).containsOnly(0);
        assertThat(sw.counters(0).drops(DropReason.VLAN_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void nativeTaggedClassifiesUntaggedIntoTheNativeVlanAndEgressesItTagged() {
        sw.addPort(0, PortConfig.builder(VlanMode.NATIVE_TAGGED).tag(10).trunks(VlanSet.of(20)).build())
                .addPort(1, PortConfig.builder(VlanMode.NATIVE_TAGGED).tag(10).trunks(VlanSet.of(20)).build())
                .addPort(2, PortConfig.access(10)).addPort(3, PortConfig.access(20));
        sw.send(0, untagged(BROADCAST, A));
        assertThat(outputs()).containsExactly(0, 1, 1, 0, 0, 0, 0, 0);
        assertThat(tags(sw.readOutbound(1))).containsExactly(Q, 10);
        assertThat(tags(sw.readOutbound(2))).isEmpty();
        sw.send(0, tagged(BROADCAST, A, 20));
        assertThat(tags(sw.readOutbound(1))).containsExactly(Q, 20);
        assertThat(tags(sw.readOutbound(3))).isEmpty();
        sw.send(0, frame(BROADCAST, A, Q, 0));
        assertThat(tags(sw.readOutbound(1))).containsExactly(Q, 10);
    }

    @Test
    void nativeUntaggedEgressesTheNativeVlanUntaggedAndOthersTagged() {
        sw.addPort(0, PortConfig.builder(VlanMode.NATIVE_UNTAGGED).tag(10).trunks(VlanSet.of(20)).build())
                .addPort(1, trunk(10, 20));
        sw.send(1, tagged(BROADCAST, A, 10));
        assertThat(sw.readOutbound(0)).isEqualTo(untagged(BROADCAST, A));
        sw.send(1, tagged(BROADCAST, A, 20));
        assertThat(tags(sw.readOutbound(0))).containsExactly(Q, 20);
        sw.send(0, untagged(BROADCAST, B));
        assertThat(tags(sw.readOutbound(1))).containsExactly(Q, 10);
        sw.send(1, tagged(BROADCAST, A, 30));
        assertThat(sw.counters(1).drops(DropReason.VLAN_NOT_ALLOWED)).isEqualTo(1);
    }

    @Test
    void dot1qTunnelPushesAnSTagTowardTrunksAndLeavesCustomerTagsAlone() {
        sw.addPort(0, PortConfig.builder(VlanMode.DOT1Q_TUNNEL).tag(100).build())
                .addPort(1, trunk(100)).addPort(2, PortConfig.builder(VlanMode.DOT1Q_TUNNEL).tag(100).build())
                .addPort(3, PortConfig.builder(VlanMode.DOT1Q_TUNNEL).tag(200).build());
        byte[] customer = tagged(BROADCAST, A, 7);
        sw.send(0, customer);
        assertThat(outputs()).containsExactly(0, 1, 1, 0, 0, 0, 0, 0);
        byte[] onTrunk = sw.readOutbound(1);
        assertThat(tags(onTrunk)).containsExactly(AD, 100, Q, 7);
        assertThat(payload(onTrunk)).isEqualTo(payload(customer));
        assertThat(sw.readOutbound(2)).isEqualTo(customer);

        sw.send(0, untagged(BROADCAST, A));
        assertThat(tags(sw.readOutbound(1))).containsExactly(AD, 100);
        sw.clearOutbound();

        // From the provider side: the S-tag is removed, exposing the customer tag.
        byte[] provider = frame(A, B, AD, 100, Q, 7);
        sw.send(1, provider);
        assertThat(sw.readOutbound(0)).isEqualTo(frame(A, B, Q, 7));
        assertThat(sw.outboundCount(2)).isZero();
        assertThat(sw.outboundCount(3)).isZero();
    }

    // ---- drops and counters ----

    @Test
    void malformedFramesAreDroppedAndCountedByReason() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, PortConfig.access(10));
        sw.send(0, new byte[13]);
        byte[] truncated = Arrays.copyOf(untagged(BROADCAST, A), 16);
        truncated[12] = (byte) 0x81;
        truncated[13] = 0;
        sw.send(0, truncated);
        sw.send(0, new byte[SoftwareSwitch.MAX_FRAME_LENGTH + 1]);
        PortCounters c = sw.counters(0);
        assertThat(c.drops(DropReason.TOO_SHORT)).isEqualTo(1);
        assertThat(c.drops(DropReason.TRUNCATED_TAG)).isEqualTo(1);
        assertThat(c.drops(DropReason.TOO_LONG)).isEqualTo(1);
        assertThat(c.totalDrops()).isEqualTo(3);
        assertThat(c.rxPackets()).isEqualTo(3);
        assertThat(outputs()).containsOnly(0);
    }

    @Test
    void rxAndTxCountersCountFramesAndBytesAsOnTheWire() {
        sw.addPort(0, PortConfig.access(10)).addPort(1, trunk(10)).addPort(2, PortConfig.access(10));
        byte[] f = untagged(BROADCAST, A);
        sw.send(0, f);
        assertThat(sw.counters(0).rxPackets()).isEqualTo(1);
        assertThat(sw.counters(0).rxBytes()).isEqualTo(f.length);
        assertThat(sw.counters(1).txPackets()).isEqualTo(1);
        assertThat(sw.counters(1).txBytes()).isEqualTo(f.length + 4);
        assertThat(sw.counters(2).txBytes()).isEqualTo(f.length);
        assertThat(sw.counters(0).txPackets()).isZero();
        assertThat(sw.counters(0).toString()).contains("rx=1");
    }

    @Test
    void portConfigurationErrors() {
        SoftwareSwitch s = sw.switchUnderTest();
        s.addPort(0, PortConfig.access(1));
        assertThatThrownBy(() -> s.addPort(0, PortConfig.access(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.addPort(8, PortConfig.access(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.removePort(3)).isInstanceOf(IllegalStateException.class);
        assertThat(s.portConfig(0)).isEqualTo(s.portConfig(0));
        assertThat(s.portConfig(5)).isNull();
        assertThat(s.portConfig(-1)).isNull();
    }

    // ---- port security ----

    @Test
    void portSecurityDropsOtherSourcesAndDoesNotLearnThem() {
        sw.addPort(0, PortConfig.builder(VlanMode.ACCESS).tag(10).allowSource(MacAddress.of(A)).build())
                .addPort(1, PortConfig.access(10));
        sw.send(0, untagged(BROADCAST, A));
        sw.send(0, untagged(BROADCAST, C));
        assertThat(sw.outboundCount(1)).isEqualTo(1);
        assertThat(sw.counters(0).drops(DropReason.SPOOFED)).isEqualTo(1);
        assertThat(sw.switchUnderTest().macTable().lookup(10, C, 0)).isEqualTo(MacLearningTable.NO_PORT);
        assertThat(sw.switchUnderTest().macTable().lookup(10, A, 0)).isZero();
    }

    // ---- policing ----

    @Test
    void policingDropsFramesOverRateAndBurstAndRefillsWithTime() {
        // 1000 kbit/s, 10 kbit burst: 1250 bytes, i.e. 20 frames of 60 bytes (9600 bits), the 21st is over.
        sw.addPort(0, PortConfig.builder(VlanMode.ACCESS).tag(10).policing(1000, 10).build())
                .addPort(1, PortConfig.access(10));
        for (int i = 0; i < 25; i++) {
            sw.inject(0, untagged(BROADCAST, A));
        }
        sw.run();
        assertThat(sw.outboundCount(1)).isEqualTo(20);
        assertThat(sw.counters(0).drops(DropReason.POLICED)).isEqualTo(5);
        // 1 bit per microsecond: after 1 ms, 400 + 1000 bits = 2 more frames.
        sw.advanceNanos(1_000_000);
        for (int i = 0; i < 5; i++) {
            sw.inject(0, untagged(BROADCAST, A));
        }
        sw.run();
        assertThat(sw.outboundCount(1)).isEqualTo(22);
        assertThat(sw.counters(0).rxPackets()).isEqualTo(30);
    }
}
