/**
 * The {@code iov} command (picocli), and the small framework every {@code iov} command follows.
 *
 * <h2>Running</h2>
 * {@code ./iov ARGS} in the repository (builds the jar when sources changed), or
 * {@code java -jar iov-cli/target/iov-cli-VERSION-all.jar ARGS}. The entry point is {@link dev.iov.cli.IovCommand};
 * {@link dev.iov.cli.Cli} builds the configured picocli command line.
 *
 * <h2>Conventions (implemented once, here)</h2>
 * <ul>
 *   <li><b>Commands</b> extend {@link dev.iov.cli.IovSubcommand}, are listed in {@code IovCommand}'s
 *       {@code subcommands}, return a {@link dev.iov.cli.CommandOutput} from {@code execute()} and never call
 *       {@code System.exit} or write to {@code System.out}/{@code System.err} directly.
 *   <li><b>{@code --json}</b> (every subcommand): stdout receives exactly one JSON document
 *       ({@link dev.iov.cli.CommandOutput#toJson()}, written with Jackson, pretty-printed, newline-terminated) and
 *       nothing else. On an error stdout stays empty; the error goes to stderr as below and the exit code says
 *       what happened. Logs never go to stdout.
 *   <li><b>Exit codes</b> ({@link dev.iov.cli.ExitCodes}): {@code 0} success; {@code 2} the user's input is wrong
 *       (unknown command or option, bad option value, missing parameter, a {@link dev.iov.cli.UserInputException},
 *       or an {@link java.lang.IllegalArgumentException} from the API, whose message quotes the bad value);
 *       {@code 1} any other failure.
 *   <li><b>Errors</b>: one line on stderr, {@code iov: <message>}, naming the bad value; errors in files are
 *       {@code iov: file:line: message} ({@link dev.iov.cli.UserInputException#at}). Command-line errors add
 *       {@code (see 'iov CMD --help')}. No stack trace, except that with {@code --debug} a failure raised while a
 *       command runs is followed by its stack trace.
 *   <li><b>{@code --debug}</b> (global, accepted before or after the command name): slf4j-simple logs at
 *       {@code debug} instead of {@code warn}, and failures print stack traces. Logging goes to stderr; it is
 *       configured from the raw arguments before the first logger exists, so loggers may be static fields.
 *       {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} also works.
 *   <li><b>{@code --help}</b>, {@code --version} on every command; {@code iov help CMD} too. {@code iov} without a
 *       command prints the usage on stderr and exits with 2.
 * </ul>
 *
 * <h2>Commands</h2>
 * <ul>
 *   <li>{@code iov env}: what this machine offers for iov (kernel, root, TAP, network namespaces, tools on
 *       {@code PATH}, SR-IOV and InfiniBand devices). Read-only.
 *   <li>{@code iov link list}: the links of this network namespace, read over rtnetlink. Read-only.
 *   <li>{@code iov rss hash}: the Toeplitz RSS hash of a 2- or 4-tuple and the queue the default RETA picks.
 *   <li>{@code iov sriov} (over iov-sriov and rtnetlink): {@code list} the SR-IOV network PFs and their VFs from
 *       sysfs; {@code vf set} a VF's MAC, VLAN ({@code --vlan 0}: none), rates, spoof checking, trust and link
 *       state in one netlink request, every value checked before it is sent; {@code vf show} the VFs as the kernel
 *       reports them; {@code numvfs PCI N} (N above {@code sriov_totalvfs} is an input error, nothing is written);
 *       {@code bind PCI --driver NAME}, where {@code --driver default} gives the function back to the driver the
 *       kernel picks (no kernel driver is called {@code default}); {@code save}/{@code restore} VF settings to and
 *       from a file ({@code restore} refuses a bad file with {@code file:line:column} and another PF's snapshot,
 *       exit 2, before sending). The sysfs commands take {@code --sysfs-root DIR} (default {@code /sys}); the
 *       netlink ones act in the caller's network namespace. The kernel refusing a setting (e.g. EOPNOTSUPP) exits
 *       1 naming the netdev.
 * </ul>
 */
package dev.iov.cli;
