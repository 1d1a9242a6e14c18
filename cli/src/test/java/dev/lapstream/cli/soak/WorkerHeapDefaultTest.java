package dev.lapstream.cli.soak;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak measures the worker with the heap the launcher gives it: the two must not drift apart. */
class WorkerHeapDefaultTest {

    @Test
    void launcherBoundsTheWorkersHeapAsTheSoakDoes() throws IOException {
        String launcher = Files.readString(Path.of("..", "lapstream"));
        assertTrue(launcher.contains("worker) HEAP=" + WorkerSoak.WORKER_HEAP + ";"),
                "the launcher's default for lapstream worker is not " + WorkerSoak.WORKER_HEAP);
        assertTrue(launcher.contains("${LAPSTREAM_JAVA_OPTS:-$HEAP}"), "the launcher does not apply its default heap");
    }
}
