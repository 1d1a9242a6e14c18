package dev.lapstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.ShippedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Frames of a task's streams run as batches through the shipped model, each stream's output in order and exact. */
class BatchingTopologyTest {

    private static final Topics TOPICS = Topics.withPrefix("batch");
    private static final Duration WAIT = Duration.ofMillis(200);
    private static AsdnUpscaler model;

    /** The shipped model, counting its calls: the input size and batch size of each. */
    private static final class Counting implements Upscaler {
        final List<String> calls = new ArrayList<>();

        @Override
        public List<RgbImage> upscaleAll(List<RgbImage> inputs, int outWidth, int outHeight, int width) {
            calls.add(inputs.get(0).width() + "x" + inputs.get(0).height() + " * " + inputs.size());
            return model.upscaleAll(inputs, outWidth, outHeight, width);
        }

        @Override
        public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
            return upscaleAll(List.of(input), outWidth, outHeight, 0).get(0);
        }

        @Override
        public List<Integer> widths() {
            return model.widths();
        }

        @Override
        public String name() {
            return model.name();
        }
    }

    @BeforeAll
    static void load() {
        Path dir = ShippedModel.directory(Path.of(System.getProperty("lapstream.root", "..")));
        assumeTrue(Files.isDirectory(dir), "no shipped model at " + dir);
        model = new AsdnUpscaler(dir, 0);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static VideoFrame frame(long index, int width, int height, long seed) {
        byte[] px = new byte[width * height * 3];
        new Random(seed).nextBytes(px);
        return new VideoFrame(index, index * 40_000L, 1_000 + index, new RgbImage(width, height, px));
    }

    /** Two streams of one size, interleaved as one partition carries them: start, 4 frames each with audio, end. */
    private static List<TestRecord<String, byte[]>> twoStreams() {
        List<TestRecord<String, byte[]>> in = new ArrayList<>();
        for (String s : List.of("a", "b")) {
            in.add(record(s, new FrameRecord.Start(new StreamInfo(16, 12, 25, 160_000, 4, 8_000, 1, "unit")), 0));
        }
        for (int i = 0; i < 4; i++) {
            for (String s : List.of("a", "b")) {
                in.add(record(s, new FrameRecord.Video(frame(i, 16, 12, 31L * i + s.hashCode())), 10 + i));
                if (i == 1) {
                    in.add(record(s, new FrameRecord.Audio(new AudioChunk(i * 40_000L, 8_000, 1, new short[] {1})),
                            10 + i));
                }
            }
        }
        for (String s : List.of("a", "b")) {
            in.add(record(s, new FrameRecord.End(4, 160_000, false), 20));
        }
        return in;
    }

    private static TestRecord<String, byte[]> record(String stream, FrameRecord r, long timestamp) {
        return new TestRecord<>(stream, FrameCodec.encode(r), new RecordHeaders(), timestamp);
    }

    /** The frames the driver's streams produce, each with its spec at scale 2 and the full subnet pinned. */
    private static UpscaleDriver start(Upscaler upscaler, int batch) {
        UpscaleDriver d = UpscaleDriver.start(TOPICS, upscaler, 64 << 20, new Batching(batch, WAIT));
        for (String s : List.of("a", "b", "c")) {
            d.specs().pipeInput(s, StreamSpec.ofScale(s.equals("c") ? 3 : 2)
                    .withPolicy(new StreamSpec.Policy(64, null, null, null)).toJson());
        }
        return d;
    }

    private static List<TestRecord<String, byte[]>> of(List<TestRecord<String, byte[]>> out, String stream) {
        return out.stream().filter(r -> r.key().equals(stream)).toList();
    }

    @Test
    void framesOfTwoStreamsRunTogetherInOrderAndExactlyAsOneAtATime() throws Exception {
        Counting single = new Counting();
        List<TestRecord<String, byte[]>> one;
        try (UpscaleDriver d = start(single, 1)) {
            d.frames().pipeRecordList(twoStreams());
            one = d.upscaled().readRecordsToList();
        }
        Counting batched = new Counting();
        try (UpscaleDriver d = start(batched, 4)) {
            d.frames().pipeRecordList(twoStreams());
            List<TestRecord<String, byte[]>> four = d.upscaled().readRecordsToList();

            assertThat(single.calls).hasSize(8).containsOnly("16x12 * 1");
            assertThat(batched.calls).as("a's and b's frames 0, 1 together, then 2, 3").containsExactly(
                    "16x12 * 4", "16x12 * 4");
            for (String s : List.of("a", "b")) {
                List<FrameRecord> got = of(four, s).stream().map(r -> FrameCodec.decode(r.value())).toList();
                assertThat(got).extracting(r -> r.getClass().getSimpleName()).containsExactly("Start", "Video",
                        "Video", "Audio", "Video", "Video", "End");
                assertThat(got).filteredOn(r -> r instanceof FrameRecord.Video)
                        .extracting(r -> ((FrameRecord.Video) r).frame().index()).containsExactly(0L, 1L, 2L, 3L);
                assertThat(of(four, s)).extracting(TestRecord::timestamp)
                        .isEqualTo(of(one, s).stream().map(TestRecord::timestamp).toList());
                assertThat(of(four, s)).as("stream %s bit for bit", s).extracting(TestRecord::value)
                        .containsExactlyElementsOf(of(one, s).stream().map(TestRecord::value).toList());
            }
            List<FrameMetrics> metrics = d.metrics().readValuesToList().stream().map(BatchingTopologyTest::metric)
                    .toList();
            assertThat(metrics).hasSize(8).allSatisfy(m -> assertThat(m.width()).isEqualTo(64));
            assertThat(metrics).filteredOn(m -> m.stream().equals("a")).extracting(FrameMetrics::frame)
                    .containsExactly(0L, 1L, 2L, 3L);
            assertThat(d.dlq().isEmpty()).isTrue();
        }
    }

    @Test
    void aPartialBatchRunsOnceItsFirstFrameHasWaitedTheMaximumAndHoldsItsStreamsLaterRecords() {
        Counting counting = new Counting();
        try (UpscaleDriver d = start(counting, 4)) {
            d.frames().pipeRecordList(List.of(
                    record("a", new FrameRecord.Video(frame(0, 16, 12, 1)), 10),
                    record("a", new FrameRecord.Audio(new AudioChunk(0, 8_000, 1, new short[] {7})), 10),
                    record("b", new FrameRecord.Audio(new AudioChunk(0, 8_000, 1, new short[] {8})), 10),
                    record("a", new FrameRecord.Video(frame(1, 16, 12, 2)), 11)));
            assertThat(d.upscaled().readRecordsToList()).as("b holds no frame: its audio goes at once")
                    .extracting(TestRecord::key).containsExactly("b");

            d.driver().advanceWallClockTime(WAIT.minusMillis(1));
            assertThat(d.upscaled().isEmpty()).as("a's frames within the maximum wait").isTrue();
            assertThat(counting.calls).isEmpty();
            d.driver().advanceWallClockTime(Duration.ofMillis(1));
            assertThat(counting.calls).containsExactly("16x12 * 2");
            assertThat(d.upscaled().readRecordsToList()).extracting(r -> FrameCodec.decode(r.value()))
                    .extracting(r -> r.getClass().getSimpleName()).containsExactly("Video", "Audio", "Video");
            assertThat(d.metrics().readValuesToList()).hasSize(2);
        }
    }

    @Test
    void framesOfDifferentSizesRunApart() {
        Counting counting = new Counting();
        try (UpscaleDriver d = start(counting, 4)) {
            d.frames().pipeRecordList(List.of(
                    record("a", new FrameRecord.Video(frame(0, 16, 12, 1)), 10),
                    record("b", new FrameRecord.Video(frame(0, 12, 12, 2)), 10),
                    record("c", new FrameRecord.Video(frame(0, 16, 12, 3)), 10), // a's size, its own output size
                    record("a", new FrameRecord.Video(frame(1, 16, 12, 4)), 11)));
            assertThat(counting.calls).containsExactlyInAnyOrder("16x12 * 2", "12x12 * 1", "16x12 * 1");
            assertThat(d.upscaled().readRecordsToList()).extracting(r -> ((FrameRecord.Video) FrameCodec.decode(
                    r.value())).frame().image().width()).containsExactly(32, 32, 24, 48);
        }
    }

    @Test
    void heldRecordsAreInTheChangelogUntilTheirBatchHasRun() {
        try (UpscaleDriver d = start(new Counting(), 4)) {
            TestOutputTopic<String, byte[]> changelog = d.driver().createOutputTopic(
                    TOPICS.frames() + "-test-" + UpscaleTopology.BATCH_STORE + "-changelog", new StringDeserializer(),
                    new ByteArrayDeserializer());
            d.frames().pipeInput("a", FrameCodec.encode(new FrameRecord.Video(frame(0, 16, 12, 1))));
            d.frames().pipeInput("a", FrameCodec.encode(new FrameRecord.End(1, 40_000, false)));
            assertThat(changelog.readRecordsToList()).as("held, so a task that takes over restores them")
                    .extracting(TestRecord::value).allSatisfy(v -> assertThat(v).isNotNull()).hasSize(2);
            assertThat(d.driver().getKeyValueStore(UpscaleTopology.BATCH_STORE).approximateNumEntries()).isEqualTo(2);

            d.driver().advanceWallClockTime(WAIT);
            assertThat(d.upscaled().readRecordsToList()).hasSize(2);
            assertThat(changelog.readRecordsToList()).as("deleted with the output, in the same transaction")
                    .extracting(TestRecord::value).containsOnlyNulls().hasSize(2);
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
