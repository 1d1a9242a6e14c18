package dev.lapstream.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM for a command that writes a file: the JVM's shutdown hook asks the command's parts
 * to stop, then holds the JVM until the command has closed its output (an MP4 without its index does not play)
 * and removed its temporary directories. The JVM then exits with 128 + the signal's number.
 */
final class GracefulStop implements AutoCloseable {

    /** Longest the hook holds the JVM: a worker closes in up to 30 s, the broker in a few. */
    private static final long MAX_WAIT_SECONDS = 60;
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook = new Thread(this::stop, "lapstream-stop");
    private volatile boolean requested;

    GracefulStop() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Runs {@code action} when a stop is requested, or now if one already was. */
    void onStop(Runnable action) {
        actions.add(action);
        if (requested) {
            action.run();
        }
    }

    boolean requested() {
        return requested;
    }

    private void stop() {
        requested = true;
        actions.forEach(Runnable::run);
        try {
            closed.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done and its resources are closed: let the JVM go. */
    @Override
    public void close() {
        closed.countDown();
        if (!requested) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutdown began after the check: the hook runs and returns at once
            }
        }
    }
}
