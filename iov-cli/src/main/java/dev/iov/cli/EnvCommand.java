package dev.iov.cli;

import picocli.CommandLine.Command;

/** {@code iov env}: what this machine offers for iov. Read-only. */
@Command(
        name = "env",
        description = {
            "Show what this machine offers for iov: kernel release, root, /dev/net/tun, network namespaces, "
                    + "SR-IOV and InfiniBand devices, and the tools iov uses (found on PATH or missing).",
            "Read-only; changes nothing."
        },
        footer = {"", "Examples:", "  iov env", "  iov env --json"})
final class EnvCommand extends IovSubcommand {

    private final EnvProbe probe;

    /** Probes this host; created by picocli. */
    EnvCommand() {
        this(EnvProbe.system());
    }

    /** Probes a fake host (tests). */
    EnvCommand(EnvProbe probe) {
        this.probe = probe;
    }

    @Override
    protected CommandOutput execute() {
        return probe.probe();
    }
}
