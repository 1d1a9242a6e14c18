package dev.lapstream.bench;

import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.InferenceGraph;
import dev.lapstream.model.Weights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark runs end to end on a tiny random-weight model and prints every figure (timings are not judged). */
class PipelineBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void printsEveryFigure() throws Exception {
        AsdnConfig tiny = new AsdnConfig("asdn-lr", 8, 4, 1, 2, 4, 2, 4, 11, 4, new int[]{4, 8});
        Path model = dir.resolve("tiny");
        InferenceGraph.export(tiny, Weights.random(tiny, 1), model);
        Path sample = Path.of(System.getProperty("lapstream.root", "..")).resolve("samples/vtest-192x144.mp4");
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        PipelineBenchmark.Report report = new PipelineBenchmark(new PipelineBenchmark.Options(model, sample, 3, 2, 0,
                Duration.ofSeconds(3), 20, 6, 2, ClientConfig.of(null), 2),
                new PrintStream(text, true, StandardCharsets.UTF_8)).run();

        assertThat(report.rows()).extracting(PipelineBenchmark.Row::method).containsExactly("bicubic", "asdn", "asdn");
        assertThat(report.rows()).allSatisfy(r -> assertThat(r.fps()).isPositive().isFinite());
        assertThat(report.matMulGflops()).isPositive();
        assertThat(report.convGflops()).isPositive();
        assertThat(report.kafkaFps()).isPositive();
        assertThat(report.batches().batchFps()).isPositive().isFinite();
        assertThat(report.modelFps()).isPositive();
        assertThat(report.control()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.width()).isIn(4, 8));
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("MatMul peak", "3x3 convolution",
                "3x3 convolutions c -> c", "6 frames through Kafka", "2 alternating rounds", "controller",
                "resident memory after a full GC over 20 frames", "oneDNN kernels", "model alone, batch 1 vs 2");
    }
}
