package dev.iov.api.cluster;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Management nodes in one JVM that see each other at once: for tests, and for several fabrics of one process on
 * one store. {@link #join} makes a member; {@link #kill} ends a member's session as a crash would, without the
 * member closing anything.
 *
 * <p>Each membership is one incarnation of its node: once it has left or been killed, closing it again does not touch
 * a later membership that joined under the same id. Listeners are called on the thread that made the change, one
 * change at a time and always with the member set as it is after that change, so a listener's last call carries the
 * current set even when several threads join and leave at once.
 */
public final class InMemoryCluster {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryCluster.class);

    /** Live node id to the membership that holds it; guarded by this. */
    private final Map<String, Member> alive = new TreeMap<>();
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    /** Serialises the listener calls, so that a call with an older set never follows one with a newer set. */
    private final Object delivery = new Object();

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
        Member member = new Member(node);
        synchronized (this) {
            if (alive.putIfAbsent(node, member) != null) {
                throw new IllegalArgumentException("node id '" + node + "' is taken by a live member");
            }
        }
        changed();
        return member;
    }

    /**
     * Ends a node's session as if it had crashed: the others see it gone; its membership object is not told.
     *
     * @param node the node
     */
    public void kill(String node) {
        boolean removed;
        synchronized (this) {
            removed = alive.remove(node) != null;
        }
        if (removed) {
            changed();
        }
    }

    /** @return the live node ids */
    public synchronized Set<String> members() {
        return Collections.unmodifiableSet(new TreeSet<>(alive.keySet()));
    }

    /** Removes {@code member} if it still holds its id (not killed, not replaced by a later incarnation). */
    private void leave(Member member) {
        boolean removed;
        synchronized (this) {
            removed = alive.remove(member.self, member);
        }
        if (removed) {
            changed();
        }
    }

    private void changed() {
        synchronized (delivery) {
            // The listeners first, then the set: a listener subscribed after the set was read must not get it (it
            // may be older than what that listener already read from members()); it gets the next change.
            List<Registration> targets = List.copyOf(listeners);
            Set<String> now = members();
            for (Registration registration : targets) {
                if (!registration.active) {
                    continue;
                }
                try {
                    registration.listener.accept(now);
                } catch (RuntimeException e) {
                    LOG.warn("membership listener {} of {} failed", registration.listener, registration.owner, e);
                }
            }
        }
    }

    /** One call of {@link Membership#subscribe}; the same listener subscribed twice is two registrations. */
    private static final class Registration {
        private final Member owner;
        private final Consumer<Set<String>> listener;
        private volatile boolean active = true;

        Registration(Member owner, Consumer<Set<String>> listener) {
            this.owner = owner;
            this.listener = listener;
        }

        void cancel() {
            active = false;
        }
    }

    private final class Member implements Membership {
        private final String self;
        private volatile boolean closed;

        Member(String self) {
            this.self = self;
        }

        @Override
        public String self() {
            return self;
        }

        @Override
        public Set<String> members() {
            ensureOpen();
            return InMemoryCluster.this.members();
        }

        @Override
        public Subscription subscribe(Consumer<Set<String>> listener) {
            Objects.requireNonNull(listener, "listener");
            Registration registration = new Registration(this, listener);
            synchronized (this) {
                ensureOpen();
                listeners.add(registration);
            }
            return () -> {
                registration.cancel();
                listeners.remove(registration);
            };
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                listeners.removeIf(registration -> {
                    if (registration.owner != this) {
                        return false;
                    }
                    registration.cancel();
                    return true;
                });
            }
            leave(this);
        }

        private void ensureOpen() {
            if (closed) {
                throw new IllegalStateException("membership of node '" + self + "' is closed");
            }
        }

        @Override
        public String toString() {
            return "InMemoryCluster.Member[" + self + (closed ? ", closed" : "") + "]";
        }
    }
}
