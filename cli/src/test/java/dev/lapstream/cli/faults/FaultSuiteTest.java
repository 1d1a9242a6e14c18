package dev.lapstream.cli.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite at CI size: ten worker SIGKILLs across two workers and two streams, a sink SIGKILL and a broker
 * restart, all mid-stream; every output must still hold every frame once, in order, equal to the reference run.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FaultSuiteTest {

    @TempDir
    Path dir;

    @Test
    void everyFrameOnceInOrderAndIdenticalAfterKillsAndABrokerRestart() {
        FaultReport report = new FaultSuite(dir, FaultSuite.Options.small(22), line -> { }).run();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String table = printed.toString(StandardCharsets.UTF_8);
        System.out.println(table);

        assertThat(report.failure()).as(table).isNull();
        assertThat(report.survived(KillSchedule.Kind.WORKER)).as(table).isEqualTo(10);
        assertThat(report.survived(KillSchedule.Kind.SINK)).as(table).isEqualTo(1);
        assertThat(report.survived(KillSchedule.Kind.BROKER)).as(table).isEqualTo(1);
        assertThat(report.streams()).hasSize(2);
        for (FaultReport.StreamResult s : report.streams()) {
            assertThat(s.committed()).as("committed frames of %s\n%s", s.stream(), table).isEqualTo(40);
            assertThat(s.lost()).as("lost in %s", s.stream()).isZero();
            assertThat(s.duplicated()).as("duplicated in %s", s.stream()).isZero();
            assertThat(s.inOrder()).as("%s committed in order", s.stream()).isTrue();
            assertThat(s.committedMatching()).as("committed frames of %s equal to the reference", s.stream())
                    .isEqualTo(40);
            assertThat(s.fileFrames()).as("frames %s's file decodes to", s.stream()).isEqualTo(40);
            assertThat(s.fileInOrder()).as("%s's file in order", s.stream()).isTrue();
            assertThat(s.fileMatching()).as("decoded frames of %s equal to the reference file", s.stream())
                    .isEqualTo(40);
            assertThat(s.sinkExit()).as("exit code of %s's sink", s.stream()).isZero();
        }
        assertThat(report.passed()).as(table).isTrue();
        assertThat(table).contains("kills survived: 10/10 worker SIGKILLs, 1/1 sink SIGKILLs, 1/1 broker restarts")
                .contains("frames lost: 0, duplicated: 0");
    }
}
