package io.github.flinkconfluent.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it, instead of sleeping for a guessed time.
 *
 * <p>Tests and service launchers use it to wait for "ready", "gone" or "all records arrived"; the
 * failure message says what was awaited and for how long.
 */
public final class Poll {

    private static final long PAUSE_MILLIS = 50;

    private Poll() {}

    /** Polls until {@code condition} holds; throws {@link AssertionError} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Polls until {@code condition} holds; on timeout the error carries {@code details}, evaluated
     * once at that point (e.g. the tail of a log file).
     */
    public static void until(
            String what, Duration timeout, BooleanSupplier condition, Supplier<String> details) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                String extra = details.get();
                throw new AssertionError(
                        "Timed out after "
                                + timeout.toMillis()
                                + " ms waiting for "
                                + what
                                + (extra.isEmpty() ? "" : "\n" + extra));
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + what, e);
            }
        }
    }
}
