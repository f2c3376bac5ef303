package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerResultReaderTest {

    @Test
    void rteSoftrssLineGivesIpv4AndIpv6NanosecondsPerHash() {
        List<Result> results = PeerResultReader.readRteSoftrss("peer", Fixtures.text(Fixtures.RSS_PEER));

        assertThat(results).extracting(Result::className, Result::method, r -> r.primary().score(),
                r -> r.primary().unit()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("RteSoftrss", "ipv4Tcp", 139.0, "ns/op"),
                        org.assertj.core.groups.Tuple.tuple("RteSoftrss", "ipv6Tcp", 258.0, "ns/op"));
    }

    @Test
    void peerOutputWithoutItsLineIsRefused() {
        assertThatThrownBy(() -> PeerResultReader.readRteSoftrss("raw/rss-peer.txt", "rss_softrss: vector 3: got 0x1"))
                .isInstanceOf(ReportException.class).hasMessageStartingWith("raw/rss-peer.txt: no line");
    }

    @Test
    void e2eGivesOneResultPerSwitchThatRanAndSkipsNulls() {
        List<Result> results = PeerResultReader.readE2e("e2e", "== java-switch\nprogress\n" + Fixtures.text(Fixtures.E2E));

        assertThat(results).hasSize(4);
        assertThat(results).filteredOn(r -> r.method().equals("tcp")).extracting(r -> r.param("switch"),
                r -> r.primary().score()).containsExactly(org.assertj.core.groups.Tuple.tuple("java-switch", 9000.0),
                        org.assertj.core.groups.Tuple.tuple("ovs-netdev", 6000.0));
        assertThat(results).filteredOn(r -> r.method().equals("udp64")).allMatch(r -> r.primary().unit()
                .equals("kpps"));
    }

    @Test
    void e2eFigureThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> PeerResultReader.readE2e("e2e", "{\"java_switch_mbps\":\"fast\"}"))
                .isInstanceOf(ReportException.class).hasMessageContaining("'java_switch_mbps' must be a number");
    }

    @Test
    void e2eOutputWithoutTheJsonLineIsRefused() {
        assertThatThrownBy(() -> PeerResultReader.readE2e("e2e", "e2e.sh: needs root"))
                .isInstanceOf(ReportException.class).hasMessageContaining("last line is not JSON");
    }
}
