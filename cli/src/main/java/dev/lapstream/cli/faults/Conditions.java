package dev.lapstream.cli.faults;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a state of the pipeline by polling it: no wait is ever a guess at how long something takes. */
final class Conditions {

    private static final long POLL_MILLIS = 50;

    private Conditions() {
    }

    /**
     * Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. The condition may
     * throw to end the wait early (a process it depends on died).
     */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new FaultSuiteException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FaultSuiteException("interrupted while waiting for " + what);
            }
        }
    }
}
