package dev.iov.ethernet.switching;

import dev.iov.ethernet.pcap.PcapWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable port mirror (SPAN) with OVS {@code Mirror} semantics: it selects frames received on any of its source
 * ports ({@code select_src_port}), or sent to any of its destination ports ({@code select_dst_port}), or every frame
 * ({@code select_all}); optionally only those in its VLAN set ({@code select_vlan}); and copies each selected frame
 * once, as received, to an output port ({@code output_port}, which is then reserved for the mirror) or to a pcap file.
 */
public final class MirrorConfig {
    /** No output port. */
    public static final int NO_PORT = -1;

    private final String name;
    private final boolean selectAll;
    private final int[] sourcePorts;
    private final int[] destinationPorts;
    private final VlanSet vlans;
    private final int outputPort;
    private final PcapWriter outputPcap;

    private MirrorConfig(Builder b) {
        this.name = b.name;
        this.selectAll = b.selectAll;
        this.sourcePorts = b.sourcePorts;
        this.destinationPorts = b.destinationPorts;
        this.vlans = b.vlans;
        this.outputPort = b.outputPort;
        this.outputPcap = b.outputPcap;
    }

    /**
     * @param name a name for logs and management
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return true when every frame is selected regardless of port */
    public boolean selectAll() {
        return selectAll;
    }

    /** @return the ports whose received frames are selected (a copy) */
    public int[] sourcePorts() {
        return sourcePorts.clone();
    }

    /** @return the ports whose transmitted frames are selected (a copy) */
    public int[] destinationPorts() {
        return destinationPorts.clone();
    }

    /** @return the VLANs selected frames must be in ({@link VlanSet#all()} unless restricted) */
    public VlanSet vlans() {
        return vlans;
    }

    /** @return the output port, or {@link #NO_PORT} when the output is a pcap file */
    public int outputPort() {
        return outputPort;
    }

    /** @return the pcap output, or null when the output is a port */
    public PcapWriter outputPcap() {
        return outputPcap;
    }

    @Override
    public String toString() {
        return "MirrorConfig{" + name + (selectAll ? ", all" : "") + ", src=" + Arrays.toString(sourcePorts)
                + ", dst=" + Arrays.toString(destinationPorts) + ", vlans=" + vlans
                + (outputPort == NO_PORT ? ", pcap" : ", output=" + outputPort) + "}";
    }

    /** Collects and validates a {@link MirrorConfig}. */
    public static final class Builder {
        private final String name;
        private boolean selectAll;
        private int[] sourcePorts = new int[0];
        private int[] destinationPorts = new int[0];
        private VlanSet vlans = VlanSet.all();
        private int outputPort = NO_PORT;
        private PcapWriter outputPcap;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** @return this builder, selecting every frame (OVS {@code select_all}) */
        public Builder selectAll() {
            this.selectAll = true;
            return this;
        }

        /**
         * @param ports ports whose received frames are selected
         * @return this builder
         */
        public Builder sourcePorts(int... ports) {
            this.sourcePorts = checkPorts(ports);
            return this;
        }

        /**
         * @param ports ports whose transmitted frames are selected
         * @return this builder
         */
        public Builder destinationPorts(int... ports) {
            this.destinationPorts = checkPorts(ports);
            return this;
        }

        /**
         * @param vlans the VLANs to select (OVS {@code select_vlan})
         * @return this builder
         */
        public Builder vlans(VlanSet vlans) {
            this.vlans = Objects.requireNonNull(vlans, "vlans");
            return this;
        }

        /**
         * @param port the output port, reserved for this mirror
         * @return this builder
         */
        public Builder outputPort(int port) {
            if (port < 0) {
                throw new IllegalArgumentException("mirror output port " + port + " is negative");
            }
            this.outputPort = port;
            return this;
        }

        /**
         * @param pcap the pcap writer selected frames are written to
         * @return this builder
         */
        public Builder outputPcap(PcapWriter pcap) {
            this.outputPcap = Objects.requireNonNull(pcap, "pcap");
            return this;
        }

        /**
         * @return the mirror
         * @throws IllegalArgumentException when it selects nothing or has not exactly one output
         */
        public MirrorConfig build() {
            if ((outputPort == NO_PORT) == (outputPcap == null)) {
                throw new IllegalArgumentException("mirror " + name + " needs exactly one output: a port or a pcap");
            }
            if (!selectAll && sourcePorts.length == 0 && destinationPorts.length == 0) {
                throw new IllegalArgumentException("mirror " + name + " selects no port (use selectAll)");
            }
            if (vlans.isEmpty()) {
                throw new IllegalArgumentException("mirror " + name + " selects no VLAN");
            }
            return new MirrorConfig(this);
        }

        private static int[] checkPorts(int[] ports) {
            for (int p : ports) {
                if (p < 0) {
                    throw new IllegalArgumentException("mirror port " + p + " is negative");
                }
            }
            return ports.clone();
        }
    }
}
