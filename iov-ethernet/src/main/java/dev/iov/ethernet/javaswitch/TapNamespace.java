package dev.iov.ethernet.javaswitch;

import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.Rtnetlink;
import java.util.Objects;
import java.util.Optional;

/**
 * The network namespace a vNIC's TAP lives in, as the backend holds it: the backend's own, one a
 * {@link TapPlacement} handed over (its caller keeps it open and closes it), or one the backend opened itself by the
 * name an attachment recorded, after a restart (the backend closes it when the port goes).
 *
 * @param handle the namespace, empty for the backend's own
 * @param opened whether the backend opened the handle and so must {@link #release} it
 */
record TapNamespace(Optional<NetworkNamespace> handle, boolean opened) {

    /** The backend's own namespace: that of the thread that calls it. */
    static final TapNamespace OWN = new TapNamespace(Optional.empty(), false);

    TapNamespace {
        Objects.requireNonNull(handle, "handle");
    }

    /**
     * @param placed what a {@link TapPlacement} returned
     * @return that namespace, owned by whoever placed it
     */
    static TapNamespace placed(Optional<NetworkNamespace> placed) {
        return new TapNamespace(placed, false);
    }

    /**
     * Opens the namespace an attachment recorded ({@link #name()}), without taking it over: it is never deleted.
     *
     * @param name a namespace name; empty for the backend's own
     * @return the namespace, to be {@linkplain #release released}
     * @throws dev.iov.linux.NoSuchDeviceException when there is no namespace of that name
     * @throws IllegalArgumentException when the name cannot be a namespace's
     */
    static TapNamespace open(String name) {
        return name.isEmpty() ? OWN : new TapNamespace(Optional.of(NetworkNamespace.open(name)), true);
    }

    /** @return the namespace's name as attachments record it: empty for the backend's own */
    String name() {
        return handle.map(NetworkNamespace::name).orElse("");
    }

    /** @return rtnetlink operations in this namespace; the caller closes them */
    Rtnetlink rtnetlink() {
        return handle.isPresent() ? Rtnetlink.open(handle.get()) : Rtnetlink.open();
    }

    /** Closes the handle if the backend opened it; the namespace itself stays. */
    void release() {
        if (opened) {
            handle.get().close();
        }
    }

    /** @return the namespace in messages: {@code namespace iov-vm1} or {@code the backend's namespace} */
    String describe() {
        return handle.map(ns -> "namespace " + ns.name()).orElse("the backend's namespace");
    }
}
