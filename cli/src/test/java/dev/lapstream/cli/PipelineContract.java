package dev.lapstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * End-to-end behaviour of {@code lapstream upscale} against a broker given by the subclass (embedded KRaft
 * here; a Testcontainers broker where Docker exists): the output keeps every frame, its timestamps, the
 * duration and the audio.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
abstract class PipelineContract {

    abstract String bootstrap();

    @TempDir
    Path dir;

    @Test
    void upscaledClipKeepsFramesTimestampsDurationAndAudio() {
        Path in = Clips.write(dir.resolve("in.mp4"), 64, 48, 10, 20, 16000);
        Path out = dir.resolve("out.mp4");

        int exit = Lapstream.commandLine().execute("upscale", in.toString(), "--scale", "2.5", "-o", out.toString(),
                "--bootstrap", bootstrap(), "--no-progress", "--upscaler", "bicubic", "--topic-prefix", "contract-sym");

        assertThat(exit).isZero();
        Clips.Decoded input = Clips.decode(in);
        Clips.Decoded output = Clips.decode(out);
        assertThat(output.width()).isEqualTo(160);
        assertThat(output.height()).isEqualTo(120);
        assertThat(output.pts()).hasSize(input.pts().size()).hasSize(20).isSorted().doesNotHaveDuplicates();
        double frame = 1e6 / input.frameRate();
        double inDuration = input.pts().get(input.pts().size() - 1) + frame;
        double outDuration = output.pts().get(output.pts().size() - 1) + frame;
        assertThat(outDuration).isCloseTo(inDuration, within(frame));
        assertThat(output.audioRate()).isEqualTo(16000);
        // same audio length as the input, to within one video frame
        assertThat((double) output.audioSamples()).isCloseTo(input.audioSamples(), within(16000 / input.frameRate()));
    }

    @Test
    void changingFrameRateKeepsEveryFramesTime() {
        long[] pts = Clips.fiveThenThirtyFps();
        Path in = Clips.writeTimed(dir.resolve("vfr.mp4"), 64, 48, pts, 30);
        Path out = dir.resolve("vfr-x2.mp4");

        int exit = Lapstream.commandLine().execute("upscale", in.toString(), "--scale", "2", "-o", out.toString(),
                "--bootstrap", bootstrap(), "--no-progress", "--upscaler", "bicubic", "--topic-prefix", "contract-vfr");

        assertThat(exit).isZero();
        Clips.Decoded input = Clips.decode(in);
        Clips.Decoded output = Clips.decode(out);
        assertThat(output.pts()).hasSize(pts.length);
        for (int i = 0; i < pts.length; i++) {
            assertThat(output.pts().get(i)).as("frame %d of %s", i, output.pts()).isCloseTo(pts[i], within(12L));
        }
        double frame = 1e6 / input.frameRate();
        assertThat((double) output.durationMicros()).isCloseTo(input.durationMicros(), within(frame));
    }

    @Test
    void asymmetricTargetSize() {
        Path in = Clips.write(dir.resolve("in43.mp4"), 64, 48, 12, 6, 0);
        Path out = dir.resolve("out169.mp4");

        int exit = Lapstream.commandLine().execute("upscale", in.toString(), "--size", "128x72", "-o", out.toString(),
                "--bootstrap", bootstrap(), "--no-progress", "--upscaler", "bicubic", "--topic-prefix", "contract-asym");

        assertThat(exit).isZero();
        Clips.Decoded output = Clips.decode(out);
        assertThat(output.width()).isEqualTo(128);
        assertThat(output.height()).isEqualTo(72);
        assertThat(output.pts()).hasSize(6).isSorted();
        assertThat(output.audioSamples()).isZero();
    }
}
