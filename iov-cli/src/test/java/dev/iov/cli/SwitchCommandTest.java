package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.ethernet.port.PortStats;
import dev.iov.ethernet.switching.DropReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov switch run}: every bad option is an input error (exit 2) naming the value, found before anything is
 * opened (no pcap file appears, no switch runs), and the counters' rendering. Running it on real links is
 * {@code SwitchRunIT}.
 */
class SwitchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void badOptionsAreInputErrorsNamingTheValueAndOpenNothing() {
        Path pcap = dir.resolve("sw.pcap");
        String file = pcap.toString();

        assertRefused("--port 'lo' is the only port", "--port", "lo", "--pcap", file);
        assertRefused("--port 'a:access=0': invalid VLAN ID '0'", "--port", "a:access=0", "--port", "b");
        assertRefused("--port 'a:access=4095'", "--port", "a:access=4095", "--port", "b");
        assertRefused("--port 'a:trunk=10,x'", "--port", "a:trunk=10,x", "--port", "b");
        assertRefused("--port 'a:trunk=20-10': VLAN range '20-10' is empty", "--port", "a:trunk=20-10", "--port", "b");
        assertRefused("--port 'a:native=10': expected NAME, NAME:access=VLAN", "--port", "a:native=10", "--port", "b");
        assertRefused("--port 'this-name-is-too-long:trunk'", "--port", "this-name-is-too-long:trunk", "--port", "b");
        assertRefused("--port 'a:trunk': link 'a' is given twice", "--port", "a", "--port", "a:trunk");
        assertRefused("--pcap '" + dir + "' is a directory", "--port", "a", "--port", "b", "--pcap", dir.toString());
        assertRefused("--pcap '" + dir.resolve("no/x.pcap") + "': directory '" + dir.resolve("no")
                + "' does not exist", "--port", "a", "--port", "b", "--pcap", dir.resolve("no/x.pcap").toString());
        assertRefused("--netns 'iov-t-nonexistent': no such network namespace", "--port", "a", "--port", "b",
                "--netns", "iov-t-nonexistent", "--pcap", file);
        assertRefused("--netns '../x': no such network namespace", "--port", "a", "--port", "b", "--netns", "../x");
        assertRefused("--port 'iov-nope0': no link 'iov-nope0' in this network namespace", "--port", "iov-nope0",
                "--port", "iov-nope1", "--pcap", file);
        assertRefused("'lo' is a loopback device", "--port", "lo", "--port", "iov-nope1:access=5", "--pcap", file);
        assertRefused("missing required option: '--port", "--pcap", file);

        assertThat(pcap).as("nothing was opened").doesNotExist();
    }

    @Test
    void countersAreATableAndOneJsonDocumentWithEveryDropReason() throws Exception {
        SwitchCommand.Counters counters = new SwitchCommand.Counters("SIGINT", Optional.of("iov-sw"),
                Optional.of(dir.resolve("sw.pcap")), Optional.of(7L), List.of(
                        new SwitchCommand.PortCounters(SwitchPortOption.parse("s-a:access=10"),
                                new PortStats("s-a", 5, 490, 4, 392, 0, 0, 0, Map.of())),
                        new SwitchCommand.PortCounters(SwitchPortOption.parse("s-b:trunk=10,20-22"),
                                new PortStats("s-b", 4, 408, 5, 490, 1, 2, 3,
                                        Map.of(DropReason.VLAN_NOT_ALLOWED, 2L)))));

        JsonNode json = JSON.readTree(Json.toString(counters.toJson()));
        assertThat(json.get("stoppedBy").asText()).isEqualTo("SIGINT");
        assertThat(json.get("netns").asText()).isEqualTo("iov-sw");
        assertThat(json.get("pcapFrames").asLong()).isEqualTo(7);
        assertThat(json.get("ports")).hasSize(2);
        JsonNode b = json.get("ports").get(1);
        assertThat(b.get("name").asText()).isEqualTo("s-b");
        assertThat(b.get("vlan").asText()).isEqualTo("trunk 10,20-22");
        assertThat(b.get("rxPackets").asLong()).isEqualTo(4);
        assertThat(b.get("txBusy").asLong()).isEqualTo(1);
        assertThat(b.get("txErrors").asLong()).isEqualTo(2);
        assertThat(b.get("rxErrors").asLong()).isEqualTo(3);
        assertThat(b.get("drops").size()).isEqualTo(DropReason.values().length);
        assertThat(b.get("drops").get("VLAN_NOT_ALLOWED").asLong()).isEqualTo(2);

        StringWriter text = new StringWriter();
        counters.printText(new PrintWriter(text, true));
        assertThat(text.toString()).startsWith("switch stopped by SIGINT (network namespace iov-sw); 7 frames "
                + "mirrored to " + dir.resolve("sw.pcap") + "\nPORT ");
        assertThat(text.toString()).containsPattern("\\ns-a +access 10 +5 +490 +4 +392 +0 +0 +0 +0\\n")
                .containsPattern("\\ns-b +trunk 10,20-22 +4 +408 +5 +490 +1 +2 +3 +2\\n");
    }

    private static void assertRefused(String message, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "switch";
        args[1] = "run";
        System.arraycopy(options, 0, args, 2, options.length);
        CliRunner.Result result = CliRunner.run(args);
        assertThat(result.exitCode()).as("%s -> %s", List.of(args), result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("iov: ").contains(message);
    }
}
