package dev.lapstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lapstream.ingest.VideoSource;
import dev.lapstream.sink.VideoWriter;
import dev.lapstream.sink.VideoWriterOptions;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 22: frames keep their own presentation times from the decoder to the encoder. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VariableFrameRateTest {

    @TempDir
    Path dir;

    /** Name, frame times in microseconds and the clock they lie on. */
    static Stream<Arguments> clips() {
        Random random = new Random(22);
        long[] irregular = new long[30];
        for (int i = 1; i < irregular.length; i++) {
            irregular[i] = irregular[i - 1] + 1_000L * (15 + random.nextInt(135));
        }
        long[] constant = new long[25];
        for (int i = 0; i < constant.length; i++) {
            constant[i] = i * 40_000L;
        }
        return Stream.of(Arguments.of("changing", Clips.fiveThenThirtyFps(), 30),
                Arguments.of("irregular", irregular, 1000),
                Arguments.of("constant", constant, 25));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void decodedAndEncodedFramesKeepTheirTimes(String name, long[] pts, int clock) {
        Path in = Clips.writeTimed(dir.resolve(name + ".mp4"), 64, 48, pts, clock);
        Path out = dir.resolve(name + "-out.mp4");
        Clips.Decoded input = Clips.decode(in);
        assertThat(input.pts()).hasSize(pts.length);
        for (int i = 0; i < pts.length; i++) {
            assertThat(input.pts().get(i)).as("decoded frame %d", i).isCloseTo(pts[i], within(1L));
        }

        try (VideoSource source = VideoSource.open(in);
             VideoWriter writer = new VideoWriter(out, VideoWriterOptions.forStream(source.info(), 64, 48))) {
            source.forEach(writer::write, audio -> { });
        }

        Clips.Decoded output = Clips.decode(out);
        assertThat(output.pts()).hasSize(pts.length);
        for (int i = 0; i < pts.length; i++) {
            assertThat(output.pts().get(i)).as("encoded frame %d of %s", i, output.pts())
                    .isCloseTo(pts[i], within(12L)); // one tick of the 90 kHz clock
        }
        double frame = 1e6 / input.frameRate();
        assertThat((double) output.durationMicros()).as("duration").isCloseTo(input.durationMicros(), within(frame));
    }
}
