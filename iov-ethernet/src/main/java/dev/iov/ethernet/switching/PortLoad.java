package dev.iov.ethernet.switching;

import java.util.Arrays;

/**
 * Per-port entry counts, and which port holds the most entries: the victim port of fair eviction.
 *
 * <p>The heaviest port is kept by a tournament tree over the ports: each inner node holds the winner of its two
 * children, the one with more entries, the left (lower-numbered) one on a tie. Reading the winner is O(1); a count
 * change replays only the matches on the path from its leaf to the root, O(log ports). Counts change on new entries,
 * moves and removals, never on the refresh that almost every frame does.
 */
final class PortLoad {
    private final int leaves;
    private final int[] counts;
    /** Inner nodes 1 to leaves-1, node n having children 2n and 2n+1; a child index of leaves or more is a port. */
    private final int[] winners;

    PortLoad(int portCount) {
        this.leaves = portCount == 1 ? 1 : Integer.highestOneBit(portCount - 1) << 1;
        // Ports between portCount and leaves stay at 0 entries, so they never beat a real port, which ties win.
        this.counts = new int[leaves];
        this.winners = new int[leaves];
        rebuild();
    }

    int count(int port) {
        return counts[port];
    }

    void increment(int port) {
        counts[port]++;
        replay(port);
    }

    void decrement(int port) {
        counts[port]--;
        replay(port);
    }

    /** @return the port with the most entries, the lowest-numbered one among equals */
    int heaviest() {
        return leaves == 1 ? 0 : winners[1];
    }

    void clear() {
        Arrays.fill(counts, 0);
        rebuild();
    }

    private void rebuild() {
        for (int node = leaves - 1; node >= 1; node--) {
            winners[node] = match(node);
        }
    }

    private void replay(int port) {
        for (int node = (port + leaves) >>> 1; node >= 1; node >>>= 1) {
            winners[node] = match(node);
        }
    }

    private int match(int node) {
        int left = winner(node << 1);
        int right = winner((node << 1) + 1);
        return counts[right] > counts[left] ? right : left;
    }

    private int winner(int node) {
        return node >= leaves ? node - leaves : winners[node];
    }
}
