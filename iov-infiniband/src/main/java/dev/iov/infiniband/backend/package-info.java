/**
 * The {@code infiniband} backend: a vNIC is an SR-IOV virtual function of an InfiniBand HCA whose port GUID iov
 * assigns and whose partition membership the subnet manager holds.
 * {@link dev.iov.infiniband.backend.InfinibandBackend} runs attach and detach as undoable steps,
 * {@link dev.iov.infiniband.backend.VfGuidWriter} is the one seam to the HCA (rtnetlink, or the mlx5 sysfs files of
 * NVIDIA's out-of-tree driver), {@link dev.iov.infiniband.backend.IbLease} is what the backend remembers of each vNIC
 * — rebuilt after a restart from the fabric's records of its attachments, and mirrored in an optional
 * {@link dev.iov.api.store.StateStore} — and
 * {@link dev.iov.infiniband.backend.InfinibandBackendProvider} makes the backend from settings.
 */
package dev.iov.infiniband.backend;
