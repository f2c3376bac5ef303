package dev.iov.infiniband.partition;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.iov.infiniband.partition.Membership.BOTH;
import static dev.iov.infiniband.partition.Membership.FULL;
import static dev.iov.infiniband.partition.Membership.LIMITED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MembershipTest {

    @Test
    void onlyTwoLimitedMembersCannotTalk() {
        for (Membership a : Membership.values()) {
            for (Membership b : Membership.values()) {
                boolean expected = !(a == LIMITED && b == LIMITED);
                assertThat(a.canCommunicateWith(b)).as(a + " with " + b).isEqualTo(expected);
                // The keys the ports get agree with the P_Key rule.
                boolean byKeys = a.keysIn(PKey.of(5)).stream()
                        .anyMatch(k -> b.keysIn(PKey.of(5)).stream().anyMatch(k::canCommunicateWith));
                assertThat(byKeys).as(a + " with " + b + " by keys").isEqualTo(expected);
            }
        }
    }

    @Test
    void membershipDecidesTheKeysBit() {
        assertThat(FULL.keysIn(PKey.of(0x0005))).containsExactly(PKey.of(0x8005));
        assertThat(LIMITED.keysIn(PKey.of(0x8005))).containsExactly(PKey.of(0x0005));
        assertThat(BOTH.keysIn(PKey.of(0x0005))).containsExactly(PKey.of(0x8005), PKey.of(0x0005));
    }

    @Test
    void partitionKeysAreHeldWithoutTheMembershipBit() {
        Partition p = Partition.builder("P", PKey.of(0x8005)).build();
        assertThat(p.pkey()).isEqualTo(PKey.of(0x0005));
        assertThat(PartitionConfig.of(List.of(p)).partition(PKey.of(0x8005))).contains(p);
    }

    @Test
    void modelRefusesWhatOpenSmCannotHold() {
        assertThatThrownBy(() -> Partition.builder("a,b", PKey.of(1)).build())
                .hasMessageContaining("'a,b'").hasMessageContaining("delimiter");
        assertThatThrownBy(() -> Partition.builder("", PKey.of(1)).build()).hasMessageContaining("empty");
        assertThatThrownBy(() -> Partition.builder("x".repeat(32), PKey.of(1)).build())
                .hasMessageContaining("longer than 31");
        assertThatThrownBy(() -> Partition.builder("Mine", PKey.DEFAULT).build())
                .hasMessageContaining("always named 'Default'");
        assertThatThrownBy(() -> PartitionMember.of(Guid.ZERO, FULL)).hasMessageContaining("zero GUID");
        Partition a = Partition.builder("A", PKey.of(1)).build();
        Partition b = Partition.builder("B", PKey.of(0x8001)).build();
        assertThatThrownBy(() -> PartitionConfig.of(List.of(a, b)))
                .hasMessageContaining("'A' and 'B' both have P_Key 0x0001");
        PartitionFlags indx0 = PartitionFlags.builder().indx0(true).build();
        PartitionMember m = PartitionMember.of(PortGroup.ALL, FULL);
        assertThatThrownBy(() -> PartitionConfig.of(List.of(
                Partition.builder("A", PKey.of(1)).flags(indx0).member(m).build(),
                Partition.builder("B", PKey.of(2)).flags(indx0).member(m).build())))
                .hasMessageContaining("port ALL is in indx0 partitions 'A' (0x0001) and 'B' (0x0002)");
        assertThatThrownBy(() -> PartitionFlags.builder().mtu(6)).hasMessage(
                "invalid partition flag mtu='6': expected an IBTA MTU code 1 (256) to 5 (4096)");
    }
}
