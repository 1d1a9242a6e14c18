package dev.lapstream.cli.faults;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one fault-suite run: each fault with the frames in flight when it hit and how long until
 * every stream was committing again, and each stream's output against the uninterrupted reference.
 *
 * @param failure why the run stopped early (a process died on its own, a stream never recovered), or null
 */
record FaultReport(String setup, List<FaultResult> faults, List<StreamResult> streams, Duration elapsed,
                   String failure) {

    /**
     * @param inFlight frames published but not yet committed when the fault hit
     * @param recovery from the fault until every stream committed a frame sent after it (a sink fault: until the
     *                 restarted sink had written as many frames as the killed one); null when that never happened
     */
    record FaultResult(int number, KillSchedule.Kind kind, String target, long inFlight, Duration recovery) {
    }

    /**
     * One stream's output. {@code committed*}: the frames on the upscaled topic (read_committed); {@code file*}:
     * the frames the sink's output file decodes to; {@code *Matching}: frames whose timestamp and pixel hash equal
     * the reference run's frame of the same index; {@code fileFrames} is -1 when the file does not decode.
     */
    record StreamResult(String stream, long expected, long committed, long lost, long duplicated, boolean inOrder,
                        long committedMatching, long fileFrames, boolean fileInOrder, long fileMatching,
                        int sinkExit) {

        boolean clean() {
            return lost == 0 && duplicated == 0 && inOrder && committedMatching == expected && fileFrames == expected
                    && fileInOrder && fileMatching == expected && sinkExit == 0;
        }
    }

    FaultReport {
        faults = List.copyOf(faults);
        streams = List.copyOf(streams);
    }

    long survived(KillSchedule.Kind kind) {
        return faults.stream().filter(f -> f.kind() == kind && f.recovery() != null).count();
    }

    long lost() {
        return streams.stream().mapToLong(StreamResult::lost).sum();
    }

    long duplicated() {
        return streams.stream().mapToLong(StreamResult::duplicated).sum();
    }

    boolean passed() {
        return failure == null && faults.stream().allMatch(f -> f.recovery() != null)
                && !streams.isEmpty() && streams.stream().allMatch(StreamResult::clean);
    }

    void print(PrintStream out) {
        out.println("fault suite: " + setup);
        out.println();
        out.printf(Locale.ROOT, "%3s  %-15s %-13s %9s %10s%n", "#", "fault", "target", "in flight", "recovery");
        for (FaultResult f : faults) {
            out.printf(Locale.ROOT, "%3d  %-15s %-13s %9d %10s%n", f.number(), f.kind().label, f.target(),
                    f.inFlight(), f.recovery() == null ? "NEVER" : seconds(f.recovery()));
        }
        out.println();
        out.printf(Locale.ROOT, "%-8s %6s %9s %5s %10s %8s %9s %6s %9s %9s%n", "stream", "frames", "committed",
                "lost", "duplicated", "in order", "= ref", "file", "file = ref", "sink exit");
        for (StreamResult s : streams) {
            out.printf(Locale.ROOT, "%-8s %6d %9d %5d %10d %8s %9s %6s %9s %9d%n", s.stream(), s.expected(),
                    s.committed(), s.lost(), s.duplicated(), s.inOrder() && s.fileInOrder() ? "yes" : "NO",
                    s.committedMatching() + "/" + s.expected(), s.fileFrames() < 0 ? "BROKEN" : s.fileFrames(),
                    s.fileMatching() + "/" + s.expected(), s.sinkExit());
        }
        out.println();
        long workerKills = faults.stream().filter(f -> f.kind() == KillSchedule.Kind.WORKER).count();
        out.printf(Locale.ROOT, "kills survived: %d/%d worker SIGKILLs, %d/%d sink SIGKILLs, %d/%d broker restarts%n",
                survived(KillSchedule.Kind.WORKER), workerKills, survived(KillSchedule.Kind.SINK),
                count(KillSchedule.Kind.SINK), survived(KillSchedule.Kind.BROKER), count(KillSchedule.Kind.BROKER));
        List<Duration> workerRecovery = faults.stream()
                .filter(f -> f.kind() == KillSchedule.Kind.WORKER && f.recovery() != null)
                .map(FaultResult::recovery).sorted().toList();
        if (!workerRecovery.isEmpty()) {
            out.printf(Locale.ROOT, "worker-kill recovery: min %s, median %s, max %s%n",
                    seconds(workerRecovery.get(0)), seconds(workerRecovery.get(workerRecovery.size() / 2)),
                    seconds(workerRecovery.get(workerRecovery.size() - 1)));
        }
        out.printf(Locale.ROOT, "frames lost: %d, duplicated: %d; run took %s%n", lost(), duplicated(),
                seconds(elapsed));
        if (failure != null) {
            out.println("stopped early: " + failure);
        }
        out.println(passed() ? "PASS: every output has every frame once, in order, identical to the reference run"
                : "FAIL");
    }

    private long count(KillSchedule.Kind kind) {
        return faults.stream().filter(f -> f.kind() == kind).count();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
