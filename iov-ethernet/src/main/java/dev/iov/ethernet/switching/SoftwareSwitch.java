package dev.iov.ethernet.switching;

import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.EthernetFrame;
import dev.iov.ethernet.frame.FrameStatus;
import dev.iov.ethernet.pcap.PcapWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The embedded software switch's data plane: a learning Ethernet switch with OVS VLAN modes, port security, ingress
 * policing and mirrors, fed in batches by {@link #process} and emitting through an {@link EgressSink}.
 *
 * <h2>Forwarding, per frame</h2>
 * <ol>
 *   <li>Count rx; drop if the port is a mirror output ({@link DropReason#MIRROR_PORT}) or over its policer
 *       ({@link DropReason#POLICED}, the port's ingress policing comes before any parsing, as in OVS).</li>
 *   <li>Parse the Ethernet header and up to two tags; drop {@link DropReason#TOO_SHORT},
 *       {@link DropReason#TRUNCATED_TAG} or {@link DropReason#TOO_LONG}.</li>
 *   <li>Classify the VLAN by the ingress port's {@link VlanMode}; drop {@link DropReason#VLAN_NOT_ALLOWED} when the
 *       port does not carry it (or an access port sees a non-zero VID).</li>
 *   <li>Port security: drop {@link DropReason#SPOOFED} when the source MAC is not allowed.</li>
 *   <li>Learn (VLAN, source MAC) on the ingress port unless the source is multicast.</li>
 *   <li>A unicast destination learned on another port that carries the VLAN goes to that port only; one learned on
 *       the ingress port is dropped ({@link DropReason#SAME_PORT}); anything else (unknown unicast, broadcast,
 *       multicast) floods to every other port carrying the VLAN. Never back out of the ingress port, never into
 *       another VLAN.</li>
 *   <li>Egress tagging per egress port: the frame keeps its ingress shape when that is what the port wants, else it
 *       is copied into a scratch buffer with headroom and edited there (tag push, pop, or VID rewrite of a priority
 *       tag). A frame from a {@link VlanMode#DOT1Q_TUNNEL} port gains an {@code 0x88a8} outer tag toward tagged ports
 *       and customer tags are never touched; a frame whose outer tag came in as {@code 0x88a8} keeps that TPID.</li>
 *   <li>Mirrors that selected the frame (by ingress port, by any egress port, filtered by VLAN) get one copy each,
 *       as received.</li>
 * </ol>
 * After each batch the MAC table's aging hand advances a bounded number of slots.
 *
 * <h2>Why it is built this way (mechanical sympathy)</h2>
 * The budget is about 30 ns per frame, so the forwarding path allocates nothing, throws nothing for bad input and
 * avoids pointer chasing: port state is a structure of arrays indexed by port ({@code int} modes and VLANs, a flat
 * {@code long} bitmap of 64 words per port for VLAN membership, so "does port p carry VLAN v" is one load and a bit
 * test), drop reasons are {@code long[]} counters, MACs are {@code long}s and the MAC table is primitive open
 * addressing. The frame is read in place through one reused {@link EthernetFrame} flyweight that parses only layer 2
 * (a switch needs nothing above it, so the IP/L4 parse of {@code FrameParser} would be wasted work). The common case,
 * a frame leaving in the shape it arrived in, is sent from the ingress buffer with no copy; when a port needs another
 * shape, the edited copy is built once per frame per shape (tagged or untagged) in a preallocated direct buffer and
 * shared by every port that wants that shape, so a flood to many ports costs at most two copies. Time is passed in
 * once per batch, never read per frame, and aging is amortised over batches rather than done in a periodic sweep
 * that would stall forwarding.
 *
 * <h2>Threading model</h2>
 * One switch instance has exactly one owner thread, its forwarding thread, and no locks or volatile fields. Every
 * method, {@link #process} and the configuration and read methods alike, must be called on that thread. Another
 * thread that wants to change the configuration (add a port, add a mirror) or read counters hands the work to the
 * owner, for example as a task on the forwarding thread's event-loop queue that runs between two batches, so a
 * change never becomes visible in the middle of a batch. To use more cores, run one switch per core (each with its
 * own ports or RSS queues), not one switch on several threads.
 */
public final class SoftwareSwitch {
    /**
     * The longest frame the switch accepts (a 64 KiB segmentation-offload super-frame with its Ethernet header and
     * tags fits, as do jumbo frames); longer ones are dropped.
     */
    public static final int MAX_FRAME_LENGTH = 66_048;
    /** The most mirrors per switch, as in OVS. */
    public static final int MAX_MIRRORS = MirrorTable.MAX_MIRRORS;
    /** How many MAC table slots the aging hand inspects after each batch. */
    public static final int AGING_BUDGET_PER_BATCH = 64;

    /** Room before a scratch frame for one pushed tag, rounded up to keep the copy 8-byte aligned. */
    private static final int HEADROOM = 8;
    /** The I/G bit of the first octet, in a MAC held as a 48-bit {@code long}. */
    private static final long MULTICAST_BIT = 1L << 40;

    private static final int ACCESS = VlanMode.ACCESS.ordinal();
    private static final int TRUNK = VlanMode.TRUNK.ordinal();
    private static final int TUNNEL = VlanMode.DOT1Q_TUNNEL.ordinal();

    private static final int D_TOO_SHORT = DropReason.TOO_SHORT.ordinal();
    private static final int D_TRUNCATED_TAG = DropReason.TRUNCATED_TAG.ordinal();
    private static final int D_TOO_LONG = DropReason.TOO_LONG.ordinal();
    private static final int D_VLAN = DropReason.VLAN_NOT_ALLOWED.ordinal();
    private static final int D_POLICED = DropReason.POLICED.ordinal();
    private static final int D_SPOOFED = DropReason.SPOOFED.ordinal();
    private static final int D_SAME_PORT = DropReason.SAME_PORT.ordinal();
    private static final int D_MIRROR_PORT = DropReason.MIRROR_PORT.ordinal();

    private final int maxPorts;
    private final EgressSink sink;
    private final MacLearningTable macTable;
    private final MirrorTable mirrors;

    // Per-port state, structure of arrays indexed by port.
    private final PortConfig[] configs;
    private final PortCounters[] counters;
    private final boolean[] present;
    /** Present and not reserved as a mirror output: may receive forwarded frames. */
    private final boolean[] usable;
    private final int[] modes;
    private final int[] tags;
    private final int[] untaggedVlans;
    private final long[] carried;
    private final MacSet[] allowedSources;
    private final IngressPolicer[] policers;
    /** The usable ports in ascending order: the flood list. */
    private int[] floodPorts = new int[0];
    private boolean anyMirror;

    private final EthernetFrame frame = new EthernetFrame();
    private final EthernetFrame edit = new EthernetFrame();
    private final ByteBuffer taggedScratch;
    private final ByteBuffer untaggedScratch;

    // The frame being forwarded, kept in primitive fields so that emit() needs only the egress port and the buffer
    // (passed as an argument rather than stored, since a reference store costs a GC write barrier per frame).
    private int inOffset;
    private int inLength;
    private int vlan;
    private boolean inTagged;
    private int inVid;
    private int serviceTpid;
    private int pcp;
    private boolean taggedReady;
    private int taggedOffset;
    private int taggedLength;
    private boolean untaggedReady;
    private int untaggedOffset;
    private int untaggedLength;
    private int mirrorMask;

    private long unknownPortFrames;
    private long mirrorErrors;
    private long pcapClockOffsetNanos;

    /**
     * Creates a switch with OVS's default MAC table limit (8192) and aging (300 s).
     *
     * @param maxPorts ports are numbered 0 to {@code maxPorts - 1}; 1 to {@link MacLearningTable#MAX_PORTS}
     * @param sink where frames go
     */
    public SoftwareSwitch(int maxPorts, EgressSink sink) {
        this(maxPorts, MacLearningTable.DEFAULT_LIMIT, MacLearningTable.DEFAULT_AGING_SECONDS, sink);
    }

    /**
     * Creates a switch; all of its memory is allocated here.
     *
     * @param maxPorts ports are numbered 0 to {@code maxPorts - 1}; 1 to {@link MacLearningTable#MAX_PORTS}
     * @param macTableLimit the MAC table's size limit (see {@link MacLearningTable})
     * @param agingSeconds the MAC aging time, 15 to 3600 s
     * @param sink where frames go
     * @throws IllegalArgumentException when a value is out of range
     */
    public SoftwareSwitch(int maxPorts, int macTableLimit, int agingSeconds, EgressSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.macTable = new MacLearningTable(maxPorts, macTableLimit, agingSeconds);
        this.maxPorts = maxPorts;
        this.mirrors = new MirrorTable(maxPorts);
        configs = new PortConfig[maxPorts];
        counters = new PortCounters[maxPorts];
        present = new boolean[maxPorts];
        usable = new boolean[maxPorts];
        modes = new int[maxPorts];
        tags = new int[maxPorts];
        untaggedVlans = new int[maxPorts];
        carried = new long[maxPorts * VlanSet.WORDS];
        allowedSources = new MacSet[maxPorts];
        policers = new IngressPolicer[maxPorts];
        taggedScratch = ByteBuffer.allocateDirect(HEADROOM + MAX_FRAME_LENGTH + EthernetFrame.TAG_LENGTH);
        untaggedScratch = ByteBuffer.allocateDirect(HEADROOM + MAX_FRAME_LENGTH + EthernetFrame.TAG_LENGTH);
        pcapClockOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    /**
     * Adds a port with fresh counters.
     *
     * @param port the port index, 0 to {@code maxPorts - 1}
     * @param config its configuration
     * @throws IllegalArgumentException when the index is out of range
     * @throws IllegalStateException when the port exists
     */
    public void addPort(int port, PortConfig config) {
        checkPort(port);
        if (present[port]) {
            throw new IllegalStateException("port " + port + " already exists");
        }
        counters[port] = new PortCounters();
        apply(port, config);
    }

    /**
     * Replaces a port's configuration, keeping its counters. Its learned MACs are flushed, since the VLANs they were
     * learned in may no longer be carried.
     *
     * @param port an existing port
     * @param config its new configuration
     * @throws IllegalStateException when the port does not exist
     */
    public void reconfigurePort(int port, PortConfig config) {
        requirePresent(port);
        macTable.flushPort(port);
        apply(port, config);
    }

    /**
     * Removes a port and flushes the MACs learned on it.
     *
     * @param port an existing port
     * @throws IllegalStateException when the port does not exist or is a mirror's output
     */
    public void removePort(int port) {
        requirePresent(port);
        if (mirrors.isOutput(port)) {
            throw new IllegalStateException("port " + port + " is a mirror output; remove the mirror first");
        }
        present[port] = false;
        configs[port] = null;
        allowedSources[port] = null;
        policers[port] = null;
        Arrays.fill(carried, port * VlanSet.WORDS, (port + 1) * VlanSet.WORDS, 0L);
        macTable.flushPort(port);
        refreshUsable();
    }

    private void apply(int port, PortConfig config) {
        Objects.requireNonNull(config, "config");
        configs[port] = config;
        modes[port] = config.mode().ordinal();
        tags[port] = config.tag();
        untaggedVlans[port] = config.untaggedVlan();
        config.carried().copyTo(carried, port * VlanSet.WORDS);
        allowedSources[port] = config.allowedSources().isEmpty() ? null : config.allowedSources();
        policers[port] = config.policingRateKbps() == 0 ? null
                : new IngressPolicer(config.policingRateKbps(), config.policingBurstKbit());
        present[port] = true;
        refreshUsable();
    }

    private void refreshUsable() {
        int n = 0;
        for (int p = 0; p < maxPorts; p++) {
            usable[p] = present[p] && !mirrors.isOutput(p);
            n += usable[p] ? 1 : 0;
        }
        int[] flood = new int[n];
        n = 0;
        for (int p = 0; p < maxPorts; p++) {
            if (usable[p]) {
                flood[n++] = p;
            }
        }
        floodPorts = flood;
    }

    /**
     * Adds a mirror. An output port is reserved: it no longer receives forwarded frames, frames received on it are
     * dropped, and the MACs learned on it are flushed.
     *
     * @param config the mirror
     * @return its id, 0 to 31, for {@link #removeMirror}
     * @throws IllegalStateException when 32 mirrors exist
     * @throws IllegalArgumentException when a port is out of range
     */
    public int addMirror(MirrorConfig config) {
        int id = mirrors.add(config);
        anyMirror = true;
        if (config.outputPort() != MirrorConfig.NO_PORT) {
            macTable.flushPort(config.outputPort());
        }
        refreshUsable();
        return id;
    }

    /**
     * Removes a mirror; its output port (if any) forwards normally again. The pcap writer is not closed.
     *
     * @param id an id from {@link #addMirror}
     * @return the mirror's configuration, or null when no such mirror exists
     */
    public MirrorConfig removeMirror(int id) {
        MirrorConfig c = mirrors.remove(id);
        boolean any = false;
        for (int i = 0; i < MAX_MIRRORS; i++) {
            any |= mirrors.config(i) != null;
        }
        anyMirror = any;
        refreshUsable();
        return c;
    }

    /**
     * Forwards a batch of frames. Allocates nothing and throws nothing for any frame content; a frame on a port that
     * does not exist is counted by {@link #unknownPortFrames()}. The batch is left as it is.
     *
     * @param batch the received frames
     * @param nowNanos the current time, one reading per batch (for learning, aging, policing; pcap timestamps add
     *     {@link #pcapClockOffsetNanos(long)})
     */
    public void process(SwitchBatch batch, long nowNanos) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            forward(batch.port(i), batch.buffer(i), batch.offset(i), batch.length(i), nowNanos);
        }
        macTable.ageSome(nowNanos, AGING_BUDGET_PER_BATCH);
    }

    private void forward(int in, ByteBuffer buf, int off, int len, long now) {
        if (in < 0 || in >= maxPorts || !present[in]) {
            unknownPortFrames++;
            return;
        }
        PortCounters c = counters[in];
        c.rxPackets++;
        c.rxBytes += len;
        if (!usable[in]) {
            c.drops[D_MIRROR_PORT]++;
            return;
        }
        IngressPolicer policer = policers[in];
        if (policer != null && !policer.admit(len, now)) {
            c.drops[D_POLICED]++;
            return;
        }
        if (len > MAX_FRAME_LENGTH) {
            c.drops[D_TOO_LONG]++;
            return;
        }
        EthernetFrame f = frame;
        int status = f.wrap(buf, off, len);
        if (status != FrameStatus.OK) {
            c.drops[status == FrameStatus.TOO_SHORT ? D_TOO_SHORT : D_TRUNCATED_TAG]++;
            return;
        }
        boolean tagged = f.tagCount() != 0;
        int tci = tagged ? f.outerTci() : 0;
        int vid = tci & EthernetFrame.MAX_VID;
        int mode = modes[in];
        int v;
        int tpid = EtherTypes.VLAN_8021Q;
        int prio = tci >>> 13;
        if (mode == ACCESS) {
            if (vid != 0) {
                c.drops[D_VLAN]++;
                return;
            }
            v = tags[in];
        } else if (mode == TUNNEL) {
            // Customer tags are payload: the frame is in the service VLAN and its own tags stay untouched.
            v = tags[in];
            tagged = false;
            tpid = EtherTypes.QINQ_8021AD;
            prio = 0;
        } else {
            v = vid != 0 || mode == TRUNK ? vid : tags[in];
            if (tagged) {
                tpid = f.outerTpid();
            }
        }
        if ((carried[in * VlanSet.WORDS + (v >>> 6)] & (1L << v)) == 0) {
            c.drops[D_VLAN]++;
            return;
        }
        long src = f.source();
        MacSet allowed = allowedSources[in];
        if (allowed != null && !allowed.contains(src)) {
            c.drops[D_SPOOFED]++;
            return;
        }
        if ((src & MULTICAST_BIT) == 0) {
            macTable.learn(v, src, in, now);
        }
        long dst = f.destination();
        int out = (dst & MULTICAST_BIT) == 0 ? macTable.lookup(v, dst, now) : MacLearningTable.NO_PORT;
        if (out == in) {
            c.drops[D_SAME_PORT]++;
            return;
        }
        inOffset = off;
        inLength = len;
        vlan = v;
        inTagged = tagged;
        inVid = vid;
        serviceTpid = tpid;
        pcp = prio;
        taggedReady = false;
        untaggedReady = false;
        mirrorMask = anyMirror ? mirrors.sourceMask(in) : 0;
        if (out >= 0 && usable[out] && carries(out, v)) {
            emit(out, buf);
        } else {
            int[] flood = floodPorts;
            for (int p : flood) {
                if (p != in && carries(p, v)) {
                    emit(p, buf);
                }
            }
        }
        if (mirrorMask != 0) {
            mirror(buf, now);
        }
    }

    private boolean carries(int port, int v) {
        return (carried[port * VlanSet.WORDS + (v >>> 6)] & (1L << v)) != 0;
    }

    private void emit(int out, ByteBuffer inBuf) {
        int v = vlan;
        boolean wantTag = v != untaggedVlans[out];
        ByteBuffer b;
        int o;
        int l;
        if (wantTag == inTagged && (!wantTag || inVid == v)) {
            b = inBuf;
            o = inOffset;
            l = inLength;
        } else if (wantTag) {
            if (!taggedReady) {
                prepareTagged(inBuf);
            }
            b = taggedScratch;
            o = taggedOffset;
            l = taggedLength;
        } else {
            if (!untaggedReady) {
                prepareUntagged(inBuf);
            }
            b = untaggedScratch;
            o = untaggedOffset;
            l = untaggedLength;
        }
        PortCounters c = counters[out];
        c.txPackets++;
        c.txBytes += l;
        if (anyMirror) {
            mirrorMask |= mirrors.destinationMask(out);
        }
        sink.transmit(out, b, o, l);
    }

    private void prepareTagged(ByteBuffer inBuf) {
        EthernetFrame e = copyToScratch(inBuf, taggedScratch);
        if (inTagged) {
            // Only a priority tag (VID 0) can need a new VID: a tagged frame is otherwise already in its VLAN.
            e.rewriteOuterVid(vlan);
        } else {
            e.pushTag(serviceTpid, vlan, pcp);
        }
        taggedOffset = e.offset();
        taggedLength = e.length();
        taggedReady = true;
    }

    private void prepareUntagged(ByteBuffer inBuf) {
        EthernetFrame e = copyToScratch(inBuf, untaggedScratch);
        e.popTag();
        untaggedOffset = e.offset();
        untaggedLength = e.length();
        untaggedReady = true;
    }

    private EthernetFrame copyToScratch(ByteBuffer inBuf, ByteBuffer scratch) {
        scratch.put(HEADROOM, inBuf, inOffset, inLength);
        EthernetFrame e = edit;
        e.wrap(scratch, HEADROOM, inLength);
        return e;
    }

    private void mirror(ByteBuffer inBuf, long now) {
        int mask = mirrorMask;
        int v = vlan;
        while (mask != 0) {
            int id = Integer.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            if (!mirrors.selectsVlan(id, v)) {
                continue;
            }
            int port = mirrors.outputPort(id);
            if (port != MirrorConfig.NO_PORT) {
                if (present[port]) {
                    PortCounters c = counters[port];
                    c.txPackets++;
                    c.txBytes += inLength;
                    sink.transmit(port, inBuf, inOffset, inLength);
                }
            } else {
                writePcap(mirrors.pcap(id), inBuf, now);
            }
        }
    }

    private void writePcap(PcapWriter pcap, ByteBuffer inBuf, long now) {
        try {
            pcap.write(inBuf, inOffset, inLength, now + pcapClockOffsetNanos);
        } catch (IOException | RuntimeException e) {
            // A full disk or a closed writer must not stop forwarding: count it, the operator sees the counter.
            mirrorErrors++;
        }
    }

    /**
     * Sets what is added to {@code nowNanos} to get the epoch time written in pcap records. By default it maps
     * {@link System#nanoTime()} to the wall clock at construction; pass 0 when {@code nowNanos} is already epoch
     * nanoseconds.
     *
     * @param offsetNanos the offset
     */
    public void pcapClockOffsetNanos(long offsetNanos) {
        this.pcapClockOffsetNanos = offsetNanos;
    }

    /**
     * @param port a port index
     * @return its configuration, or null when it does not exist
     */
    public PortConfig portConfig(int port) {
        return port >= 0 && port < maxPorts ? configs[port] : null;
    }

    /**
     * @param port an existing port
     * @return its live counters (read them on the owner thread)
     * @throws IllegalStateException when the port does not exist
     */
    public PortCounters counters(int port) {
        requirePresent(port);
        return counters[port];
    }

    /** @return the MAC learning table (owner thread only) */
    public MacLearningTable macTable() {
        return macTable;
    }

    /** @return the number of port indexes, {@code 0} to {@code maxPorts() - 1} */
    public int maxPorts() {
        return maxPorts;
    }

    /** @return frames submitted on a port that does not exist */
    public long unknownPortFrames() {
        return unknownPortFrames;
    }

    /** @return mirrored frames that could not be written to their pcap */
    public long mirrorErrors() {
        return mirrorErrors;
    }

    private void checkPort(int port) {
        if (port < 0 || port >= maxPorts) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-" + (maxPorts - 1));
        }
    }

    private void requirePresent(int port) {
        checkPort(port);
        if (!present[port]) {
            throw new IllegalStateException("port " + port + " does not exist");
        }
    }
}
