package dev.lapstream.cli.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite's own parts, without a cluster: the schedule repeats from its seed, and the verifier sees faults. */
class FaultCheckTest {

    @TempDir
    Path dir;

    @Test
    void sameSeedSameScheduleWorkerKillsThenSinkThenBroker() {
        KillSchedule a = KillSchedule.draw(7, 10, 2, 2);
        assertThat(KillSchedule.draw(7, 10, 2, 2)).isEqualTo(a);
        assertThat(KillSchedule.draw(8, 10, 2, 2)).isNotEqualTo(a);
        assertThat(a.faults()).hasSize(12).extracting(KillSchedule.Fault::kind).containsSubsequence(
                KillSchedule.Kind.WORKER, KillSchedule.Kind.SINK, KillSchedule.Kind.BROKER);
        assertThat(a.faults().subList(0, 10)).allMatch(f -> f.kind() == KillSchedule.Kind.WORKER)
                .extracting(KillSchedule.Fault::target).contains(0, 1);
        assertThat(a.faults()).allMatch(f -> f.moment() >= 0 && f.moment() < 1);
    }

    @Test
    void verifierCountsLostDuplicatedReorderedAndChangedFrames() {
        List<CommittedFrames.Frame> reference = List.of(frame(0, "a"), frame(1, "b"), frame(2, "c"), frame(3, "d"));
        // frame 1 twice, frame 3 missing, frame 2 with other pixels, and 0 after 1
        List<CommittedFrames.Frame> got = List.of(frame(1, "b"), frame(0, "a"), frame(1, "b"), frame(2, "x"));

        FaultReport.StreamResult r = FrameVerifier.verify("cam-0", 4, got, reference, dir.resolve("missing.mp4"),
                List.of(), 0);

        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.duplicated()).isEqualTo(1);
        assertThat(r.inOrder()).isFalse();
        assertThat(r.committedMatching()).isEqualTo(2);
        assertThat(r.fileFrames()).as("an output that does not decode").isEqualTo(-1);
        assertThat(r.clean()).isFalse();
    }

    private static CommittedFrames.Frame frame(long index, String hash) {
        return new CommittedFrames.Frame(index, index * 100_000, hash, 0);
    }
}
