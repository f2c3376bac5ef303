package dev.iov.cli.lab;

import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.switching.MirrorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;

/**
 * The lab's mirror step on iov's software switch, wherever it runs (a {@code SwitchEngine} on real ports or the
 * in-process {@code SoftwareSwitch}): one port's traffic in both directions into a pcap file while some traffic runs.
 */
final class PcapMirror {

    private PcapMirror() {
    }

    /**
     * @param file the pcap file to write
     * @param vmName the VM, naming the mirror
     * @param port the VM's switch port
     * @param add adds a mirror to the switch and returns its id
     * @param remove removes a mirror by id
     * @param traffic what to run while the mirror is in place
     * @return the frames written
     * @throws UncheckedIOException when the file cannot be written
     */
    static long capture(Path file, String vmName, int port, ToIntFunction<MirrorConfig> add, IntConsumer remove,
            Runnable traffic) {
        try (PcapWriter pcap = LabFiles.openPcap(file)) {
            int mirror = add.applyAsInt(MirrorConfig.builder("lab-" + vmName).sourcePorts(port)
                    .destinationPorts(port).outputPcap(pcap).build());
            try {
                traffic.run();
            } finally {
                remove.accept(mirror);
            }
            pcap.flush();
            return pcap.framesWritten();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the mirror of " + vmName + " to " + file, e);
        }
    }
}
