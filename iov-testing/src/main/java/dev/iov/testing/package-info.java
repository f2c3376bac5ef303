/**
 * Test support for iov and for applications that embed it.
 *
 * <p>{@link dev.iov.testing.Privileged @Privileged} marks JUnit 5 tests that need root, executables on
 * {@code PATH} or device nodes. They run when everything is there, are skipped with a reason naming what is
 * missing otherwise, and fail instead of skipping when {@code IOV_REQUIRE_PRIVILEGED_TESTS=1} (as on CI):
 *
 * <pre>{@code
 * @Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
 * class NamespaceLabIT { ... }
 * }</pre>
 *
 * <p>Add the module with test scope; it brings {@code junit-jupiter-api}.
 */
package dev.iov.testing;
