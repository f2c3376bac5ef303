package dev.iov.bench.switching;
import dev.iov.ethernet.switching.LearnResult;
import dev.iov.ethernet.switching.MacEntryVisitor;

import java.util.Arrays;

/**
 * One doubly linked queue of hash-table slots per port, threaded through two int arrays indexed by slot, so that fair
 * eviction can take a port's oldest entry in O(1) without scanning the table or allocating a node per entry.
 *
 * <p>The links name slots, and backward-shift deletion moves entries between slots, so the table reports every move
 * through {@link #relocate}.
 */
final class XPortQueues {
    /** No slot: the end of a queue, or an empty queue. */
    static final int NIL = -1;

    private final int[] first;
    private final int[] last;
    private final int[] prev;
    private final int[] next;

    XPortQueues(int portCount, int slots) {
        first = new int[portCount];
        last = new int[portCount];
        prev = new int[slots];
        next = new int[slots];
        clear();
    }

    /** @return the slot at the head of the port's queue, or {@link #NIL} when the port has no entry */
    int first(int port) {
        return first[port];
    }

    void addLast(int port, int slot) {
        int tail = last[port];
        prev[slot] = tail;
        next[slot] = NIL;
        if (tail == NIL) {
            first[port] = slot;
        } else {
            next[tail] = slot;
        }
        last[port] = slot;
    }

    void remove(int port, int slot) {
        int before = prev[slot];
        int after = next[slot];
        if (before == NIL) {
            first[port] = after;
        } else {
            next[before] = after;
        }
        if (after == NIL) {
            last[port] = before;
        } else {
            prev[after] = before;
        }
    }

    /** Records that the entry in slot {@code from}, queued on {@code port}, now lives in slot {@code to}. */
    void relocate(int port, int from, int to) {
        int before = prev[from];
        int after = next[from];
        prev[to] = before;
        next[to] = after;
        if (before == NIL) {
            first[port] = to;
        } else {
            next[before] = to;
        }
        if (after == NIL) {
            last[port] = to;
        } else {
            prev[after] = to;
        }
    }

    void clear() {
        Arrays.fill(first, NIL);
        Arrays.fill(last, NIL);
    }
}
