package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import dev.iov.api.store.StateStore;
import dev.iov.store.zookeeper.pool.SharedAddressPool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With digest credentials, every znode iov makes (records, pool chunks, leader latches, members) carries the creator-only
 * ACL: a plain ZooKeeper client without the credentials can read nothing, list nothing and change nothing there.
 */
class ZooKeeperAclTest {
    private static final String NAMESPACE = "acl-test";

    private TestingServer server;
    private ZooKeeperStateStore owner;
    private CuratorFramework stranger;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        owner = ZooKeeperStateStore.builder().connectString(server.getConnectString()).namespace(NAMESPACE)
                .digestAuthentication("iov", "s3cret").build();
        stranger = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        stranger.start();
        stranger.blockUntilConnected();
    }

    @AfterEach
    void stop() throws Exception {
        stranger.close();
        owner.close();
        server.close();
    }

    @Test
    void aClientWithoutTheCredentialsCanReadListAndChangeNothing() throws Exception {
        owner.put("iov/vnics/secret", "tenant data".getBytes(StandardCharsets.UTF_8), StateStore.ABSENT);
        SharedAddressPool.macs(owner, "iov/pools/mac/", MacAddress.parse("02:00:00:00:00:00"),
                MacAddress.parse("02:00:00:00:ff:ff"), SharedAddressPool.ChunkSelection.FIRST_FIT).allocate();
        try (LeaderElection election = owner.leaderElection("reconcile", "node-a");
             ZooKeeperMembership member = owner.membership("node-a")) {
            List<String> znodes = new ArrayList<>();
            walk(owner.curator(), "/", znodes);
            assertThat(znodes).as("iov's znodes").hasSizeGreaterThan(3);
            for (String path : znodes) {
                String raw = "/" + NAMESPACE + (path.equals("/") ? "" : path);
                List<ACL> acl = owner.curator().getACL().forPath(path);
                assertThat(acl).as("ACL of %s", raw).singleElement().satisfies(entry -> {
                    assertThat(entry.getId().getScheme()).isEqualTo("digest");
                    assertThat(entry.getId().getId()).startsWith("iov:");
                    assertThat(entry.getPerms()).isEqualTo(ZooDefs.Perms.ALL);
                });
                assertThatThrownBy(() -> stranger.getData().forPath(raw)).as("read %s", raw)
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> stranger.getChildren().forPath(raw)).as("list %s", raw)
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> stranger.setData().forPath(raw, new byte[] {1})).as("write %s", raw)
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> stranger.create().forPath(raw + "/planted")).as("create under %s", raw)
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
            String record = "/" + NAMESPACE + ZooKeeperStateStore.RECORDS + "/" + ZnodeNames.encode("iov/vnics/secret");
            assertThatThrownBy(() -> stranger.delete().forPath(record))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
        assertThat(owner.get("iov/vnics/secret")).isPresent();
    }

    private static void walk(CuratorFramework client, String path, List<String> into) throws Exception {
        into.add(path);
        for (String child : client.getChildren().forPath(path)) {
            walk(client, path.equals("/") ? "/" + child : path + "/" + child, into);
        }
    }
}
