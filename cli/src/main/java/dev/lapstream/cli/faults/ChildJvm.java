package dev.lapstream.cli.faults;

import dev.lapstream.cli.Lapstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@code lapstream} command in a JVM of its own, so it can be killed with SIGKILL like a crashed pod. Its
 * output goes to a log file; the first line containing each of the given markers is kept, so callers can wait
 * for "running" or read the metrics address.
 */
public final class ChildJvm {

    private static final int TAIL_LINES = 30;

    private final String name;
    private final Process process;
    private final Path log;
    private final List<String> markers;
    private final Map<String, String> marked = new ConcurrentHashMap<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile boolean killed;

    private ChildJvm(String name, Process process, Path log, List<String> markers) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.markers = markers;
    }

    /** The fault suite's small JVMs: quick to start, many of them on two cores. */
    static ChildJvm start(String name, List<String> args, Path log, Path tmp, List<String> markers) {
        return start(name, List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args, log, tmp,
                markers);
    }

    /**
     * Starts {@code lapstream ARGS} on this JVM's class path with {@code jvmOptions}. Its temporary files (a
     * worker's state directory, which a SIGKILL leaves behind) go to {@code tmp}.
     */
    public static ChildJvm start(String name, List<String> jvmOptions, List<String> args, Path log, Path tmp,
                                 List<String> markers) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"));
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            command.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Lapstream.class.getName()));
        command.addAll(args);
        try {
            Files.createDirectories(tmp);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            ChildJvm child = new ChildJvm(name, process, log, markers);
            Thread reader = new Thread(child::copyOutput, "faults-" + name + "-output");
            reader.setDaemon(true);
            reader.start();
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(line);
                out.flush();
                for (String marker : markers) {
                    if (line.contains(marker)) {
                        marked.putIfAbsent(marker, line);
                    }
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed mid-line, or the log became unwritable: nothing left to copy
        }
    }

    String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The first output line containing {@code marker} (one of those given at start), if it came yet. */
    public Optional<String> line(String marker) {
        return Optional.ofNullable(marked.get(marker));
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Fails when the process ended although nobody killed it, with the end of its output. */
    void checkNotDied() {
        if (!killed && !process.isAlive() && process.exitValue() != 0) {
            throw new FaultSuiteException(name + " (pid " + pid() + ") exited with " + process.exitValue()
                    + " on its own; its last output (" + log + "):\n" + tail());
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        killed = true;
        process.destroyForcibly();
        waitGone();
    }

    /** SIGTERM (a clean stop), then SIGKILL if it does not end within 30 s. */
    public void stop() {
        killed = true;
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                waitGone();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void waitGone() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultSuiteException("interrupted while killing " + name);
        }
    }

    public String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    public Path log() {
        return log;
    }
}
