package dev.iov.sriov.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PciAddress;
import dev.iov.api.net.VlanId;
import dev.iov.testing.Privileged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostdevXmlTest {

    private static final PciAddress VF = PciAddress.parse("0000:3b:00.2");
    private static final MacAddress MAC = MacAddress.parse("02:69:6f:00:00:01");

    @TempDir
    Path dir;

    @Test
    void anInterfaceCarriesTheMacTheVfAddressAndTheVlan() {
        assertThat(HostdevXml.hostdevInterface(VF, Optional.of(MAC), Optional.of(VlanId.of(42)), 4)).isEqualTo("""
                    <interface type='hostdev' managed='yes'>
                      <mac address='02:69:6f:00:00:01'/>
                      <driver name='vfio'/>
                      <source>
                        <address type='pci' domain='0x0000' bus='0x3b' slot='0x00' function='0x2'/>
                      </source>
                      <vlan>
                        <tag id='42'/>
                      </vlan>
                    </interface>
                """);
    }

    @Test
    void withoutMacOrVlanThoseElementsAreLeftOut() {
        String xml = HostdevXml.hostdevInterface(PciAddress.parse("abcd:ff:1f.7"), Optional.empty(), Optional.empty(),
                0);

        assertThat(xml).doesNotContain("<mac", "<vlan")
                .contains("<address type='pci' domain='0xabcd' bus='0xff' slot='0x1f' function='0x7'/>");
    }

    @Test
    void aHostdevPassesTheDeviceThrough() {
        assertThat(HostdevXml.hostdev(VF, 0)).isEqualTo("""
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <driver name='vfio'/>
                  <source>
                    <address domain='0x0000' bus='0x3b' slot='0x00' function='0x2'/>
                  </source>
                </hostdev>
                """);
    }

    @Test
    void aNegativeIndentIsRefused() {
        assertThatThrownBy(() -> HostdevXml.hostdev(VF, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("indent -1");
    }

    @Test
    @Privileged(tools = "virt-xml-validate")
    void libvirtsOwnSchemaAcceptsADomainWithBothElements() throws Exception {
        String devices = HostdevXml.hostdevInterface(VF, Optional.of(MAC), Optional.of(VlanId.of(4094)), 4)
                + HostdevXml.hostdevInterface(PciAddress.parse("0000:3b:00.3"), Optional.empty(), Optional.empty(), 4)
                + HostdevXml.hostdev(PciAddress.parse("0000:3b:00.4"), 4);

        assertThat(validate(domain(devices))).as("virt-xml-validate output").contains("validates");
    }

    @Test
    @Privileged(tools = "virt-xml-validate")
    void theValidatorRejectsABrokenElement() throws Exception {
        // Proves the check above can fail: libvirt's schema has no 'vlan' inside <hostdev>.
        String broken = HostdevXml.hostdev(VF, 4).replace("</hostdev>", "  <vlan><tag id='7'/></vlan>\n    </hostdev>");

        assertThat(validate(domain(broken))).startsWith("INVALID");
    }

    private static String domain(String devices) {
        return "<domain type='kvm'>\n  <name>iov-vm1</name>\n  <memory unit='MiB'>128</memory>\n"
                + "  <os>\n    <type arch='x86_64'>hvm</type>\n  </os>\n  <devices>\n" + devices + "  </devices>\n"
                + "</domain>\n";
    }

    /** @return "validates" with the tool's output, or "INVALID" with it */
    private String validate(String domainXml) throws IOException, InterruptedException {
        Path file = dir.resolve("domain.xml");
        Files.writeString(file, domainXml);
        Process p = new ProcessBuilder("virt-xml-validate", file.toString(), "domain").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("virt-xml-validate finished").isTrue();
        return (p.exitValue() == 0 ? "validates: " : "INVALID: ") + out;
    }
}
