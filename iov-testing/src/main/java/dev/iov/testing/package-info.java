/**
 * Test support for iov and for applications that embed it: the {@code @Privileged} JUnit 5 extension and an
 * in-memory recording backend.
 */
package dev.iov.testing;
