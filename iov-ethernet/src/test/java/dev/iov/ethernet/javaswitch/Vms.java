package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.linux.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixture: VMs as network namespaces ({@code iov-t-<random>-<vm>}), a {@link TapPlacement} that puts each vNIC's
 * TAP into its VM's namespace, and the commands run inside them (ping, iperf3). Closing deletes every namespace it
 * made, also after a failure.
 */
final class Vms implements AutoCloseable {

    static final HostId HOST = HostId.of("h1");

    private final String prefix = String.format("iov-t-%06x-", ThreadLocalRandom.current().nextInt(1 << 24));
    private final Map<String, NetworkNamespace> namespaces = new LinkedHashMap<>();

    /** Puts a vNIC's TAP in the namespace of the VM its spec names (created on first use). */
    final TapPlacement placement = request -> Optional.of(vm(request.spec().vm()));

    /**
     * @param vm a VM name
     * @return its namespace, created on first use
     */
    synchronized NetworkNamespace vm(String vm) {
        return namespaces.computeIfAbsent(vm, v -> NetworkNamespace.create(prefix + v));
    }

    /** @return the names of the namespaces made so far */
    synchronized List<String> namespaceNames() {
        return namespaces.values().stream().map(NetworkNamespace::name).toList();
    }

    /**
     * @param vnic the vNIC id
     * @param vm its VM
     * @param vlan its VLAN
     * @param mac its MAC
     * @param maxRate its rate limit, or null
     * @return an attach request as the fabric would make it
     */
    static AttachRequest request(String vnic, String vm, int vlan, MacAddress mac, Bandwidth maxRate) {
        VnicSpec.Builder spec = VnicSpec.builder(vnic, vm, "net" + vlan).mac(mac);
        if (maxRate != null) {
            spec.maxRate(maxRate);
        }
        return new AttachRequest(spec.build(), HOST, "uplink0", Network.vlan("net" + vlan, VlanId.of(vlan)),
                new VnicAddresses(Optional.of(mac), Optional.empty()));
    }

    /**
     * Gives a VM's NIC an address, with IPv6 off so the kernel stays quiet on it.
     *
     * @param vm the VM
     * @param nic its TAP
     * @param cidr e.g. {@code 198.18.0.1/24}
     */
    void configure(String vm, String nic, String cidr) {
        NetworkNamespace ns = vm(vm);
        ns.call(() -> {
            Path knob = Path.of("/proc/sys/net/ipv6/conf", nic, "disable_ipv6");
            if (Files.exists(knob)) {
                Files.writeString(knob, "1");
            }
            return null;
        });
        run(vm, "ip", "addr", "add", cidr, "dev", nic);
        run(vm, "ip", "link", "set", "lo", "up");
    }

    /**
     * @param vm the VM
     * @param command a command
     * @return its output; fails the test when it exits non-zero
     */
    String run(String vm, String... command) {
        Result r = exec(vm, 60, command);
        assertThat(r.exit).as("%s in %s: %s", String.join(" ", command), vm, r.output).isZero();
        return r.output;
    }

    /**
     * @param vm the VM
     * @param timeoutSeconds how long to wait
     * @param command a command
     * @return its exit status and output
     */
    Result exec(String vm, int timeoutSeconds, String... command) {
        Process p = vm(vm).exec(command);
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * @param vm the VM
     * @param target an address
     * @param count echo requests
     * @return whether every request was answered
     */
    boolean ping(String vm, String target, int count) {
        return exec(vm, 30, "ping", "-n", "-c", Integer.toString(count), "-i", "0.2", "-W", "1", target).exit == 0;
    }

    /**
     * Runs an iperf3 TCP test from one VM to another's server and returns the receiver's throughput.
     *
     * @param client the sending VM
     * @param server the receiving VM
     * @param serverAddress its address
     * @param seconds the test length
     * @return bits per second the receiver saw
     */
    double iperfTcp(String client, String server, String serverAddress, int seconds) {
        Process daemon = vm(server).exec("iperf3", "-s", "-1", "-B", serverAddress);
        try {
            String json = null;
            for (int attempt = 0; attempt < 20 && json == null; attempt++) {
                Result r = exec(client, seconds + 30, "iperf3", "-c", serverAddress, "-t", Integer.toString(seconds),
                        "-J");
                // The server may not listen yet; iperf3 -J reports that in the JSON, sometimes with exit status 0.
                if (r.output.contains("Connection refused")) {
                    sleep(100);
                } else if (r.exit == 0) {
                    json = r.output;
                } else {
                    throw new AssertionError("iperf3 failed: " + r.output);
                }
            }
            assertThat(json).as("iperf3 client ran").isNotNull();
            Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)")
                    .matcher(json);
            assertThat(m.find()).as("sum_received in %s", json).isTrue();
            return Double.parseDouble(m.group(1));
        } finally {
            daemon.destroy();
            try {
                daemon.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            daemon.destroyForcibly();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes every namespace, even when one deletion fails. */
    @Override
    public synchronized void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (NetworkNamespace ns : namespaces.values()) {
            try {
                ns.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Lists the host's network namespaces ({@code ip netns list}). */
    static String netnsList() {
        return host("ip", "netns", "list");
    }

    /** Lists the host namespace's links ({@code ip -o link show}; read-only). */
    static String hostLinks() {
        return host("ip", "-o", "link", "show");
    }

    private static String host(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A finished command. */
    record Result(int exit, String output) {
    }
}
