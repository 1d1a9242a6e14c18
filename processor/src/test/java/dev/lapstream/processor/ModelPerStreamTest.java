package dev.lapstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.Fsdn;
import dev.lapstream.model.InferenceGraph;
import dev.lapstream.model.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stream specs naming models: each stream through its own, a bad model refused for its stream only. */
class ModelPerStreamTest {

    private static final Topics TOPICS = Topics.withPrefix("models");
    private static final AsdnConfig TINY = new AsdnConfig("asdn-lr", 8, 4, 2, 2, 4, 2, 4, 11, 8, new int[] {4, 8});

    private static VideoFrame frame(long index) {
        byte[] px = new byte[8 * 8 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (40 + (i * 7) % 150);
        }
        return new VideoFrame(index, index * 40_000L, 1_000 + index, new RgbImage(8, 8, px));
    }

    @Test
    void eachStreamRunsOnItsModelAndABadModelDeadLettersOnlyItsStream(@TempDir Path dir) throws Exception {
        Path anyScale = dir.resolve("any");
        InferenceGraph.export(TINY, Weights.random(TINY, 1), anyScale);
        Fsdn x2 = Fsdn.of(2);
        Path fixed = dir.resolve("fsdn-x2");
        InferenceGraph.export(x2.config(TINY), x2.fromAnyScale(TINY, Weights.random(TINY, 2)), fixed);
        Path missing = dir.resolve("missing");

        try (BicubicUpscaler own = new BicubicUpscaler();
             Models models = new Models(own, name -> new AsdnUpscaler(Path.of(name), 1), Models.DEFAULT_MAX);
             UpscaleDriver d = UpscaleDriver.start(TOPICS, models, 64 << 20, Batching.NONE)) {
            d.specs().pipeInput("a", StreamSpec.ofScale(2).withModel(anyScale.toString()).toJson());
            d.specs().pipeInput("b", StreamSpec.ofScale(2).withModel(fixed.toString()).toJson());
            d.specs().pipeInput("c", StreamSpec.ofScale(2).withModel(missing.toString()).toJson());
            d.specs().pipeInput("d", StreamSpec.ofScale(2).toJson());
            d.specs().pipeInput("e", StreamSpec.ofScale(3).withModel(fixed.toString()).toJson());
            for (String s : List.of("a", "b", "c", "d", "e")) {
                d.frames().pipeInput(s, FrameCodec.encode(new FrameRecord.Start(
                        new StreamInfo(8, 8, 25, 80_000, 2, 0, 0, "unit"))));
            }
            for (long i = 0; i < 2; i++) {
                for (String s : List.of("a", "b", "c", "d", "e")) {
                    d.frames().pipeInput(s, FrameCodec.encode(new FrameRecord.Video(frame(i))));
                }
            }

            Map<String, List<String>> byModel = d.metrics().readValuesToList().stream().map(ModelPerStreamTest::metric)
                    .collect(Collectors.groupingBy(FrameMetrics::stream,
                            Collectors.mapping(FrameMetrics::upscaler, Collectors.toList())));
            assertThat(byModel).containsOnlyKeys("a", "b", "d");
            assertThat(byModel.get("a")).containsExactly("asdn-lr", "asdn-lr");
            assertThat(byModel.get("b")).containsExactly("fsdn-x2", "fsdn-x2");
            assertThat(byModel.get("d")).containsExactly("bicubic", "bicubic");

            // stream a's frames are its model's output
            try (AsdnUpscaler ref = new AsdnUpscaler(anyScale, 1)) {
                RgbImage expected = ref.upscale(frame(0).image(), 16, 16);
                RgbImage got = d.upscaled().readRecordsToList().stream().filter(r -> r.key().equals("a"))
                        .map(r -> FrameCodec.decode(r.value())).filter(f -> f instanceof FrameRecord.Video)
                        .map(f -> ((FrameRecord.Video) f).frame().image()).findFirst().orElseThrow();
                assertThat(got.pixels()).isEqualTo(expected.pixels());
            }

            List<TestRecord<String, byte[]>> dead = d.dlq().readRecordsToList();
            Map<String, List<String>> reasons = dead.stream().collect(Collectors.groupingBy(TestRecord::key,
                    Collectors.mapping(r -> DeadLetter.reason(r.headers()), Collectors.toList())));
            assertThat(reasons).containsOnlyKeys("c", "e");
            assertThat(reasons.get("c")).hasSize(3).allSatisfy(r -> assertThat(r)
                    .startsWith("model '" + missing + "' cannot be loaded"));
            // e's start passes (its model loads); each frame of the wrong scale is refused with the reason
            assertThat(reasons.get("e")).hasSize(2).allSatisfy(r -> assertThat(r).contains("serves only x2"));
        }
    }

    private static FrameMetrics metric(byte[] json) {
        try {
            return FrameMetrics.fromJson(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
