package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The default upscaler, the shipped ASDN model, through the whole pipeline on a tiny clip at an odd scale. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AsdnPipelineTest {

    @TempDir
    Path dir;

    @Test
    void shippedModelUpscalesThroughKafka() {
        assumeTrue(Files.isDirectory(UpscalerChoice.defaultModel()), "no shipped model at " + UpscalerChoice.defaultModel());
        Path in = Clips.write(dir.resolve("in.mp4"), 40, 30, 10, 4, 0);
        Path out = dir.resolve("out.mp4");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            int exit = Lapstream.commandLine().execute("upscale", in.toString(), "--scale", "1.7", "-o", out.toString(),
                    "--bootstrap", kafka.bootstrapServers(), "--no-progress", "--topic-prefix", "asdn-e2e");
            assertThat(exit).isZero();
        }
        Clips.Decoded output = Clips.decode(out);
        assertThat(output.pts()).hasSize(4).isSorted();
        assertThat(output.width()).isEqualTo(68);
        assertThat(output.height()).isEqualTo(52); // 51 rounded up to even by the H.264 encoder
    }
}
