package dev.iov.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * How a command that runs until it is stopped ({@code iov switch run}, {@code iov lab --hold}) waits for that. The
 * real one waits for SIGINT (Ctrl-C) or SIGTERM and handles them itself instead of letting the JVM exit, so the
 * command can stop cleanly, print its result and exit 0: for these commands the signal is the expected end, not an
 * interruption. Any other command a signal reaches exits with 128 + the signal's number, 130 or 143
 * ({@link ExitCodes}). Tests stop it with {@link #manual()}.
 */
public interface StopSignal {

    /** How often {@link #await} looks at whether the work still runs. */
    long CHECK_MILLIS = 500;

    /**
     * Blocks until the command should stop, or the work it waits on ended by itself.
     *
     * @param running whether the work still runs; looked at every {@value #CHECK_MILLIS} ms
     * @return what stopped it, e.g. {@code SIGINT}, or null when {@code running} became false first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    String await(BooleanSupplier running) throws InterruptedException;

    /**
     * SIGINT or SIGTERM. The handlers are installed when {@link #await} starts and the previous ones restored when it
     * returns. {@code sun.misc.Signal} (module {@code jdk.unsupported}) is the only way to handle a signal in Java
     * without exiting: a shutdown hook runs only once the JVM has decided to exit, with its own exit code.
     *
     * @return the stop signal of the process
     */
    static StopSignal interruptOrTerminate() {
        return running -> {
            CountDownLatch stopped = new CountDownLatch(1);
            String[] which = new String[1];
            SignalHandler handler = signal -> {
                synchronized (which) {
                    if (which[0] == null) {
                        which[0] = "SIG" + signal.getName();
                    }
                }
                stopped.countDown();
            };
            List<Signal> signals = List.of(new Signal("INT"), new Signal("TERM"));
            List<SignalHandler> previous = new ArrayList<>();
            try {
                for (Signal signal : signals) {
                    previous.add(Signal.handle(signal, handler));
                }
                while (!stopped.await(CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (!running.getAsBoolean()) {
                        return null;
                    }
                }
            } finally {
                for (int i = 0; i < previous.size(); i++) {
                    Signal.handle(signals.get(i), previous.get(i));
                }
            }
            synchronized (which) {
                return which[0];
            }
        };
    }

    /** A stop signal a test fires with {@link Manual#stop()}. */
    static Manual manual() {
        return new Manual();
    }

    /** Stops when {@link #stop()} is called (before or during {@link #await}); {@link #awaiting()} says it waits. */
    final class Manual implements StopSignal {
        private final CountDownLatch waiting = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public String await(BooleanSupplier running) throws InterruptedException {
            waiting.countDown();
            while (!stopped.await(CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                if (!running.getAsBoolean()) {
                    return null;
                }
            }
            return "test";
        }

        /** Lets {@link #await} return. */
        void stop() {
            stopped.countDown();
        }

        /** @return counted down once the command waits, i.e. once it is running */
        CountDownLatch awaiting() {
            return waiting;
        }
    }
}
