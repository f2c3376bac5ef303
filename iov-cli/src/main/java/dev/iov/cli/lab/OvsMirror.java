package dev.iov.cli.lab;

import dev.iov.api.net.InterfaceName;
import dev.iov.ethernet.ovs.OvsDaemons;
import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VethSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A port mirror on an Open vSwitch bridge written to a pcap file: an OVS mirror selects a port's traffic in both
 * directions and outputs it to one end of a veth pair ({@code iov-lab-mir}); a thread reads the other end
 * ({@code iov-lab-mirc}) with {@code AF_PACKET} and writes every frame to the file. Everything it adds is removed
 * again.
 */
final class OvsMirror {

    private static final InterfaceName OUTPUT = InterfaceName.of(LabPlan.PREFIX + "mir");
    private static final InterfaceName CAPTURE = InterfaceName.of(LabPlan.PREFIX + "mirc");

    private OvsMirror() {
    }

    private static void purgeFlows(OvsDaemons daemons) {
        Process p;
        try {
            p = new ProcessBuilder("ovs-appctl", "-t", daemons.directory().resolve("ovs-vswitchd.ctl").toString(),
                    "revalidator/purge").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting ovs-appctl", e);
        }
        ProcessOutput out = ProcessOutput.of(p, 10, "ovs-appctl revalidator/purge");
        if (out.exit() != 0) {
            throw new IllegalStateException("ovs-appctl revalidator/purge failed: " + out.output().strip());
        }
    }

    /**
     * @param daemons the host's daemons
     * @param hostNamespace the namespace ovs-vswitchd runs in
     * @param bridge the bridge
     * @param port the mirrored port
     * @param file the pcap file
     * @param traffic what to do while mirroring
     * @return frames written
     */
    static long capture(OvsDaemons daemons, NetworkNamespace hostNamespace, String bridge, String port, Path file,
            Runnable traffic) {
        try (Rtnetlink rtnl = Rtnetlink.open(hostNamespace)) {
            rtnl.createVeth(VethSpec.of(OUTPUT, CAPTURE));
            rtnl.setUp(OUTPUT);
            rtnl.setUp(CAPTURE);
        }
        try (PcapWriter pcap = LabFiles.openPcap(file);
                PacketSocket socket = PacketSocket.open(CAPTURE.value(), hostNamespace)) {
            daemons.vsctl("add-port", bridge, OUTPUT.value());
            daemons.vsctl("--", "--id=@p", "get", "port", port, "--", "--id=@o", "get", "port", OUTPUT.value(),
                    "--", "--id=@m", "create", "mirror", "name=lab", "select-src-port=@p", "select-dst-port=@p",
                    "output-port=@o", "--", "set", "bridge", bridge, "mirrors=@m");
            // Flows the datapath cached before the mirror existed would bypass it until revalidated: drop them.
            purgeFlows(daemons);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                ByteBuffer frame = ByteBuffer.allocateDirect(9216 + 64);
                try {
                    while (!stop.get()) {
                        frame.clear();
                        int length = socket.receive(frame, 50);
                        if (length > 0) {
                            pcap.write(frame, 0, length, System.currentTimeMillis() * 1_000_000L);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                }
            }, "iov-lab-mirror");
            reader.setDaemon(true);
            reader.start();
            try {
                traffic.run();
                Thread.sleep(200);
            } finally {
                stop.set(true);
                reader.join(2_000);
                daemons.vsctl("clear", "bridge", bridge, "mirrors");
                daemons.vsctl("del-port", bridge, OUTPUT.value());
            }
            if (failure.get() != null) {
                throw new IllegalStateException("reading the mirror: " + failure.get().getMessage(), failure.get());
            }
            pcap.flush();
            return pcap.framesWritten();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the mirror of port " + port + " to " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while mirroring", e);
        } finally {
            try (Rtnetlink rtnl = Rtnetlink.open(hostNamespace)) {
                rtnl.deleteLink(OUTPUT);
            }
        }
    }
}
