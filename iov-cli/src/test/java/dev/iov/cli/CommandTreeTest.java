package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * The conventions every {@code iov} command keeps, checked over the whole command tree so a new command cannot
 * forget them: a help text with at least one example, examples that parse, {@code --help}, {@code --debug} and, for
 * commands that print data, {@code --json}.
 */
class CommandTreeTest {

    /** The command after "iov " in an example, up to where the shell takes over again. */
    private static final Pattern EXAMPLE = Pattern.compile("(?:^|[\\s(])iov ([^|>)&;]*)");

    @Test
    void everyCommandHasAHelpTextWithAnExampleThatParses() {
        List<String> missing = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (CommandLine command : tree()) {
            String name = command.getCommandSpec().qualifiedName();
            String help = command.getUsageMessage(Ansi.OFF);
            List<String> examples = examples(help);
            if (examples.isEmpty()) {
                missing.add(name);
                continue;
            }
            for (String example : examples) {
                checked.add(example);
                try {
                    Cli.newCommandLine(new IovCommand()).parseArgs(example.trim().split("\\s+"));
                } catch (CommandLine.ParameterException e) {
                    broken.add("'" + name + "': 'iov " + example.trim() + "': " + e.getMessage());
                }
            }
        }
        assertThat(missing).as("commands whose help has no \"Example:\" section with an 'iov ...' line").isEmpty();
        assertThat(broken).as("examples that do not parse").isEmpty();
        assertThat(checked).as("sanity: examples were found").hasSizeGreaterThan(20);
    }

    @Test
    void everyCommandTakesHelpAndDebugAndEveryDataCommandJson() {
        List<String> problems = new ArrayList<>();
        for (CommandLine command : tree()) {
            String name = command.getCommandSpec().qualifiedName();
            Map<String, ?> options = command.getCommandSpec().optionsMap();
            if (!options.containsKey("--help")) {
                problems.add(name + " lacks --help");
            }
            if (!options.containsKey(ErrorHandler.DEBUG_OPTION)) {
                problems.add(name + " lacks --debug");
            }
            if (command.getCommand() instanceof IovSubcommand && !options.containsKey("--json")) {
                problems.add(name + " lacks --json");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theTreeHasTheIssuesCommands() {
        List<String> names = tree().stream().map(c -> c.getCommandSpec().qualifiedName()).toList();
        assertThat(names).contains("iov inventory", "iov link list", "iov switch run", "iov ovs show", "iov sriov list",
                "iov ib list", "iov rss hash", "iov completion");
    }

    @Test
    void aHelpTextWithoutAnExampleIsFound() {
        assertThat(examples("Usage: iov x\nDoes x.\n")).isEmpty();
        assertThat(examples("Usage: iov x\nExample:\n  source <(iov x --json)\n")).containsExactly("x --json");
        assertThat(examples("Examples:\n  iov a b\n  ip netns exec n iov c > f\n")).containsExactly("a b", "c ");
    }

    /** Every command below {@code iov}, and {@code iov} itself, except picocli's {@code help}. */
    private static List<CommandLine> tree() {
        List<CommandLine> all = new ArrayList<>();
        collect(Cli.newCommandLine(new IovCommand()), all);
        return all;
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        if (command.getCommandName().equals("help")) {
            return;
        }
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    /** The {@code iov ...} commands in the lines after an "Example:" or "Examples:" line, without shell comments. */
    private static List<String> examples(String help) {
        List<String> examples = new ArrayList<>();
        List<String> lines = Arrays.asList(help.split("\\R"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("Examples?:\\s*")) {
                start = i + 1;
            }
        }
        if (start < 0) {
            return examples;
        }
        for (int i = start; i < lines.size() && !lines.get(i).isBlank(); i++) {
            Matcher m = EXAMPLE.matcher(lines.get(i));
            if (!m.find()) {
                // picocli wrapped a line longer than the usage width: the rest of the example lost its "iov".
                throw new AssertionError("example wraps (keep it under 80 columns): '" + lines.get(i - 1) + "' / '"
                        + lines.get(i) + "'");
            }
            examples.add(m.group(1).replaceFirst("\\s+#.*$", "")); // a shell comment explains, it is not an argument
        }
        return examples;
    }
}
