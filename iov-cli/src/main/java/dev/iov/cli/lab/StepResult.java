package dev.iov.cli.lab;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one step of the scenario found.
 *
 * @param step the step's short name ({@code ping-intra}, {@code migrate}...)
 * @param title what the step does, for people
 * @param ok whether it showed what it should
 * @param detail one line of outcome, for the progress line and the summary table
 * @param lines more lines for people (tables), printed under the progress line
 * @param data the outcome for JSON: a map of strings, numbers, booleans, lists and maps
 */
public record StepResult(String step, String title, boolean ok, String detail, List<String> lines,
        Map<String, Object> data) {

    /**
     * @param step the step's short name
     * @param title what it does
     * @param ok whether it succeeded
     * @param detail its outcome
     * @param lines more lines
     * @param data its outcome for JSON
     */
    public StepResult {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        lines = List.copyOf(lines);
        data = Map.copyOf(data);
    }

    /**
     * @param step the step's short name
     * @param title what it does
     * @param failure why it could not run
     * @return a failed step
     */
    static StepResult failed(String step, String title, Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName()
                : failure.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        return new StepResult(step, title, false, "error: " + message, List.of(), Map.of("error", message));
    }
}
