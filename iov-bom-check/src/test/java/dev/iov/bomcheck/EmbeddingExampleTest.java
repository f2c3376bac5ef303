package dev.iov.bomcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.Backends;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.journal.JournalStateStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding example, verbatim between the markers, compiled against iov-api resolved through the BOM
 * (this POM names no iov version) and run. If this test changes, change the README too.
 */
class EmbeddingExampleTest {

    @Test
    void theReadmeExampleRuns() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            example();
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output).startsWith("h2 02:69:6f:");
        assertThat(output).contains("h1", "h2", "2Gbit/s", "no drift on 2 host(s)");
    }

    private static void example() throws Exception {
        // README example begins
        Path stateDir = Files.createTempDirectory("iov-state");
        try (StateStore store = JournalStateStore.open(stateDir);
             Fabric fabric = Fabric.builder()
                     .store(store)
                     .oversubscription(OversubscriptionPolicy.allowUpTo(2.0))
                     .host(Host.of("h1", Uplink.ethernet("eth0", Bandwidth.parse("10G"), BackendKind.VSWITCH_PORT)),
                             Backends.create("embedded", "h1-switch", Map.of()))
                     .host(Host.of("h2", Uplink.ethernet("eth0", Bandwidth.parse("10G"), BackendKind.VSWITCH_PORT)),
                             Backends.create("embedded", "h2-switch", Map.of()))
                     .build()) {
            fabric.defineNetwork(Network.vlan("tenant-42", VlanId.of(42)));

            Vnic nic = fabric.provision("h1", VnicSpec.builder("web-7-eth0", "web-7", "tenant-42")
                    .maxRate(Bandwidth.parse("2G"))
                    .build());
            Vnic moved = fabric.migrate(nic.id(), HostId.of("h2"));     // same network, same MAC

            System.out.println(moved.host() + " " + moved.addresses().mac().orElseThrow());
            System.out.print(fabric.oversubscriptionReport().toText());
            System.out.print(fabric.driftReport().toText());
        }
        // README example ends
    }
}
