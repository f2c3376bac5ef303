package dev.iov.testing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Names for the network namespaces tests create: {@code iov-t-} and 8 random hex digits, so parallel test runs do
 * not collide, and a leftover is recognisably a test's (and matches {@code NetworkNamespace}'s required
 * {@code iov-} prefix).
 */
public final class TestNamespaces {

    /** The prefix of every test namespace name. */
    public static final String PREFIX = "iov-t-";

    private TestNamespaces() {
    }

    /** @return a fresh name such as {@code iov-t-3fa81c02} (14 characters) */
    public static String uniqueName() {
        return String.format("%s%08x", PREFIX, ThreadLocalRandom.current().nextInt());
    }
}
