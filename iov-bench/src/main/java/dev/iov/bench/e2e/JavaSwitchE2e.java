package dev.iov.bench.e2e;

import dev.iov.ethernet.port.PortDevice;
import dev.iov.ethernet.port.PortStats;
import dev.iov.ethernet.port.SwitchEngine;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.linux.PacketSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The Java switch for {@code iov-bench/e2e.sh}: a {@link SwitchEngine} whose ports are {@code AF_PACKET} sockets on
 * the named interfaces of the current network namespace (the script runs it with {@code ip netns exec}), all access
 * ports of VLAN 1, so it forwards between them like the bridge and the OVS bridge it is compared with. It runs until
 * SIGTERM or SIGINT, then prints each port's counters to stderr and exits.
 *
 * <p>The sockets carry virtio-net headers ({@code PACKET_VNET_HDR}), so TCP moves as 64 KiB offload super-frames
 * and the VMs may keep checksum offload on; {@code --no-vnet-header} first opens plain sockets (frames of at most
 * one MTU, which needs the VMs' tx offload off), for comparison.
 *
 * <pre>{@code ip netns exec iov-e2e-sw java -cp iov-bench/target/benchmarks.jar dev.iov.bench.e2e.JavaSwitchE2e sw-a sw-b}</pre>
 */
public final class JavaSwitchE2e {

    private JavaSwitchE2e() {
    }

    /**
     * @param args the interfaces to switch between, at least two
     * @throws InterruptedException never in practice: the main thread waits for the shutdown hook
     */
    public static void main(String[] args) throws InterruptedException {
        boolean vnetHeader = true;
        if (args.length > 0 && args[0].equals("--no-vnet-header")) {
            vnetHeader = false;
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        if (args.length < 2) {
            System.err.println("usage: JavaSwitchE2e [--no-vnet-header] IFNAME IFNAME [IFNAME...]");
            System.exit(2);
        }
        SwitchEngine engine = SwitchEngine.builder("e2e").start();
        List<Integer> ports = new ArrayList<>();
        try {
            for (String name : args) {
                ports.add(engine.addPort(PortDevice.packet(PacketSocket.open(name, vnetHeader)), PortConfig.access(1)));
            }
        } catch (RuntimeException e) {
            engine.close();
            System.err.println("JavaSwitchE2e: " + e.getMessage());
            System.exit(1);
        }
        String[] names = args;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = 0; i < ports.size(); i++) {
                PortStats s = engine.stats(ports.get(i));
                System.err.println(names[i] + ": " + s);
            }
            engine.close();
            stopped.countDown();
        }, "e2e-stop"));
        System.err.println("JavaSwitchE2e: switching " + String.join(", ", args)
                + (vnetHeader ? " with virtio-net headers" : " without virtio-net headers"));
        stopped.await();
    }
}
