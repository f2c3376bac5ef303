package dev.iov.ethernet.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.ethernet.ovs.OvsDaemons;
import dev.iov.ethernet.ovs.PrivateOvs;
import dev.iov.testing.Privileged;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@Privileged(tools = {"ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ovs-appctl", "ip"})
class OvsdbClientIT {

    private static final String DB = "Open_vSwitch";
    private static PrivateOvs ovsFixture;
    private static OvsDaemons daemons;
    private OvsdbClient client;

    @BeforeAll
    static void startDaemons() {
        ovsFixture = PrivateOvs.start();
        daemons = ovsFixture.daemons();
    }

    @AfterAll
    static void stopDaemons() {
        if (ovsFixture != null) {
            ovsFixture.close();
        }
    }

    @BeforeEach
    void connect() {
        client = OvsdbClient.connect(daemons.dbTarget(), Duration.ofSeconds(10));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void listsDatabasesAndReadsTheSchema() {
        assertThat(client.listDbs()).contains(DB);
        var schema = client.getSchema(DB);
        assertThat(schema.path("name").asText()).isEqualTo(DB);
        assertThat(schema.path("tables").has("Bridge")).isTrue();
        assertThat(schema.path("tables").path("Interface").path("columns").has("ingress_policing_rate")).isTrue();
    }

    @Test
    void talksTcpToo() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process appctl = new ProcessBuilder("ovs-appctl", "-t",
                daemons.directory().resolve("ovsdb-server.ctl").toString(), "ovsdb-server/add-remote",
                "ptcp:" + port + ":127.0.0.1").redirectErrorStream(true).start();
        String out = new String(appctl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(appctl.waitFor()).as(out).isZero();
        OvsdbClient tcp = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tcp == null) {
            try {
                tcp = OvsdbClient.connect("tcp:127.0.0.1:" + port, Duration.ofSeconds(5));
            } catch (OvsdbConnectionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
        try (OvsdbClient c = tcp) {
            c.echo();
            assertThat(c.listDbs()).contains(DB);
        }
    }

    @Test
    void echoIsAnswered() {
        client.echo();
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void unknownDatabaseIsTheServersError() {
        assertThatThrownBy(() -> client.getSchema("No_Such_Db"))
                .isInstanceOf(OvsdbException.class)
                .isNotInstanceOf(OvsdbConnectionException.class)
                .satisfies(e -> assertThat(((OvsdbException) e).error()).isEqualTo("unknown database"))
                .hasMessageContaining("No_Such_Db");
        client.echo();
    }

    @Test
    void insertSelectUpdateMutateDeleteInOneDatabase() {
        // Flow_Sample_Collector_Set is a root table with few constraints: a scratch table for the raw operations.
        NamedUuid name = new NamedUuid("row1");
        List<OperationResult> inserted = client.transact(DB, Operation.comment("iov client test"),
                Operation.insert("Flow_Sample_Collector_Set", Map.of("id", 7L, "bridge", bridgeFor(), "external_ids",
                        OvsdbMap.ofStrings(Map.of("iov-test", "a"))), name));
        Uuid uuid = inserted.get(1).uuid();

        List<Row> rows = client.transact(DB, Operation.select("Flow_Sample_Collector_Set",
                List.of(Condition.uuid(uuid)), List.of("id", "external_ids"))).get(0).rows();
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.integer("id")).contains(7L);
            assertThat(r.map("external_ids").strings()).containsEntry("iov-test", "a");
        });

        assertThat(client.transact(DB, Operation.update("Flow_Sample_Collector_Set", List.of(Condition.uuid(uuid)),
                Map.of("id", 8L))).get(0).count()).isEqualTo(1);
        assertThat(client.transact(DB, Operation.mutate("Flow_Sample_Collector_Set", List.of(Condition.uuid(uuid)),
                List.of(Mutation.add("id", 2), Mutation.insert("external_ids",
                        OvsdbMap.ofStrings(Map.of("iov-more", "b")))))).get(0).count()).isEqualTo(1);
        Row after = client.transact(DB, Operation.select("Flow_Sample_Collector_Set", List.of(Condition.uuid(uuid)),
                List.of())).get(0).rows().get(0);
        assertThat(after.integer("id")).contains(10L);
        assertThat(after.map("external_ids").strings()).containsEntry("iov-test", "a").containsEntry("iov-more", "b");
        assertThat(after.uuid()).isEqualTo(uuid);

        assertThat(client.transact(DB, Operation.delete("Flow_Sample_Collector_Set", List.of(Condition.uuid(uuid))))
                .get(0).count()).isEqualTo(1);
        assertThat(client.transact(DB, Operation.select("Flow_Sample_Collector_Set", List.of(Condition.uuid(uuid)),
                List.of())).get(0).rows()).isEmpty();
        daemons.vsctl("--if-exists", "del-br", "iovcl0");
    }

    @Test
    void waitOnAStaleValueAbortsTheWholeTransaction() {
        daemons.vsctl("--may-exist", "add-br", "iovcl1", "--", "set", "bridge", "iovcl1", "datapath_type=netdev",
                "external_ids:iov-test=1");
        try {
            List<Condition> bridge = List.of(Condition.eq("name", "iovcl1"));
            // Someone else changes the value after we "read" it.
            daemons.vsctl("set", "bridge", "iovcl1", "external_ids:iov-test=2");
            assertThatThrownBy(() -> client.transact(DB,
                    Operation.waitUntil("Bridge", bridge, List.of("external_ids"),
                            List.of(Map.of("external_ids", OvsdbMap.ofStrings(Map.of("iov-test", "1")))), true, 0),
                    Operation.update("Bridge", bridge, Map.of("external_ids",
                            OvsdbMap.ofStrings(Map.of("iov-test", "3"))))))
                    .isInstanceOf(OvsdbWaitFailedException.class)
                    .satisfies(e -> assertThat(((OvsdbWaitFailedException) e).operationIndex()).isZero())
                    .hasMessageContaining("wait Bridge");
            assertThat(daemons.vsctl("get", "bridge", "iovcl1", "external_ids:iov-test").strip())
                    .as("the update after the failed wait was not applied").isEqualTo("\"2\"");

            // With the current value the same transaction commits.
            client.transact(DB,
                    Operation.waitUntil("Bridge", bridge, List.of("external_ids"),
                            List.of(Map.of("external_ids", OvsdbMap.ofStrings(Map.of("iov-test", "2")))), true, 0),
                    Operation.update("Bridge", bridge, Map.of("external_ids",
                            OvsdbMap.ofStrings(Map.of("iov-test", "3")))));
            assertThat(daemons.vsctl("get", "bridge", "iovcl1", "external_ids:iov-test").strip()).isEqualTo("\"3\"");
        } finally {
            daemons.vsctl("--if-exists", "del-br", "iovcl1");
        }
    }

    @Test
    void failedOperationNamesItAndChangesNothing() {
        NamedUuid port = new NamedUuid("p");
        assertThatThrownBy(() -> client.transact(DB,
                Operation.insert("Bridge", Map.of("name", "iovcl2"), null),
                // A Port with a reference to a row that does not exist: referential integrity fails the commit.
                Operation.insert("Port", Map.of("name", "iovcl2p", "interfaces",
                        new Uuid("00000000-0000-0000-0000-000000000001")), port)))
                .isInstanceOf(OvsdbException.class)
                .isNotInstanceOf(OvsdbWaitFailedException.class)
                .hasMessageContaining("transact Open_vSwitch");
        assertThat(client.transact(DB, Operation.select("Bridge", List.of(Condition.eq("name", "iovcl2")),
                List.of("name"))).get(0).rows()).isEmpty();
        assertThatThrownBy(() -> client.transact(DB, Operation.select("No_Such_Table", List.of(), List.of())))
                .isInstanceOf(OvsdbException.class)
                .hasMessageContaining("operation 0 (select No_Such_Table)");
    }

    @Test
    void monitorSeesAChangeMadeWithOvsVsctl() throws Exception {
        LinkedBlockingQueue<TableUpdates> updates = new LinkedBlockingQueue<>();
        CompletableFuture<OvsdbException> closed = new CompletableFuture<>();
        Monitor monitor = client.monitor(DB, Map.of("Bridge", List.of("name", "external_ids")),
                new MonitorListener() {
                    @Override
                    public void onUpdate(TableUpdates u) {
                        updates.add(u);
                    }

                    @Override
                    public void onClosed(OvsdbException cause) {
                        closed.complete(cause);
                    }
                });
        try {
            assertThat(monitor.initial().table("Bridge").values())
                    .noneMatch(u -> u.newRow().flatMap(r -> r.string("name")).orElse("").equals("iovcl3"));
            daemons.vsctl("add-br", "iovcl3", "--", "set", "bridge", "iovcl3", "datapath_type=netdev");
            TableUpdates seen = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen == null && System.nanoTime() < deadline) {
                TableUpdates u = updates.poll(100, TimeUnit.MILLISECONDS);
                if (u != null && u.table("Bridge").values().stream().anyMatch(r -> r.oldRow().isEmpty()
                        && r.newRow().flatMap(n -> n.string("name")).orElse("").equals("iovcl3"))) {
                    seen = u;
                }
            }
            assertThat(seen).as("monitor update for the new bridge").isNotNull();
            // The listener may use the client: its calls do not run on the reader thread.
            client.echo();
        } finally {
            monitor.close();
            daemons.vsctl("--if-exists", "del-br", "iovcl3");
        }
        assertThat(closed.get(5, TimeUnit.SECONDS)).as("a cancel the caller asked for has no cause").isNull();
        client.echo();
    }

    @Test
    void closedClientFailsRequestsClearly() {
        client.close();
        assertThatThrownBy(client::echo).isInstanceOf(OvsdbConnectionException.class).hasMessageContaining("closed");
    }

    private static Uuid bridgeFor() {
        daemons.vsctl("--may-exist", "add-br", "iovcl0", "--", "set", "bridge", "iovcl0", "datapath_type=netdev");
        return new Uuid(daemons.vsctl("get", "bridge", "iovcl0", "_uuid").strip());
    }
}
