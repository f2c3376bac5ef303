/**
 * The embedded software switch: {@link dev.iov.ethernet.switching.SoftwareSwitch} forwards batches of frames between
 * ports with OVS's VLAN modes ({@link dev.iov.ethernet.switching.VlanMode}), MAC learning
 * ({@link dev.iov.ethernet.switching.MacLearningTable}, keyed by VLAN and MAC, with aging and fair eviction), port
 * security, ingress policing and mirrors to a port or a pcap file; per-port counters count every drop by reason.
 * {@link dev.iov.ethernet.switching.EmbeddedSwitch} runs it in memory for tests.
 *
 * <p>Everything here is driven by a single writer, the switch's forwarding thread, and allocates nothing per frame:
 * time is passed in by the caller (one {@code nowNanos} per batch), never read from a clock per frame.
 */
package dev.iov.ethernet.switching;
