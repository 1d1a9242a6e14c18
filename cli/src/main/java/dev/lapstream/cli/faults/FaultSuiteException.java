package dev.lapstream.cli.faults;

/** The fault suite could not run to its end: a process died on its own, or the pipeline never recovered. */
public final class FaultSuiteException extends RuntimeException {

    FaultSuiteException(String message) {
        super(message);
    }

    FaultSuiteException(String message, Throwable cause) {
        super(message, cause);
    }
}
