package dev.lapstream.cli.faults;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code lapstream faults}: the fault suite, with its figures as tables; exit 0 only when nothing was lost. */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Run the fault suite on an embedded broker: SIGKILL a worker --kills times at random moments"
                + " (two or more worker processes, two or more streams), then SIGKILL a sink, then restart the"
                + " broker mid-stream; then check that every output has every frame exactly once, in order,"
                + " decodable and identical (per-frame hashes) to an uninterrupted run. Exit 1 when it does not.")
public final class FaultsCommand implements Callable<Integer> {

    @Option(names = "--kills", defaultValue = "10", description = "Worker SIGKILLs (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--workers", defaultValue = "2", description = "Worker processes (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--streams", defaultValue = "2", description = "Streams (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--frames", defaultValue = "40", description = "Frames per stream (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--size", defaultValue = "64x48", paramLabel = "WxH",
            description = "Input frame size; the output is twice that (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--seed", description = "Seed of the kill schedule, to repeat a run (default: random, printed).")
    Long seed;

    @Option(names = "--frame-interval", defaultValue = "200", paramLabel = "MS",
            description = "Milliseconds between a stream's frames during the faults (default: ${DEFAULT-VALUE}).")
    int frameIntervalMs;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Longest wait for any one step: a start, a recovery, the streams' end (default:"
                    + " ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "A new or empty directory for the run's input, outputs, broker log and process logs,"
                    + " kept (default: a temporary directory, removed after a passing run).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        if (wh.length != 2 || !wh[0].matches("\\d+") || !wh[1].matches("\\d+")) {
            throw new IllegalArgumentException("--size must be WxH, got '" + size + "'");
        }
        if (frameIntervalMs < 0 || timeoutSeconds < 1) {
            throw new IllegalArgumentException("--frame-interval must not be negative and --timeout must be positive");
        }
        long runSeed = seed != null ? seed : new Random().nextInt(1_000_000);
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    // an earlier run's broker log would be reused, and its frames read as this run's
                    throw new IllegalArgumentException("--dir " + dir + " is not empty; give a new or empty directory");
                }
            }
        }
        FaultSuite.Options options = new FaultSuite.Options(workers, streams, frames, Integer.parseInt(wh[0]),
                Integer.parseInt(wh[1]), kills, runSeed, Duration.ofMillis(frameIntervalMs),
                Duration.ofSeconds(timeoutSeconds));
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("lapstream-faults-");
        FaultReport report;
        try {
            report = new FaultSuite(work, options, line -> System.err.println("faults: " + line)).run();
        } catch (RuntimeException e) {
            System.err.println("faults: input, outputs and process logs: " + work);
            throw e;
        }
        report.print(System.out);
        if (report.passed() && dir == null) {
            deleteTree(work);
        } else {
            System.out.println("input, outputs and process logs: " + work);
        }
        return report.passed() ? 0 : 1;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
