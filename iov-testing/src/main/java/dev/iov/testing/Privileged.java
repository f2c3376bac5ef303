package dev.iov.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test class or test method that needs root and, optionally, executables on {@code PATH} and
 * device nodes (network namespaces, TAP devices, {@code ovsdb-server}, ...).
 *
 * <p>When the test process runs as root (effective uid 0) and every listed tool and device is present, the test
 * runs. Otherwise it is <em>skipped</em> with a reason that names what is missing, for example
 * {@code needs root (uid 1000); set IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a failure} or
 * {@code needs tool 'ovsdb-server' on PATH; ...}. When the environment variable
 * {@value PrivilegedCondition#REQUIRE_ENV} is {@code 1} (CI sets it), a missing requirement is a test
 * <em>failure</em> instead, so a CI machine that silently lost root or a package cannot turn the privileged
 * suite into a row of skips.
 *
 * <pre>{@code
 * @Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
 * class TapIT {
 *     @Test
 *     void opensTap() { ... }
 *
 *     @Test
 *     @Privileged(tools = "ovsdb-server")   // adds to the class-level requirements for this test only
 *     void talksToOvsdb() { ... }
 * }
 * }</pre>
 *
 * <p>On a class, the requirements are checked once before the class's {@code @BeforeAll} methods (so fixtures
 * that create namespaces never run without root); in failure mode the whole class is reported as failed. On a
 * method, they are checked for that method only, before its {@code @BeforeEach} methods. The annotation can also
 * be used as a meta-annotation on your own composed annotations and is inherited by subclasses.
 *
 * @see PrivilegedCondition
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PrivilegedCondition.class)
public @interface Privileged {

    /**
     * Executables that must be found on {@code PATH} (as regular, executable files), for example {@code "ip"} or
     * {@code "ovsdb-server"}. A name containing {@code /} is taken as a path.
     *
     * @return the required executables; empty by default
     */
    String[] tools() default {};

    /**
     * Paths that must exist, for example {@code "/dev/net/tun"}.
     *
     * @return the required device nodes or files; empty by default
     */
    String[] devices() default {};
}
