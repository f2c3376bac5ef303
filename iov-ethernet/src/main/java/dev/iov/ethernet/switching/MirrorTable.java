package dev.iov.ethernet.switching;

import dev.iov.ethernet.pcap.PcapWriter;

/**
 * The mirrors of one switch in the shape the forwarding loop wants: per port, a 32-bit mask of the mirrors that select
 * its received frames and one of those that select its transmitted frames, so that selection while forwarding is an
 * OR of ints and the per-mirror work (VLAN filter, output) happens only for frames that some mirror selected.
 * Single-threaded, like the switch.
 */
final class MirrorTable {
    /** OVS's limit of mirrors per bridge; also the width of the selection masks. */
    static final int MAX_MIRRORS = 32;

    private final MirrorConfig[] configs = new MirrorConfig[MAX_MIRRORS];
    private final int[] sourceMasks;
    private final int[] destinationMasks;
    private final long[] vlanBits = new long[MAX_MIRRORS * VlanSet.WORDS];
    private final int[] outputPorts = new int[MAX_MIRRORS];
    private final PcapWriter[] pcaps = new PcapWriter[MAX_MIRRORS];
    private int allMask;
    private int used;

    MirrorTable(int maxPorts) {
        sourceMasks = new int[maxPorts];
        destinationMasks = new int[maxPorts];
    }

    /**
     * @return the new mirror's id, 0 to 31
     * @throws IllegalStateException when 32 mirrors exist
     * @throws IllegalArgumentException when a port is out of range
     */
    int add(MirrorConfig c) {
        int max = sourceMasks.length;
        check(c.sourcePorts(), max);
        check(c.destinationPorts(), max);
        if (c.outputPort() != MirrorConfig.NO_PORT && c.outputPort() >= max) {
            throw new IllegalArgumentException("mirror output port " + c.outputPort() + " is out of range 0-"
                    + (max - 1));
        }
        if (used == -1) {
            throw new IllegalStateException("a switch has at most " + MAX_MIRRORS + " mirrors");
        }
        int id = Integer.numberOfTrailingZeros(~used);
        int bit = 1 << id;
        used |= bit;
        configs[id] = c;
        for (int p : c.sourcePorts()) {
            sourceMasks[p] |= bit;
        }
        for (int p : c.destinationPorts()) {
            destinationMasks[p] |= bit;
        }
        if (c.selectAll()) {
            allMask |= bit;
        }
        c.vlans().copyTo(vlanBits, id * VlanSet.WORDS);
        outputPorts[id] = c.outputPort();
        pcaps[id] = c.outputPcap();
        return id;
    }

    /** @return the removed mirror's configuration, or null when {@code id} is not in use */
    MirrorConfig remove(int id) {
        if (id < 0 || id >= MAX_MIRRORS || configs[id] == null) {
            return null;
        }
        MirrorConfig c = configs[id];
        int keep = ~(1 << id);
        used &= keep;
        allMask &= keep;
        for (int p = 0; p < sourceMasks.length; p++) {
            sourceMasks[p] &= keep;
            destinationMasks[p] &= keep;
        }
        configs[id] = null;
        pcaps[id] = null;
        outputPorts[id] = MirrorConfig.NO_PORT;
        return c;
    }

    /** @return the configuration of mirror {@code id}, or null */
    MirrorConfig config(int id) {
        return id >= 0 && id < MAX_MIRRORS ? configs[id] : null;
    }

    /** @return true when some mirror outputs to {@code port} */
    boolean isOutput(int port) {
        int u = used;
        while (u != 0) {
            int id = Integer.numberOfTrailingZeros(u);
            u &= u - 1;
            if (outputPorts[id] == port) {
                return true;
            }
        }
        return false;
    }

    /** @return the mirrors selecting frames received on {@code port} */
    int sourceMask(int port) {
        return sourceMasks[port] | allMask;
    }

    /** @return the mirrors selecting frames transmitted on {@code port} */
    int destinationMask(int port) {
        return destinationMasks[port];
    }

    /** @return true when mirror {@code id} selects frames of {@code vlan} */
    boolean selectsVlan(int id, int vlan) {
        return (vlanBits[id * VlanSet.WORDS + (vlan >>> 6)] & (1L << vlan)) != 0;
    }

    /** @return the output port of mirror {@code id}, or {@link MirrorConfig#NO_PORT} */
    int outputPort(int id) {
        return outputPorts[id];
    }

    /** @return the pcap output of mirror {@code id}, or null */
    PcapWriter pcap(int id) {
        return pcaps[id];
    }

    private static void check(int[] ports, int max) {
        for (int p : ports) {
            if (p >= max) {
                throw new IllegalArgumentException("mirror port " + p + " is out of range 0-" + (max - 1));
            }
        }
    }
}
