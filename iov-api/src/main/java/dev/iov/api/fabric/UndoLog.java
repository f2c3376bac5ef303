package dev.iov.api.fabric;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo half of a multi-step operation: each step that changed something pushes how to take it back; on failure
 * the steps are undone newest first.
 *
 * <p>An undo that itself fails is attached to the original failure as suppressed and reported. The older undos then
 * still run if they were pushed with {@link #pushAlways} (bookkeeping that must be cleared whatever happened), and
 * are skipped if pushed with {@link #push}: a port that could not be detached still holds its MAC address, so the
 * address must not go back to the pool.
 */
final class UndoLog {
    private static final Logger LOG = LoggerFactory.getLogger(UndoLog.class);

    private final String operation;
    private final Deque<Step> steps = new ArrayDeque<>();
    /** Set when a step's outcome is unknown: what it may have done is left for resolution, not undone. */
    private boolean inDoubt;

    private record Step(String description, Runnable undo, boolean always) {
    }

    UndoLog(String operation) {
        this.operation = operation;
    }

    /** Records how to undo a step; skipped when a newer step's undo failed. */
    void push(String description, Runnable undo) {
        steps.push(new Step(description, undo, false));
    }

    /** Records how to undo a step that must be undone even when a newer step's undo failed. */
    void pushAlways(String description, Runnable undo) {
        steps.push(new Step(description, undo, true));
    }

    /**
     * Says that the operation stopped at a step whose outcome is unknown (a store write that may or may not have
     * happened): {@link #undoAll} then runs only the steps pushed with {@link #pushAlways}, and leaves what the others
     * did for the operation's resolution, which reads the store to learn how far it got.
     */
    void leaveInDoubt() {
        inDoubt = true;
    }

    /**
     * Undoes every step, newest first.
     *
     * @param cause the failure that stopped the operation; failed undos are added to it as suppressed
     * @param onUndoFailure told about each undo that failed, with its description
     */
    void undoAll(Throwable cause, BiConsumer<String, Throwable> onUndoFailure) {
        boolean anUndoFailed = false;
        while (!steps.isEmpty()) {
            Step step = steps.pop();
            if (inDoubt && !step.always()) {
                LOG.warn("{}: not undoing '{}': the operation's outcome is unknown and resolution decides", operation,
                        step.description());
                continue;
            }
            if (anUndoFailed && !step.always()) {
                LOG.warn("{}: not undoing '{}' because a later step could not be undone", operation,
                        step.description());
                continue;
            }
            try {
                step.undo().run();
            } catch (RuntimeException | Error undoFailure) {
                anUndoFailed = true;
                LOG.error("{}: could not undo '{}' after failure '{}'", operation, step.description(),
                        cause.getMessage(), undoFailure);
                cause.addSuppressed(undoFailure);
                onUndoFailure.accept(step.description(), undoFailure);
            }
        }
    }
}
