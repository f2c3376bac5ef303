package dev.iov.bench.linux;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.FrameBatch;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VethSpec;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames per second sent on an AF_PACKET socket bound to a veth, one {@code sendto} per frame against one
 * {@code sendmmsg} per batch of {@value #BATCH}: the measurement behind choosing batched system calls for ports.
 * Scores are per frame. The veth lives in a namespace the benchmark creates; its peer is down, so frames go no
 * further. Needs root.
 *
 * <pre>{@code java -jar iov-bench/target/benchmarks.jar PacketSendBench -prof gc}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketSendBench {
    static final int BATCH = 32;

    /** Frame length in bytes, Ethernet header included. */
    @Param({"64", "1500"})
    public int frameSize;

    private NetworkNamespace namespace;
    private PacketSocket socket;
    private ByteBuffer frame;
    private FrameBatch batch;

    /** Creates the namespace, a veth with one end up, the socket and the frames. */
    @Setup(Level.Trial)
    public void open() {
        namespace = NetworkNamespace.create("iov-bench-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
        InterfaceName port = InterfaceName.of("iov-p0");
        try (Rtnetlink rtnetlink = Rtnetlink.open(namespace)) {
            rtnetlink.createVeth(VethSpec.of(port, InterfaceName.of("iov-p1")));
            rtnetlink.setUp(port);
        }
        socket = PacketSocket.open(port.value(), namespace);
        frame = ByteBuffer.allocateDirect(frameSize);
        fill(frame);
        batch = FrameBatch.allocate(BATCH, frameSize);
        for (int i = 0; i < BATCH; i++) {
            fill(batch.add());
        }
    }

    /** Closes the socket and deletes the namespace. */
    @TearDown(Level.Trial)
    public void close() {
        socket.close();
        namespace.close();
    }

    /** A broadcast frame of the local experimental EtherType 0x88b5, zero payload. */
    private void fill(ByteBuffer buffer) {
        buffer.clear();
        for (int i = 0; i < 6; i++) {
            buffer.put((byte) 0xff);
        }
        buffer.put(new byte[] {0x02, 0x69, 0x6f, 0, 0, 1});
        buffer.putShort((short) 0x88b5);
        buffer.position(frameSize);
        buffer.flip();
    }

    /** @return whether the interface took the frame: one sendto */
    @Benchmark
    public boolean single() {
        frame.rewind();
        return socket.send(frame);
    }

    /** @return how many frames the interface took: one sendmmsg of {@value #BATCH} frames */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batched() {
        return socket.sendBatch(batch);
    }
}
