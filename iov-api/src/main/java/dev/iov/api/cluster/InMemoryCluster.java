package dev.iov.api.cluster;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Management nodes in one JVM that see each other at once: for tests, and for several fabrics of one process on
 * one store. {@link #join} makes a member; {@link #kill} ends a member's session as a crash would, without the
 * member closing anything.
 */
public final class InMemoryCluster {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryCluster.class);

    private final Set<String> alive = new TreeSet<>();
    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Joins a node.
     *
     * @param node its id
     * @return its membership
     * @throws IllegalArgumentException when the id is blank or a live node has it
     */
    public Membership join(String node) {
        Objects.requireNonNull(node, "node");
        if (node.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        synchronized (this) {
            if (!alive.add(node)) {
                throw new IllegalArgumentException("node id '" + node + "' is taken by a live member");
            }
        }
        changed();
        return new Member(node);
    }

    /**
     * Ends a node's session as if it had crashed: the others see it gone; its membership object is not told.
     *
     * @param node the node
     */
    public void kill(String node) {
        boolean removed;
        synchronized (this) {
            removed = alive.remove(node);
        }
        if (removed) {
            changed();
        }
    }

    /** @return the live node ids */
    public synchronized Set<String> members() {
        return Collections.unmodifiableSet(new TreeSet<>(alive));
    }

    private void changed() {
        Set<String> now = members();
        for (Consumer<Set<String>> listener : listeners) {
            try {
                listener.accept(now);
            } catch (RuntimeException e) {
                LOG.warn("membership listener {} failed", listener, e);
            }
        }
    }

    private final class Member implements Membership {
        private final String self;
        private final Set<Consumer<Set<String>>> own = Collections.synchronizedSet(new LinkedHashSet<>());

        Member(String self) {
            this.self = self;
        }

        @Override
        public String self() {
            return self;
        }

        @Override
        public Set<String> members() {
            return InMemoryCluster.this.members();
        }

        @Override
        public Subscription subscribe(Consumer<Set<String>> listener) {
            Objects.requireNonNull(listener, "listener");
            listeners.add(listener);
            own.add(listener);
            return () -> {
                listeners.remove(listener);
                own.remove(listener);
            };
        }

        @Override
        public void close() {
            synchronized (own) {
                listeners.removeAll(own);
                own.clear();
            }
            kill(self);
        }

        @Override
        public String toString() {
            return "InMemoryCluster.Member[" + self + "]";
        }
    }
}
