package dev.iov.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PKey;
import dev.iov.linux.AlreadyExistsException;
import dev.iov.linux.InvalidArgumentException;
import dev.iov.linux.LinuxException;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.NoSuchDeviceException;
import dev.iov.linux.NotSupportedException;
import dev.iov.testing.Privileged;
import dev.iov.testing.TestNamespaces;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Rtnetlink} against the real kernel, each test in a namespace of its own ({@code iov-t-…}) that is deleted
 * afterwards, with addresses from 198.18.0.0/15 (and 2001:2::/48).
 */
@Privileged(tools = {"ip"})
class RtnetlinkIT {

    private static final InterfaceName V0 = InterfaceName.of("iov-v0");
    private static final InterfaceName V1 = InterfaceName.of("iov-v1");
    private static final InterfaceName BR = InterfaceName.of("iov-br0");

    private NetworkNamespace namespace;
    private NetworkNamespace other;
    private Rtnetlink rtnl;

    @BeforeEach
    void setUp() {
        namespace = NetworkNamespace.create(namespaceName());
        rtnl = Rtnetlink.open(namespace);
    }

    @AfterEach
    void tearDown() {
        try {
            if (rtnl != null) {
                rtnl.close();
            }
        } finally {
            try {
                if (other != null) {
                    other.close();
                }
            } finally {
                namespace.close();
            }
        }
    }

    @Test
    void vethPairIsCreatedChangedListedAndDeleted() {
        rtnl.createVeth(VethSpec.of(V0, V1));

        LinkInfo v0 = rtnl.link(V0).orElseThrow();
        LinkInfo v1 = rtnl.link(V1).orElseThrow();
        assertThat(v0.kind()).contains("veth");
        assertThat(v0.linkIndex()).hasValue(v1.index());
        assertThat(v1.linkIndex()).hasValue(v0.index());
        assertThat(v0.linkNetnsId()).as("peer in the same namespace").isEmpty();
        assertThat(v0.up()).isFalse();
        assertThat(v0.operState()).isEqualTo(OperState.DOWN);

        MacAddress mac = MacAddress.parse("02:00:5e:10:00:01");
        rtnl.setMtu(V0, 1400);
        rtnl.setMacAddress(V0, mac);
        rtnl.setUp(V0);
        rtnl.setUp(V1);
        awaitTrue(() -> rtnl.link(V0).orElseThrow().operState() == OperState.UP);

        v0 = rtnl.link(V0).orElseThrow();
        assertThat(v0.mtu()).isEqualTo(1400);
        assertThat(v0.macAddress()).contains(mac);
        assertThat(v0.up()).isTrue();
        assertThat(v0.stats()).isPresent();
        assertThat(rtnl.link(v0.index())).hasValueSatisfying(byIndex -> assertThat(byIndex.name()).isEqualTo(V0));

        List<LinkInfo> links = rtnl.links();
        assertThat(links).extracting(l -> l.name().value()).containsExactlyInAnyOrder("lo", "iov-v0", "iov-v1");
        assertThat(links).filteredOn(l -> l.name().equals(V0)).singleElement()
                .satisfies(l -> assertThat(l.mtu()).isEqualTo(1400));

        rtnl.setDown(V0);
        assertThat(rtnl.link(V0).orElseThrow().up()).isFalse();

        rtnl.deleteLink(V0);
        assertThat(rtnl.link(V0)).isEmpty();
        assertThat(rtnl.link(V1)).as("deleting one end deletes the pair").isEmpty();
    }

    @Test
    void anAliasIsSetReadBackInAGetAndADumpAndShownByIp() {
        rtnl.createVeth(VethSpec.of(V0, V1));
        assertThat(rtnl.link(V0).orElseThrow().alias()).as("a new link has none").isEmpty();

        rtnl.setAlias(V0, "iov:h1/java-switch:web-7-eth0");

        assertThat(rtnl.link(V0).orElseThrow().alias()).contains("iov:h1/java-switch:web-7-eth0");
        assertThat(rtnl.links()).filteredOn(l -> l.name().equals(V0)).singleElement()
                .satisfies(l -> assertThat(l.alias()).contains("iov:h1/java-switch:web-7-eth0"));
        assertThat(rtnl.link(V1).orElseThrow().alias()).as("the peer keeps none").isEmpty();
        assertThat(succeed(namespace.exec("ip", "link", "show", "iov-v0")))
                .contains("alias iov:h1/java-switch:web-7-eth0");

        rtnl.setAlias(V0, "another");
        assertThat(rtnl.link(V0).orElseThrow().alias()).contains("another");
    }

    @Test
    void bridgeMasterIsSetAndCleared() {
        rtnl.createBridge(BR);
        rtnl.createVeth(VethSpec.of(V0, V1));
        int bridge = rtnl.indexOf(BR);

        rtnl.setMaster(V0, BR);
        assertThat(rtnl.link(V0).orElseThrow().masterIndex()).hasValue(bridge);
        assertThat(rtnl.link(BR).orElseThrow().kind()).contains("bridge");

        rtnl.clearMaster(V0);
        assertThat(rtnl.link(V0).orElseThrow().masterIndex()).isEmpty();
    }

    @Test
    void vxlanAndMacvlanSitOnAnUnderlay() throws Exception {
        rtnl.createVeth(VethSpec.of(V0, V1));
        int underlay = rtnl.indexOf(V0);
        InterfaceName vx = InterfaceName.of("iov-vx0");
        InterfaceName group = InterfaceName.of("iov-vx1");
        InterfaceName mv = InterfaceName.of("iov-mv0");

        rtnl.createVxlan(VxlanSpec.builder(vx, 42).local(GoldenVectorTest.ip("198.18.0.1"))
                .remote(GoldenVectorTest.ip("198.18.0.2")).device(V0).build());
        rtnl.createVxlan(VxlanSpec.builder(group, 43).group(GoldenVectorTest.ip("239.1.1.1")).device(V0).build());
        rtnl.createMacvlan(new MacvlanSpec(mv, V1, MacvlanMode.BRIDGE));

        LinkInfo tunnel = rtnl.link(vx).orElseThrow();
        assertThat(tunnel.kind()).contains("vxlan");
        assertThat(tunnel.mtu()).as("1500 minus the 50-byte VXLAN/UDP/IPv4 overhead").isEqualTo(1450);
        assertThat(rtnl.link(group).orElseThrow().kind()).contains("vxlan");
        LinkInfo macvlan = rtnl.link(mv).orElseThrow();
        assertThat(macvlan.kind()).contains("macvlan");
        assertThat(macvlan.linkIndex()).hasValue(rtnl.indexOf(V1));
        String details = succeed(namespace.exec("ip", "-d", "link", "show", "iov-vx0"));
        assertThat(details).contains("vxlan id 42 remote 198.18.0.2 local 198.18.0.1 dev iov-v0")
                .contains("dstport 4789");
        assertThat(succeed(namespace.exec("ip", "-d", "link", "show", "iov-mv0"))).contains("macvlan mode bridge");
        assertThat(underlay).isPositive();
    }

    @Test
    void aVethEndMovesToAnotherNamespaceByFdAndByPid() {
        other = NetworkNamespace.create(namespaceName());
        rtnl.createVeth(VethSpec.of(V0, V1));
        InterfaceName a = InterfaceName.of("iov-a0");
        InterfaceName b = InterfaceName.of("iov-b0");
        rtnl.createVeth(VethSpec.of(a, b));

        rtnl.moveToNamespace(V1, TargetNamespace.ofFd(other.fd()));
        Process sleeper = other.exec("sleep", "30");
        try {
            // Until `ip netns exec` has entered the namespace, its pid names the test's own namespace.
            awaitTrue(() -> inNamespace(sleeper.pid(), other));
            rtnl.moveToNamespace(b, TargetNamespace.ofPid(sleeper.pid()));
        } finally {
            sleeper.destroy();
        }

        assertThat(rtnl.link(V1)).isEmpty();
        assertThat(rtnl.link(b)).isEmpty();
        LinkInfo v0 = rtnl.link(V0).orElseThrow();
        assertThat(v0.linkNetnsId()).as("the peer now lives in another namespace").isPresent();
        try (Rtnetlink there = Rtnetlink.open(other)) {
            assertThat(there.links()).extracting(l -> l.name().value()).contains("iov-v1", "iov-b0");
            assertThat(there.link(V1).orElseThrow().linkNetnsId()).isPresent();
        }
    }

    @Test
    void aVethPeerIsCreatedStraightInAnotherNamespace() {
        other = NetworkNamespace.create(namespaceName());

        rtnl.createVeth(new VethSpec(V0, V1, Optional.of(TargetNamespace.ofFd(other.fd()))));

        assertThat(rtnl.link(V1)).isEmpty();
        assertThat(rtnl.link(V0).orElseThrow().linkNetnsId()).isPresent();
        try (Rtnetlink there = Rtnetlink.open(other)) {
            assertThat(there.link(V1)).isPresent();
        }
    }

    @Test
    void addressesAreAddedListedAndRemoved() {
        rtnl.createVeth(VethSpec.of(V0, V1));
        CidrAddress v4 = CidrAddress.parse("198.18.0.1/24");
        CidrAddress v6 = CidrAddress.parse("2001:2::1/64");

        rtnl.addAddress(V0, v4);
        rtnl.addAddress(V0, v6);
        assertThat(rtnl.addresses(V0)).contains(v4, v6);
        assertThat(succeed(namespace.exec("ip", "addr", "show", "dev", "iov-v0"))).contains("inet 198.18.0.1/24")
                .contains("inet6 2001:2::1/64");
        assertThatThrownBy(() -> rtnl.addAddress(V0, v4)).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("iov-v0");

        rtnl.removeAddress(V0, v4);
        rtnl.removeAddress(V0, v6);
        assertThat(rtnl.addresses(V0)).doesNotContain(v4, v6);
        assertThat(rtnl.addresses(V1)).doesNotContain(v4);
    }

    @Test
    void aVfWriteOnAVethReachesTheKernelAndIsNotSupported() {
        rtnl.createVeth(VethSpec.of(V0, V1));

        assertThatThrownBy(() -> rtnl.setVf(V0, VfConfig.forVf(0).mac(MacAddress.parse("02:00:00:00:00:01"))
                .spoofCheck(true).build()))
                .isInstanceOfSatisfying(NotSupportedException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EOPNOTSUPP");
                    assertThat(e.object()).isEqualTo("iov-v0");
                    assertThat(e.operation()).isEqualTo("set VF 0");
                });
        // Only the rate limit given: the current rates are read first (a veth reports no VFs), then sent.
        assertThatThrownBy(() -> rtnl.setVf(V0, VfConfig.forVf(2).maxTxRate(Bandwidth.ofMbps(1000)).build()))
                .isInstanceOf(NotSupportedException.class);
        assertThat(rtnl.vfs(V0)).isEmpty();
    }

    @Test
    void anIpoibChildFailsCleanlyWithoutAnInfinibandDriver() {
        rtnl.createVeth(VethSpec.of(V0, V1));

        assertThatThrownBy(() -> rtnl.createIpoibChild(
                new IpoibSpec(InterfaceName.of("iov-ib0"), V0, PKey.of(0x8001))))
                .isInstanceOfSatisfying(NotSupportedException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EOPNOTSUPP");
                    assertThat(e.object()).isEqualTo("iov-ib0");
                    assertThat(e.getMessage()).contains("Unknown device type");
                });
        assertThat(rtnl.link(InterfaceName.of("iov-ib0"))).isEmpty();
    }

    @Test
    void kernelErrorsAreTypedAndNameTheInterface() {
        InterfaceName missing = InterfaceName.of("iov-nope");
        assertThat(rtnl.link(missing)).isEmpty();
        assertThatThrownBy(() -> rtnl.setMtu(missing, 1400)).isInstanceOf(NoSuchDeviceException.class)
                .hasMessageStartingWith("set MTU on 'iov-nope' failed: ENODEV (19)");
        assertThatThrownBy(() -> rtnl.setMaster(V0, missing)).isInstanceOf(NoSuchDeviceException.class)
                .hasMessageContaining("iov-nope");

        rtnl.createVeth(VethSpec.of(V0, V1));
        assertThatThrownBy(() -> rtnl.createVeth(VethSpec.of(V0, InterfaceName.of("iov-v2"))))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("create veth on 'iov-v0'");
        assertThatThrownBy(() -> rtnl.setMtu(V0, 70_000))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.getMessage()).contains("kernel says"));
        assertThatThrownBy(() -> rtnl.setMtu(V0, 70_000)).isInstanceOf(LinuxException.class);
    }

    private static String namespaceName() {
        return TestNamespaces.uniqueName();
    }

    /** Whether the process's network namespace is the named namespace (same inode as its bind mount). */
    private static boolean inNamespace(long pid, NetworkNamespace namespace) {
        try {
            Object inode = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/run/netns", namespace.name()),
                    "unix:ino");
            String link = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", Long.toString(pid), "ns",
                    "net")).toString();
            return link.equals("net:[" + inode + "]");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String succeed(Process process) throws RuntimeException {
        try {
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("exit status of %s", output).isZero();
            return output;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
