package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.testing.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@Privileged(tools = {"ip"})
class NetworkNamespaceIT {

    private static final Path NETNS = Path.of("/var/run/netns");

    private NetworkNamespace namespace;
    private NetworkNamespace other;

    @AfterEach
    void tearDown() {
        Fixtures.closeAll(namespace, other);
    }

    @Test
    void createRunsCodeInsideAndCloseDeletes() throws IOException {
        String name = Fixtures.namespaceName();
        namespace = NetworkNamespace.create(name);

        assertThat(namespace.name()).isEqualTo(name);
        assertThat(NETNS.resolve(name)).exists();
        assertThat(namespace.fd()).isNotNegative();
        Path host = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"));
        Path inside = namespace.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")));
        assertThat(inside).isNotEqualTo(host);
        assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")))
                .as("the caller's namespace is unchanged").isEqualTo(host);

        namespace.close();

        assertThat(NETNS.resolve(name)).doesNotExist();
        assertThat(Fixtures.ip("netns", "list")).doesNotContain(name);
        namespace.close();
        assertThatThrownBy(() -> namespace.call(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name);
        assertThatThrownBy(namespace::fd).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> namespace.exec("true")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openEntersAnExistingNamespaceAndCloseLeavesItThere() throws IOException {
        String name = Fixtures.namespaceName();
        namespace = NetworkNamespace.create(name);
        Path created = namespace.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")));

        assertThat(NetworkNamespace.exists(name)).isTrue();
        other = NetworkNamespace.open(name);
        assertThat(other.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")))).isEqualTo(created);
        other.close();

        assertThat(NETNS.resolve(name)).as("a namespace only opened is not deleted").exists();
        assertThat(namespace.call(() -> 1)).isEqualTo(1);
        String missing = Fixtures.namespaceName();
        assertThat(NetworkNamespace.exists(missing)).isFalse();
        assertThatThrownBy(() -> NetworkNamespace.open(missing)).isInstanceOf(NoSuchDeviceException.class)
                .hasMessageContaining(missing);
        assertThatThrownBy(() -> NetworkNamespace.open("../etc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../etc'");
        assertThat(NetworkNamespace.exists("../etc")).isFalse();
    }

    @Test
    void execRunsCommandsInside() {
        namespace = NetworkNamespace.create(Fixtures.namespaceName());

        String links = Fixtures.succeed(namespace.exec("ip", "-o", "link", "show"));

        assertThat(links.strip().lines()).hasSize(1).first().asString().contains(": lo:");
    }

    @Test
    void netlinkSocketOpenedForANamespaceActsInIt() {
        namespace = NetworkNamespace.create(Fixtures.namespaceName());

        try (RawNetlinkSocket socket = RawNetlinkSocket.open(RawNetlinkSocket.NETLINK_ROUTE, namespace)) {
            socket.send(LinkDumpByHand.request(1, true));
            LinkDumpByHand.Result dump = LinkDumpByHand.receiveUntilDone(socket, java.nio.ByteBuffer.allocateDirect(
                    32768));

            assertThat(dump.names).containsExactly("lo");
            assertThat(dump.done).isTrue();
        }
    }

    @Test
    void creatingAnExistingNamespaceFailsTyped() {
        String name = Fixtures.namespaceName();
        namespace = NetworkNamespace.create(name);

        assertThatThrownBy(() -> other = NetworkNamespace.create(name))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageStartingWith("create network namespace on '" + name + "' failed: EEXIST (17) File exists")
                .satisfies(e -> assertThat(((LinuxException) e).object()).isEqualTo(name));
        assertThat(NETNS.resolve(name)).as("the existing namespace is untouched").exists();
    }

    @Test
    void callRethrowsWhatTheTaskThrows() {
        namespace = NetworkNamespace.create(Fixtures.namespaceName());

        IllegalStateException unchecked = new IllegalStateException("boom");
        assertThatThrownBy(() -> namespace.call(() -> {
            throw unchecked;
        })).isSameAs(unchecked);
        assertThatThrownBy(() -> namespace.call(() -> {
            throw new IOException("checked");
        })).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void shutdownHookDeletesNamespacesLeftOpen() throws IOException {
        String name = Fixtures.namespaceName();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            String output = Fixtures.succeed(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    NamespaceLeftOpenProbe.class.getName(), name).redirectErrorStream(true).start());

            assertThat(output).contains("created " + name);
            assertThat(NETNS.resolve(name)).doesNotExist();
        } finally {
            if (Files.exists(NETNS.resolve(name))) {
                Fixtures.ip("netns", "delete", name);
            }
        }
    }

    @Test
    void deleteStaleRemovesLeftoversButNotOpenNamespaces() {
        String prefix = Fixtures.namespaceName() + "-";
        String leftoverA = prefix + "a";
        String leftoverB = prefix + "b";
        try {
            Fixtures.ip("netns", "add", leftoverA);
            Fixtures.ip("netns", "add", leftoverB);
            namespace = NetworkNamespace.create(prefix + "open");

            assertThat(NetworkNamespace.deleteStale(prefix)).containsExactly(leftoverA, leftoverB);

            assertThat(NETNS.resolve(leftoverA)).doesNotExist();
            assertThat(NETNS.resolve(leftoverB)).doesNotExist();
            assertThat(NETNS.resolve(namespace.name())).exists();
            assertThat(NetworkNamespace.deleteStale(prefix)).isEmpty();
        } finally {
            for (String leftover : new String[] {leftoverA, leftoverB}) {
                if (Files.exists(NETNS.resolve(leftover))) {
                    Fixtures.ip("netns", "delete", leftover);
                }
            }
        }
    }
}
