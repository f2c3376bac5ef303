package dev.iov.api.net;

import static dev.iov.api.net.ParseContract.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PciAddressTest {

    @Test
    void parsesFullAndShortFormsInEitherCase() {
        PciAddress vf = PciAddress.parse("0000:3B:00.1");
        assertThat(vf.domain()).isZero();
        assertThat(vf.bus()).isEqualTo(0x3b);
        assertThat(vf.device()).isZero();
        assertThat(vf.function()).isEqualTo(1);
        assertThat(vf).hasToString("0000:3b:00.1").isEqualTo(PciAddress.parse("3b:00.1"));
        assertThat(PciAddress.of(0xffff, 0xff, 0x1f, 7)).hasToString("ffff:ff:1f.7");
        assertThat(PciAddress.parse("1:2:3.4")).isEqualTo(PciAddress.of(1, 2, 3, 4)).hasToString("0001:02:03.4");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0000:3b:20.0    | device 0x20 is out of range 0-0x1f",
        "0000:3b:00.8    | function 0x8 is out of range 0-0x7",
        "0000:3b:00      | found no '.'",
        "3b.0            | expected dddd:bb:dd.f or bb:dd.f",
        "0:0000:3b:00.0  | expected dddd:bb:dd.f or bb:dd.f",
        "10000:3b:00.0   | domain '10000' is not 1-4 hex digits",
        "0000:13b:00.0   | bus '13b' is not 1-2 hex digits",
        "0000:3b:0g.0    | device '0g' is not 1-2 hex digits",
        "0000:3b:00.     | function '' is not one hex digit",
        "0000:3b:00.10   | function '10' is not one hex digit",
        "0000::00.0      | bus '' is not 1-2 hex digits",
        "0000:3b:00.1.2  | device '00.1' is not 1-2 hex digits",
        "+000:3b:00.0    | domain '+000' is not 1-4 hex digits",
    })
    void refusesBadText(String input, String reason) {
        assertRejected(() -> PciAddress.parse(input), input, reason);
    }

    @Test
    void refusesOutOfRangeFields() {
        assertRejected(() -> PciAddress.of(0x10000, 0, 0, 0), "domain=65536 bus=0 device=0 function=0",
                "domain 0x10000 is out of range 0-0xffff");
        assertRejected(() -> PciAddress.of(0, 256, 0, 0), "domain=0 bus=256 device=0 function=0", "bus 0x100");
        assertRejected(() -> PciAddress.of(0, 0, 32, 0), "domain=0 bus=0 device=32 function=0", "device 0x20");
        assertRejected(() -> PciAddress.of(0, 0, 0, -1), "domain=0 bus=0 device=0 function=-1", "function -1");
    }

    @Test
    void ordersByDomainBusDeviceFunctionIncludingHighDomains() {
        assertThat(PciAddress.parse("0000:3b:00.7")).isLessThan(PciAddress.parse("0000:3b:01.0"));
        assertThat(PciAddress.parse("0000:3b:1f.7")).isLessThan(PciAddress.parse("0000:3c:00.0"));
        assertThat(PciAddress.parse("7fff:ff:1f.7")).isLessThan(PciAddress.parse("8000:00:00.0"));
        assertThat(PciAddress.parse("ffff:00:00.0")).isGreaterThan(PciAddress.parse("0001:00:00.0"));
    }
}
