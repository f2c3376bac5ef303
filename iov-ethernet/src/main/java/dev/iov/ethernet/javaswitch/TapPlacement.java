package dev.iov.ethernet.javaswitch;

import dev.iov.api.spi.AttachRequest;
import dev.iov.linux.NetworkNamespace;
import java.util.Optional;

/**
 * Decides in which network namespace a vNIC's TAP device is created: the explicit hook that lets tests and
 * {@code iov lab} (which run VMs as namespaces) put each VM's NIC inside its VM, while the switch keeps the TAP's
 * descriptor. The TAP's network device is the VM's NIC: the backend gives it the vNIC's MAC address and the
 * network's MTU and brings it up, in that namespace.
 *
 * <p>Called on the attaching thread, once per attach (and by {@code abandon}, to find what an attach cut short may
 * have left); the namespace must stay open until the vNIC is detached (a namespace deleted earlier takes the TAP with
 * it, and the port then counts transmit errors). The attachment records the namespace's name, so that a backend
 * restored after a restart finds the TAP there ({@code NetworkNamespace.open}) whatever its own placement says.
 */
@FunctionalInterface
public interface TapPlacement {

    /** Every TAP in the backend's own namespace, as for a hypervisor that hands the TAP to a VM process. */
    TapPlacement OWN_NAMESPACE = request -> Optional.empty();

    /**
     * @param request the vNIC being attached
     * @return the namespace its TAP goes into, or empty for the backend's own
     */
    Optional<NetworkNamespace> namespaceFor(AttachRequest request);
}
