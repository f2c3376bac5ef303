package dev.iov.sriov.vf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VfSnapshotJsonTest {

    static final VfSettings VF0 = new VfSettings(0, Optional.of(MacAddress.parse("02:69:6f:00:00:01")),
            Optional.of(VlanId.of(100)), 3, VlanProtocol.IEEE_802_1AD, Bandwidth.ofMbps(100), Bandwidth.ofMbps(1000),
            Optional.of(true), Optional.of(false), VfLinkState.ENABLE);
    static final VfSettings VF11 = new VfSettings(11, Optional.empty(), Optional.empty(), 0, VlanProtocol.IEEE_802_1Q,
            Bandwidth.ZERO, Bandwidth.ZERO, Optional.empty(), Optional.empty(), VfLinkState.AUTO);
    static final VfSnapshot SNAPSHOT = new VfSnapshot(InterfaceName.of("ens1f0"), List.of(VF0, VF11));

    @Test
    void writesTheDocumentedFormat() {
        assertThat(VfSnapshotJson.write(SNAPSHOT)).isEqualToIgnoringWhitespace("""
                { "format" : "iov-vf-snapshot/1", "pf" : "ens1f0", "vfs" : [
                  { "vf" : 0, "mac" : "02:69:6f:00:00:01", "vlan" : 100, "qos" : 3, "vlanProtocol" : "802.1ad",
                    "minTxRateMbps" : 100, "maxTxRateMbps" : 1000, "spoofCheck" : true, "trust" : false,
                    "linkState" : "enable" },
                  { "vf" : 11, "mac" : null, "vlan" : null, "qos" : 0, "vlanProtocol" : "802.1Q",
                    "minTxRateMbps" : 0, "maxTxRateMbps" : 0, "spoofCheck" : null, "trust" : null,
                    "linkState" : "auto" } ] }
                """);
    }

    @Test
    void readsBackWhatItWrites() {
        assertThat(VfSnapshotJson.read(VfSnapshotJson.write(SNAPSHOT), "vfs.json")).isEqualTo(SNAPSHOT);
    }

    @Test
    void aValueOutOfRangeIsReportedWithItsLineAndColumn() {
        String text = VfSnapshotJson.write(SNAPSHOT).replace("\"vlan\" : 100", "\"vlan\" : 4095");
        int line = lineOf(text, "4095");

        assertThatThrownBy(() -> VfSnapshotJson.read(text, "/etc/iov/ens1f0.json"))
                .isInstanceOf(VfSnapshotFormatException.class)
                .hasMessageStartingWith("/etc/iov/ens1f0.json:" + line + ":")
                .hasMessageContaining("vlan 4095 is out of range 1-4094")
                .satisfies(e -> assertThat(((VfSnapshotFormatException) e).line()).isEqualTo(line));
    }

    @Test
    void everyKindOfMistakeNamesItsPlace() {
        String good = VfSnapshotJson.write(SNAPSHOT);
        assertError(good.replace("\"trust\" : false", "\"trusted\" : false"), "unknown VF field 'trusted'");
        assertError(good.replace("\"qos\" : 3,", ""), "VF field 'qos' is missing");
        assertError(good.replace("\"qos\" : 3", "\"qos\" : 8"), "qos 8 is out of range 0-7");
        assertError(good.replace("\"qos\" : 3", "\"qos\" : 1.5"), "qos must be a whole number, not 1.5");
        assertError(good.replace("02:69:6f:00:00:01", "02:69:6f:00:00"), "mac '02:69:6f:00:00'");
        assertError(good.replace("\"802.1ad\"", "\"qinq\""), "vlanProtocol 'qinq': expected 802.1Q or 802.1ad");
        assertError(good.replace("\"enable\"", "\"up\""), "linkState 'up': expected auto, enable or disable");
        assertError(good.replace("\"spoofCheck\" : true", "\"spoofCheck\" : \"yes\""),
                "spoofCheck must be true, false or null, not \"yes\"");
        assertError(good.replace("iov-vf-snapshot/1", "iov-vf-snapshot/9"), "format 'iov-vf-snapshot/9'");
        assertError(good.replace("\"ens1f0\"", "\"ens 1\""), "pf 'ens 1'");
        assertError(good.replace("\"vf\" : 11", "\"vf\" : 0"), "VF 0 of ens1f0 appears twice");
        assertError(good.replace("\"vf\" : 11", "\"vf\" : 99999999999"), "vf 99999999999 is out of range");
        assertError(good.replace("\"pf\" : \"ens1f0\",", ""), "field 'pf' is missing");
        assertError(good + "{}", "text after the snapshot object");
        assertError(good.substring(0, good.length() - 5), "not valid JSON");
        assertError("[]", "the snapshot must be a JSON object, not an array");
        assertError("", "the snapshot must be a JSON object, not the end of the text");
        assertError(good.replace("\"vf\" : 11", "\"vf\" : 11, \"vf\" : 12"), "not valid JSON: Duplicate field 'vf'");
    }

    /** JSON lets a name or value hold an escaped newline; the message shows it escaped, on one line. */
    @Test
    void escapedControlCharactersStayEscapedInTheMessage() {
        String good = VfSnapshotJson.write(SNAPSHOT);
        assertError(good.replace("\"minTxRateMbps\"", "\"m\\nTxRateMbps\""), "unknown VF field 'm\\nTxRateMbps'");
        assertError(good.replace("\"enable\"", "\"up\\u0007\\t\""), "linkState 'up\\u0007\\t'");
        assertError(good.replace("\"ens1f0\"", "\"ens\\r1\""), "pf 'ens\\r1'");
    }

    @Test
    void valuesTheKernelMustNotBeGivenAreRefusedWithTheirPlace() {
        String good = VfSnapshotJson.write(SNAPSHOT);
        assertError(good.replace("02:69:6f:00:00:01", "01:00:5e:00:00:01"),
                "MAC 01:00:5e:00:00:01 is multicast; a VF needs a unicast address");
        assertError(good.replace("02:69:6f:00:00:01", "ff:ff:ff:ff:ff:ff"), "is the broadcast address");
        assertError(good.replace("02:69:6f:00:00:01", "00:00:00:00:00:00"), "is the all-zero address");
        assertError(good.replace("\"minTxRateMbps\" : 100", "\"minTxRateMbps\" : 2000"),
                "VF min rate 2Gbit/s is above max rate 1Gbit/s");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> VfSnapshotJson.read(text, "f.json")).isInstanceOf(VfSnapshotFormatException.class)
                .hasMessageMatching("f\\.json:\\d+:\\d+: .*").hasMessageContaining(message);
    }

    private static int lineOf(String text, String needle) {
        return (int) text.substring(0, text.indexOf(needle)).chars().filter(c -> c == '\n').count() + 1;
    }
}
