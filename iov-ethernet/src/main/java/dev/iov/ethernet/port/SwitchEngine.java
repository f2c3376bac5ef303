package dev.iov.ethernet.port;

import dev.iov.ethernet.switching.DropReason;
import dev.iov.ethernet.switching.MacLearningTable;
import dev.iov.ethernet.switching.MirrorConfig;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.PortCounters;
import dev.iov.ethernet.switching.SoftwareSwitch;
import dev.iov.ethernet.switching.SwitchBatch;
import dev.iov.linux.LinuxException;
import dev.iov.linux.Poller;
import dev.iov.linux.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SoftwareSwitch} on real ports, driven by its own forwarding thread: the embedded Java switch as a running
 * thing. Ports are {@link PortDevice}s (TAP devices and packet sockets).
 *
 * <h2>The forwarding thread</h2>
 * It is the switch's owner thread (see the switch's threading model). It waits in one {@link Poller} over every
 * port's descriptor plus a wake-up eventfd; for each ready port it reads up to a batch of frames into the port's
 * preallocated arena (each frame after {@link #HEADROOM} free bytes), fills one reused {@link SwitchBatch}, calls
 * {@link SoftwareSwitch#process} with one clock reading, and the switch's egress calls write each frame straight to
 * the egress device. Nothing on that path allocates.
 *
 * <h2>Back-pressure</h2>
 * Egress writes never wait: a device whose transmit would block (or whose queue drops the frame) refuses it and the
 * refusal is counted in {@link PortStats#txBusy()}; a write that fails with an error is counted in
 * {@link PortStats#txErrors()}. Waiting for one slow port would stall every other port on the thread, which is why
 * OVS's userspace datapath counts {@code tx_dropped} the same way. Nothing is dropped without being counted:
 * switch drops are counted by {@link DropReason}, frames too long for a receive slot in {@link PortStats#rxErrors()}.
 *
 * <h2>Offloaded frames (virtio-net headers)</h2>
 * A port whose device has {@link PortDevice#vnetHeader()} hands over frames with a {@link VirtioNetHeader}: TCP
 * super-frames of up to 64 KiB and partial checksums, as the sending kernel left them. The switch itself sees only
 * the Ethernet frame. Frames of such a port are processed in runs that share one header (all frames without offload
 * form one run; a run of offloaded frames shares the same header bytes and layer-2 header length), so the egress
 * knows the header of every frame it sends:
 * <ul>
 *   <li>to a port with virtio-net headers, a frame goes out with its ingress header, with {@code csum_start} and
 *       {@code hdr_len} moved by the tag bytes the switch pushed or popped (so the checksum and segmentation still
 *       point at the same TCP/UDP bytes); a frame without offload, or from a port without headers, goes out with an
 *       all-zero header;</li>
 *   <li>to a port without (a TAP, a plain packet socket), a partial checksum is finished in software on a copy;
 *       a segmentation super-frame cannot be sent there and is counted in {@link PortStats#txErrors()} (the
 *       engine does not segment in software: give such ports virtio-net headers, or turn TSO off on the
 *       senders).</li>
 * </ul>
 *
 * <h2>Configuration</h2>
 * The public methods may be called from any thread. They are handed to the forwarding thread as tasks that run
 * between two batches, with a wake-up so they do not wait for traffic, and the caller waits for the result, so a
 * change is in effect when its method returns and never becomes visible in the middle of a batch. Called on the
 * forwarding thread itself (from another task) they run at once.
 *
 * <p>{@link #close()} stops the thread, closes every port's device and the poller, and is idempotent.
 */
public final class SwitchEngine implements AutoCloseable {

    /** Free bytes before every received frame: a VLAN tag restored by the packet socket plus one pushed in place. */
    public static final int HEADROOM = 16;
    /** Default frames read per port per round, and the switch batch size. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default receive slot: a 9000-byte jumbo frame with Ethernet header and two tags, rounded up. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 9216 + 32;

    private static final Logger LOG = LoggerFactory.getLogger(SwitchEngine.class);
    private static final long TASK_WAIT_SECONDS = 30;
    /** Polls end at least this often, so a stop request never waits on a lost wake-up. */
    private static final int POLL_TIMEOUT_MILLIS = 1000;

    private final String name;
    private final int batchSize;
    private final int maxFrameLength;
    private final SoftwareSwitch sw;
    private final Poller poller;
    private final SwitchBatch batch;
    private final Thread thread;
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean running = true;
    /** Set when {@link #close()} ran on the forwarding thread, which then releases the devices on its way out. */
    private boolean closedByTask;

    // Per-port state, owned by the forwarding thread.
    private final PortDevice[] devices;
    private final int[] slots;
    private final long[] txBusy;
    private final long[] txErrors;
    private final long[] rxErrors;
    private final boolean[] failureLogged;

    // Offload state of the run being processed (see "Offloaded frames"), owned by the forwarding thread.
    /** Frames of one vnet-header port with the same offload, processed together. */
    private final SwitchBatch run;
    /** The header written in front of a frame sent to a vnet-header port. */
    private final ByteBuffer egressHeader = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH);
    /** Where a partial checksum is finished for a port without vnet headers. */
    private final ByteBuffer checksumScratch =
            ByteBuffer.allocateDirect(SoftwareSwitch.MAX_FRAME_LENGTH + 8).order(ByteOrder.BIG_ENDIAN);
    private boolean ingressOffloaded;
    private ByteBuffer ingressHeaders;
    private int ingressHeaderAt;
    private int ingressL2Length;

    private SwitchEngine(Builder b) {
        this.name = b.name;
        this.batchSize = b.batchSize;
        this.maxFrameLength = b.maxFrameLength;
        this.sw = new SoftwareSwitch(b.maxPorts, b.macTableLimit, b.agingSeconds, this::transmit);
        this.poller = Poller.open(b.maxPorts);
        this.batch = new SwitchBatch(b.batchSize);
        this.run = new SwitchBatch(b.batchSize);
        this.devices = new PortDevice[b.maxPorts];
        this.slots = new int[b.maxPorts];
        this.txBusy = new long[b.maxPorts];
        this.txErrors = new long[b.maxPorts];
        this.rxErrors = new long[b.maxPorts];
        this.failureLogged = new boolean[b.maxPorts];
        this.thread = new Thread(this::run, "iov-switch-" + name);
        thread.setDaemon(true);
    }

    /**
     * @param name names the thread ({@code iov-switch-NAME}) and log lines
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the engine's name */
    public String name() {
        return name;
    }

    /** @return ports are numbered 0 to this - 1 */
    public int maxPorts() {
        return devices.length;
    }

    /**
     * Adds a port on a device. On success the engine owns the device (it is closed when the port is removed or the
     * engine closes); on failure nothing changed and the caller still owns it.
     *
     * @param device the device
     * @param config the port's configuration
     * @return the port index, the lowest free one
     * @throws IllegalStateException when every port is taken or the engine is closed
     */
    public int addPort(PortDevice device, PortConfig config) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(config, "config");
        return call(() -> {
            int port = 0;
            while (port < devices.length && devices[port] != null) {
                port++;
            }
            if (port == devices.length) {
                throw new IllegalStateException("switch " + name + " has no free port (max " + devices.length + ")");
            }
            device.prepare(batchSize, maxFrameLength);
            int slot = device.register(poller);
            try {
                sw.addPort(port, config);
            } catch (RuntimeException e) {
                poller.unregister(slot);
                throw e;
            }
            devices[port] = device;
            slots[port] = slot;
            txBusy[port] = 0;
            txErrors[port] = 0;
            rxErrors[port] = 0;
            failureLogged[port] = false;
            return port;
        });
    }

    /**
     * Replaces a port's configuration, keeping its counters.
     *
     * @param port an existing port
     * @param config the new configuration
     * @throws IllegalStateException when the port does not exist
     */
    public void reconfigurePort(int port, PortConfig config) {
        Objects.requireNonNull(config, "config");
        call(() -> {
            requirePort(port);
            sw.reconfigurePort(port, config);
            return null;
        });
    }

    /**
     * Removes a port and closes its device.
     *
     * @param port an existing port
     * @throws IllegalStateException when the port does not exist or is a mirror's output
     */
    public void removePort(int port) {
        call(() -> {
            requirePort(port);
            sw.removePort(port);
            poller.unregister(slots[port]);
            PortDevice device = devices[port];
            devices[port] = null;
            device.close();
            return null;
        });
    }

    /**
     * @param config a mirror (a pcap output is written on the forwarding thread; the caller closes it after
     *     {@link #removeMirror})
     * @return its id for {@link #removeMirror}
     */
    public int addMirror(MirrorConfig config) {
        Objects.requireNonNull(config, "config");
        return call(() -> sw.addMirror(config));
    }

    /**
     * @param id a mirror id
     * @return the removed mirror, or null when none had that id
     */
    public MirrorConfig removeMirror(int id) {
        return call(() -> sw.removeMirror(id));
    }

    /**
     * @param port an existing port
     * @return its configuration
     */
    public PortConfig portConfig(int port) {
        return call(() -> {
            requirePort(port);
            return sw.portConfig(port);
        });
    }

    /**
     * @param port an existing port
     * @return a consistent snapshot of its counters
     * @throws IllegalStateException when the port does not exist
     */
    public PortStats stats(int port) {
        return call(() -> {
            requirePort(port);
            PortCounters c = sw.counters(port);
            Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
            for (DropReason r : DropReason.values()) {
                drops.put(r, c.drops(r));
            }
            return new PortStats(devices[port].name(), c.rxPackets(), c.rxBytes(), c.txPackets(), c.txBytes(),
                    txBusy[port], txErrors[port], rxErrors[port], drops);
        });
    }

    /**
     * Runs {@code task} on the forwarding thread between two batches and returns its result; the escape hatch for
     * what the methods above do not cover (reading the MAC table, for instance). The task must not block.
     *
     * @param task work on the switch
     * @param <T> its result type
     * @return the task's result
     */
    public <T> T onSwitch(Function<SoftwareSwitch, T> task) {
        Objects.requireNonNull(task, "task");
        return call(() -> task.apply(sw));
    }

    /** @return whether the forwarding thread is running */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /**
     * Stops forwarding and waits for the forwarding thread to end, leaving the ports open: the counters and
     * configuration read afterwards ({@link #stats}, {@link #onSwitch}, which then run on the caller's thread) are
     * final and agree with everything the switch did, e.g. with the frames a mirror wrote. {@link #close} still
     * releases the devices. Later calls do nothing.
     *
     * @throws IllegalStateException when called from the forwarding thread itself
     */
    public void stop() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("switch " + name + ": stop() from its own forwarding thread");
        }
        if (!closed.get()) {
            stopForwarding();
        }
    }

    private void stopForwarding() {
        running = false;
        poller.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(TASK_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the forwarding thread, closes every port's device and the poller; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != thread) {
            stopForwarding();
            if (thread.isAlive()) {
                LOG.warn("switch {}: forwarding thread did not stop; closing its devices anyway", name);
            }
            release();
        } else {
            // Called by a task on the forwarding thread: run() releases everything when the task returns.
            running = false;
            closedByTask = true;
        }
    }

    private void release() {
        FutureTask<?> task;
        while ((task = tasks.poll()) != null) {
            task.cancel(false);
        }
        for (int port = 0; port < devices.length; port++) {
            if (devices[port] != null) {
                try {
                    devices[port].close();
                } catch (RuntimeException e) {
                    LOG.warn("switch {}: closing {} failed: {}", name, devices[port].name(), e.toString());
                }
                devices[port] = null;
            }
        }
        poller.close();
    }

    private void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                runTasks();
                if (!running) {
                    break;
                }
                if (poller.poll(POLL_TIMEOUT_MILLIS) > 0) {
                    forwardReadyPorts();
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("switch {}: forwarding thread failed", name, e);
            running = false;
        } finally {
            if (closedByTask) {
                release();
            } else {
                FutureTask<?> task;
                while ((task = tasks.poll()) != null) {
                    task.cancel(false);
                }
            }
        }
    }

    private void forwardReadyPorts() {
        for (int port = 0; port < devices.length; port++) {
            PortDevice device = devices[port];
            if (device == null || !poller.isReady(slots[port])) {
                continue;
            }
            batch.clear();
            try {
                rxErrors[port] += device.receive(port, batch);
            } catch (RuntimeException e) {
                // A device that fails to read (deleted under us, say) would be ready forever: stop polling it.
                rxErrors[port]++;
                poller.unregister(slots[port]);
                LOG.warn("switch {}: port {} ({}) stopped receiving: {}", name, port, device.name(), e.toString());
            }
            if (batch.size() > 0) {
                if (device.vnetHeader()) {
                    processInRuns(device, System.nanoTime());
                } else {
                    sw.process(batch, System.nanoTime());
                }
            }
        }
    }

    /** Processes a vnet-header port's batch in runs of frames with the same offload (see the class comment). */
    private void processInRuns(PortDevice device, long now) {
        ByteBuffer headers = device.vnetHeaders();
        int n = batch.size();
        int start = 0;
        try {
            while (start < n) {
                int at = device.vnetHeaderAt(start);
                boolean offloaded = VirtioNetHeader.isOffloaded(headers, at);
                int l2 = offloaded ? l2Length(batch.buffer(start), batch.offset(start), batch.length(start)) : 0;
                int end = start + 1;
                while (end < n && sameOffload(headers, at, device.vnetHeaderAt(end), offloaded, l2, end)) {
                    end++;
                }
                ingressOffloaded = offloaded;
                ingressHeaders = headers;
                ingressHeaderAt = at;
                ingressL2Length = l2;
                if (start == 0 && end == n) {
                    sw.process(batch, now);
                } else {
                    run.clear();
                    for (int i = start; i < end; i++) {
                        run.add(batch.port(i), batch.buffer(i), batch.offset(i), batch.length(i));
                    }
                    sw.process(run, now);
                }
                start = end;
            }
        } finally {
            ingressOffloaded = false;
            ingressHeaders = null;
        }
    }

    private boolean sameOffload(ByteBuffer headers, int at, int other, boolean offloaded, int l2, int entry) {
        if (!offloaded) {
            return !VirtioNetHeader.isOffloaded(headers, other);
        }
        return headers.getLong(at) == headers.getLong(other) && headers.getShort(at + 8) == headers.getShort(other + 8)
                && l2Length(batch.buffer(entry), batch.offset(entry), batch.length(entry)) == l2;
    }

    /** The Ethernet header's length with up to two 802.1Q/802.1ad tags (a frame too short to tell counts as 14). */
    private static int l2Length(ByteBuffer buf, int offset, int length) {
        int l2 = 14;
        while (l2 < 22 && length >= l2 + 4) {
            int type = buf.getShort(offset + l2 - 2) & 0xffff;
            if (type != 0x8100 && type != 0x88a8) {
                break;
            }
            l2 += 4;
        }
        return l2;
    }

    /** The switch's egress: one non-blocking write per frame per port; refusals and errors are counted. */
    private void transmit(int port, ByteBuffer buf, int offset, int length) {
        PortDevice device = devices[port];
        if (device == null) {
            txErrors[port]++;
            return;
        }
        try {
            boolean taken;
            if (device.vnetHeader()) {
                taken = device.transmit(egressHeaderFor(buf, offset, length), 0, buf, offset, length);
            } else if (ingressOffloaded) {
                taken = transmitFinished(port, device, buf, offset, length);
            } else {
                taken = device.transmit(buf, offset, length);
            }
            if (!taken) {
                txBusy[port]++;
            }
        } catch (LinuxException | IllegalStateException e) {
            txErrors[port]++;
            if (!failureLogged[port]) {
                failureLogged[port] = true;
                LOG.warn("switch {}: transmit on port {} ({}) failed (further failures are only counted): {}", name,
                        port, device.name(), e.getMessage());
            }
        }
    }

    /** The ingress frame's header moved by the tag bytes the switch added or removed, or all zeroes. */
    private ByteBuffer egressHeaderFor(ByteBuffer buf, int offset, int length) {
        ByteBuffer h = egressHeader;
        if (!ingressOffloaded) {
            VirtioNetHeader.clear(h, 0);
            return h;
        }
        for (int i = 0; i < VirtioNetHeader.LENGTH; i++) {
            h.put(i, ingressHeaders.get(ingressHeaderAt + i));
        }
        int delta = l2Length(buf, offset, length) - ingressL2Length;
        if (delta != 0) {
            VirtioNetHeader.shift(h, 0, delta);
        }
        int gso = VirtioNetHeader.gsoType(h, 0) & ~VirtioNetHeader.GSO_ECN;
        if ((gso == VirtioNetHeader.GSO_TCPV4 || gso == VirtioNetHeader.GSO_TCPV6)
                && (VirtioNetHeader.flags(h, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
            // The received hdr_len is how much of the sender's skb was linear (up to all of it); the sending kernel
            // makes that much linear, so give it the real headers (to the end of the TCP header) and let the
            // payload go into page fragments instead of one 64 KiB allocation.
            int tcp = VirtioNetHeader.csumStart(h, 0);
            if (tcp + 13 <= length) {
                VirtioNetHeader.hdrLen(h, 0, tcp + ((buf.get(offset + tcp + 12) >>> 4) & 0xf) * 4);
            }
        }
        return h;
    }

    /**
     * An offloaded frame to a port without vnet headers: a partial checksum is finished on a copy (the ingress
     * buffer may still go to other ports, which need the partial sum); a super-frame is refused and counted.
     */
    private boolean transmitFinished(int port, PortDevice device, ByteBuffer buf, int offset, int length) {
        ByteBuffer h = ingressHeaders;
        int at = ingressHeaderAt;
        if ((VirtioNetHeader.gsoType(h, at) & ~VirtioNetHeader.GSO_ECN) != VirtioNetHeader.GSO_NONE) {
            txErrors[port]++;
            return true;
        }
        if ((VirtioNetHeader.flags(h, at) & VirtioNetHeader.F_NEEDS_CSUM) == 0) {
            return device.transmit(buf, offset, length);
        }
        ByteBuffer copy = checksumScratch;
        copy.put(0, buf, offset, length);
        int delta = l2Length(buf, offset, length) - ingressL2Length;
        if (!VirtioNetHeader.finishChecksum(copy, 0, length, VirtioNetHeader.csumStart(h, at) + delta,
                VirtioNetHeader.csumOffset(h, at))) {
            txErrors[port]++;
            return true;
        }
        return device.transmit(copy, 0, length);
    }

    private void runTasks() {
        FutureTask<?> task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void requirePort(int port) {
        if (port < 0 || port >= devices.length || devices[port] == null) {
            throw new IllegalStateException("switch " + name + " has no port " + port);
        }
    }

    /** After {@link #stop}: the forwarding thread has ended (its writes are visible after join) and nothing was released. */
    private boolean stoppedAndOpen() {
        return !running && !thread.isAlive() && !closed.get();
    }

    private <T> T call(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        if (Thread.currentThread() == thread || stoppedAndOpen()) {
            task.run();
        } else {
            if (closed.get() || !running) {
                throw new IllegalStateException("switch " + name + " is closed");
            }
            tasks.add(task);
            poller.wakeup();
        }
        try {
            return task.get(TASK_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (CancellationException e) {
            throw new IllegalStateException("switch " + name + " closed before the change ran", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("switch " + name + ": the forwarding thread did not run the change within "
                    + TASK_WAIT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for switch " + name, e);
        }
    }

    @Override
    public String toString() {
        return "SwitchEngine[" + name + "]";
    }

    /** Collects and validates a {@link SwitchEngine}'s sizes. */
    public static final class Builder {
        private final String name;
        private int maxPorts = 64;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
        private int macTableLimit = MacLearningTable.DEFAULT_LIMIT;
        private int agingSeconds = MacLearningTable.DEFAULT_AGING_SECONDS;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("switch engine name is empty");
            }
        }

        /**
         * @param value ports are numbered 0 to value - 1 (default 64)
         * @return this builder
         */
        public Builder maxPorts(int value) {
            this.maxPorts = value;
            return this;
        }

        /**
         * @param value frames read per port per round, 1 to 1024 (default {@value #DEFAULT_BATCH_SIZE})
         * @return this builder
         */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * @param value the receive slot per frame, 64 to {@link SoftwareSwitch#MAX_FRAME_LENGTH}; longer frames are
         *     counted in {@link PortStats#rxErrors()}
         * @return this builder
         */
        public Builder maxFrameLength(int value) {
            this.maxFrameLength = value;
            return this;
        }

        /**
         * @param limit the MAC table size limit
         * @param seconds the MAC aging time, 15 to 3600 s
         * @return this builder
         */
        public Builder macTable(int limit, int seconds) {
            this.macTableLimit = limit;
            this.agingSeconds = seconds;
            return this;
        }

        /**
         * Validates the sizes, allocates everything and starts the forwarding thread.
         *
         * @return the running engine
         * @throws IllegalArgumentException naming the bad value
         */
        public SwitchEngine start() {
            if (batchSize < 1 || batchSize > 1024) {
                throw new IllegalArgumentException("switch " + name + ": batch size " + batchSize
                        + " is out of range 1-1024");
            }
            if (maxFrameLength < 64 || maxFrameLength > SoftwareSwitch.MAX_FRAME_LENGTH) {
                throw new IllegalArgumentException("switch " + name + ": max frame length " + maxFrameLength
                        + " is out of range 64-" + SoftwareSwitch.MAX_FRAME_LENGTH);
            }
            if (maxPorts < 1 || maxPorts > Math.min(MacLearningTable.MAX_PORTS, Poller.MAX_SLOTS)) {
                throw new IllegalArgumentException("switch " + name + ": max ports " + maxPorts
                        + " is out of range 1-" + Math.min(MacLearningTable.MAX_PORTS, Poller.MAX_SLOTS));
            }
            SwitchEngine engine = new SwitchEngine(this);
            engine.start();
            return engine;
        }
    }
}
