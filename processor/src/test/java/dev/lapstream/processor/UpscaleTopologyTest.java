package dev.lapstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.spec.StreamSpec;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's topology on native records, without a broker: what comes out for each kind of input. */
class UpscaleTopologyTest {

    private static final Topics TOPICS = Topics.withPrefix("unit");
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestInputTopic<String, byte[]> specs;
    private TestOutputTopic<String, byte[]> upscaled;
    private TestOutputTopic<String, byte[]> metrics;
    private TestOutputTopic<String, byte[]> dlq;

    private void start(Upscaler upscaler) {
        UpscaleDriver d = UpscaleDriver.start(TOPICS, upscaler, 64 << 20);
        driver = d.driver();
        frames = d.frames();
        specs = d.specs();
        upscaled = d.upscaled();
        metrics = d.metrics();
        dlq = d.dlq();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    /** 8x8: doubled it is 16x16, the smallest output a spec accepts. */
    private static VideoFrame frame(long index, int value) {
        byte[] px = new byte[8 * 8 * 3];
        java.util.Arrays.fill(px, (byte) value);
        return new VideoFrame(index, index * 40_000L, 1_000 + index, new RgbImage(8, 8, px));
    }

    private void send(String stream, FrameRecord r) {
        frames.pipeInput(stream, FrameCodec.encode(r));
    }

    private List<FrameRecord> out(String stream) {
        return upscaled.readRecordsToList().stream().filter(r -> r.key().equals(stream))
                .map(r -> FrameCodec.decode(r.value())).toList();
    }

    private List<String> deadReasons() {
        return dlq.readRecordsToList().stream().map(r -> DeadLetter.reason(r.headers())).toList();
    }

    @Test
    void aStreamPassesThroughWithItsAudioAndMarkersAndAMetricPerFrame() {
        start(new BicubicUpscaler());
        specs.pipeInput("cam", StreamSpec.ofScale(2).toJson());
        AudioChunk audio = new AudioChunk(20_000, 8_000, 1, new short[] {1, -2, 3});
        send("cam", new FrameRecord.Start(new StreamInfo(8, 8, 25, 80_000, 2, 8_000, 1, "unit")));
        send("cam", new FrameRecord.Video(frame(0, 50)));
        send("cam", new FrameRecord.Audio(audio));
        send("cam", new FrameRecord.Video(frame(1, 90)));
        send("cam", new FrameRecord.End(2, 80_000, false));

        List<FrameRecord> out = out("cam");
        assertThat(out).hasSize(5);
        assertThat(((FrameRecord.Start) out.get(0)).info().width()).isEqualTo(16);
        assertThat(((FrameRecord.Start) out.get(0)).info().audioSampleRate()).isEqualTo(8_000);
        VideoFrame first = ((FrameRecord.Video) out.get(1)).frame();
        assertThat(first.image().width()).isEqualTo(16);
        assertThat(first.image().height()).isEqualTo(16);
        assertThat(first.image().get(5, 5, 0)).isEqualTo(50);
        assertThat(first.ptsMicros()).isEqualTo(0);
        // audio is passed on untouched, between the frames it came between
        AudioChunk passed = ((FrameRecord.Audio) out.get(2)).chunk();
        assertThat(passed.samples()).containsExactly(1, -2, 3);
        assertThat(passed.ptsMicros()).isEqualTo(20_000);
        assertThat(((FrameRecord.Video) out.get(3)).frame().ptsMicros()).isEqualTo(40_000);
        assertThat(out.get(4)).isEqualTo(new FrameRecord.End(2, 80_000, false));

        List<FrameMetrics> m = metrics.readValuesToList().stream().map(UpscaleTopologyTest::metric).toList();
        assertThat(m).extracting(FrameMetrics::frame).containsExactly(0L, 1L);
        assertThat(m.get(0).outWidth()).isEqualTo(16);
        assertThat(m.get(0).upscaler()).isEqualTo("bicubic");
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aSpecChangeAppliesFromTheNextFrame() {
        start(new BicubicUpscaler());
        specs.pipeInput("cam", StreamSpec.ofScale(2).toJson());
        send("cam", new FrameRecord.Start(new StreamInfo(8, 8, 25, 120_000, 3, 0, 0, "unit")));
        send("cam", new FrameRecord.Video(frame(0, 10)));
        specs.pipeInput("cam", StreamSpec.ofScales(2.5, 3).toJson());
        send("cam", new FrameRecord.Video(frame(1, 20)));
        send("cam", new FrameRecord.Video(frame(2, 30)));

        List<RgbImage> images = out("cam").stream().filter(r -> r instanceof FrameRecord.Video)
                .map(r -> ((FrameRecord.Video) r).frame().image()).toList();
        assertThat(images).extracting(RgbImage::width).containsExactly(16, 20, 20);
        assertThat(images).extracting(RgbImage::height).containsExactly(16, 24, 24);
    }

    @Test
    void malformedUnknownAndFailingRecordsGoToTheDeadLetterTopicWithTheirReasons() {
        Upscaler failsOnDark = new Upscaler() {
            private final BicubicUpscaler inner = new BicubicUpscaler();

            @Override
            public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
                if ((input.pixels()[0] & 0xff) < 5) {
                    throw new IllegalStateException("model refused a dark frame");
                }
                return inner.upscale(input, outWidth, outHeight);
            }

            @Override
            public String name() {
                return "fails-on-dark";
            }
        };
        start(failsOnDark);
        specs.pipeInput("cam", StreamSpec.ofScale(2).toJson());
        frames.pipeInput("cam", "not a frame at all".getBytes());
        send("ghost", new FrameRecord.Video(frame(0, 50)));
        send("cam", new FrameRecord.Video(frame(0, 1)));
        send("cam", new FrameRecord.Video(frame(1, 60)));
        driver.advanceWallClockTime(UpscaleProcessor.SPEC_GRACE); // 'ghost' waits its grace for a spec

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(3);
        assertThat(DeadLetter.reason(dead.get(0).headers())).contains("bad magic");
        assertThat(DeadLetter.reason(dead.get(1).headers())).contains("model refused a dark frame");
        assertThat(DeadLetter.reason(dead.get(2).headers())).contains("unknown stream 'ghost'");
        // the dead-letter topic keeps the rejected record itself
        assertThat(dead.get(0).value()).isEqualTo("not a frame at all".getBytes());
        // and the stream goes on: the next frame is upscaled
        List<FrameRecord> out = out("cam");
        assertThat(out).hasSize(1);
        assertThat(((FrameRecord.Video) out.get(0)).frame().index()).isEqualTo(1);
    }

    @Test
    void recordsOfAStreamWhoseSpecComesLateWaitForItWithoutHoldingUpOtherStreams() {
        start(new BicubicUpscaler());
        specs.pipeInput("cam", StreamSpec.ofScale(2).toJson());
        send("late", new FrameRecord.Start(new StreamInfo(8, 8, 25, 80_000, 2, 8_000, 1, "unit")));
        send("late", new FrameRecord.Video(frame(0, 50)));
        send("late", new FrameRecord.Audio(new AudioChunk(20_000, 8_000, 1, new short[] {7})));
        send("cam", new FrameRecord.Video(frame(0, 30)));
        assertThat(out("cam")).as("a stream with a spec is served at once").hasSize(1);

        driver.advanceWallClockTime(UpscaleProcessor.SPEC_GRACE.minusMillis(500));
        assertThat(upscaled.isEmpty()).as("nothing of 'late' before its spec").isTrue();
        specs.pipeInput("late", StreamSpec.ofScale(2).toJson());
        send("late", new FrameRecord.Video(frame(1, 90))); // comes after the three waiting ones
        driver.advanceWallClockTime(UpscaleProcessor.SPEC_CHECK);
        send("late", new FrameRecord.End(2, 80_000, false));

        List<FrameRecord> out = out("late");
        assertThat(out).hasSize(5);
        assertThat(((FrameRecord.Start) out.get(0)).info().width()).isEqualTo(16);
        assertThat(((FrameRecord.Video) out.get(1)).frame().image().width()).isEqualTo(16);
        assertThat(((FrameRecord.Video) out.get(1)).frame().index()).isZero();
        assertThat(((FrameRecord.Audio) out.get(2)).chunk().samples()).containsExactly(7);
        assertThat(((FrameRecord.Video) out.get(3)).frame().index()).isEqualTo(1);
        assertThat(out.get(4)).isInstanceOf(FrameRecord.End.class);
        assertThat(metrics.readValuesToList()).hasSize(3);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void aSpecThatComesWhileNoRecordArrivesIsFoundByThePunctuator() {
        start(new BicubicUpscaler());
        send("late", new FrameRecord.Video(frame(0, 50)));
        specs.pipeInput("late", StreamSpec.ofScale(2).toJson());
        assertThat(upscaled.isEmpty()).isTrue();
        driver.advanceWallClockTime(UpscaleProcessor.SPEC_CHECK);
        assertThat(out("late")).hasSize(1);
    }

    @Test
    void afterTheGraceWaitingRecordsAreRefusedAsUnknownAndLaterOnesAtOnce() {
        start(new BicubicUpscaler());
        send("ghost", new FrameRecord.Start(new StreamInfo(8, 8, 25, 80_000, 2, 0, 0, "unit")));
        send("ghost", new FrameRecord.Video(frame(0, 50)));
        driver.advanceWallClockTime(UpscaleProcessor.SPEC_GRACE.minus(UpscaleProcessor.SPEC_CHECK));
        assertThat(dlq.isEmpty()).as("still within the grace").isTrue();
        driver.advanceWallClockTime(UpscaleProcessor.SPEC_CHECK);
        assertThat(deadReasons()).hasSize(2).allSatisfy(r -> assertThat(r).contains("unknown stream 'ghost'"));

        send("ghost", new FrameRecord.Video(frame(1, 50)));
        assertThat(deadReasons()).as("the grace is spent: no second wait").hasSize(1);
        // a spec that comes later serves the stream from then on
        specs.pipeInput("ghost", StreamSpec.ofScale(2).toJson());
        send("ghost", new FrameRecord.Video(frame(2, 50)));
        assertThat(out("ghost")).hasSize(1);
    }

    @Test
    void aStreamThatFloodsTheWaitQueueWaitsNoLonger() {
        start(new BicubicUpscaler());
        int side = 1024; // 3 MiB a raw frame
        int fit = (int) (RecordQueue.MAX_BYTES / (side * side * 3L));
        byte[] px = new byte[side * side * 3];
        for (int i = 0; i <= fit; i++) {
            send("flood", new FrameRecord.Video(new VideoFrame(i, i * 40_000L, 0, new RgbImage(side, side, px))));
        }
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).as("every frame refused, before the grace is over").hasSize(fit + 1);
        assertThat(dead).extracting(r -> FrameCodec.decode(r.value()))
                .extracting(r -> ((FrameRecord.Video) r).frame().index()).isSorted();
        assertThat(DeadLetter.reason(dead.get(0).headers())).contains("unknown stream 'flood'");
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetter.SOURCE).value()))
                .as("a waited record's dead letter names where it came from").isEqualTo(TOPICS.frames() + "-0@0");
    }

    private static FrameMetrics metric(byte[] json) {
        try {
            return FrameMetrics.fromJson(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
