/**
 * {@code iov lab}: a small virtual I/O fabric built on this machine and exercised end to end.
 *
 * <p>{@link dev.iov.cli.lab.LabCommand} is the thin picocli command. {@link dev.iov.cli.lab.LabPlan} decides names,
 * hosts and addresses; a {@link dev.iov.cli.lab.LabPlane} is the data plane the VMs live on (network namespaces on
 * {@code java-switch} backends joined through a kernel bridge, or the in-process switch with generated frames);
 * {@link dev.iov.cli.lab.LabFabric} provisions everything through the public {@link dev.iov.api.fabric.Fabric} API;
 * {@link dev.iov.cli.lab.LabScenario} runs the steps; a {@link dev.iov.cli.lab.LabReporter} prints them as text or
 * JSON lines; {@link dev.iov.cli.lab.LabTeardown} removes everything, also from a shutdown hook.
 *
 * <p>The lab runs as root: {@code LabFiles} never writes through a name another user could have planted (fresh
 * private directories, {@code O_EXCL}/{@code O_NOFOLLOW}, owner checks on what is reused), {@code LabLock} lets one
 * kernel lab run at a time, and {@code NamespaceProcesses} ends whatever still runs in a lab namespace before it is
 * deleted.
 */
package dev.iov.cli.lab;
