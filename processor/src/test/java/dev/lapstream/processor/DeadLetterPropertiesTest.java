package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.MalformedRecordException;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.Size;
import dev.lapstream.core.spec.StreamSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated frame records and stream specs through the worker's topology (bicubic, raw frames under a
 * small record limit so huge outputs are refused before they are computed): the driver never throws, every
 * rejected record reaches the dead-letter topic once, unchanged, with its reason and source, and every other
 * record comes out on the upscaled topic, a video frame at the size its spec gives and with its metrics record.
 *
 * <p>What each record should meet is worked out from the wire format and spec alone: the record is decoded
 * ({@link MalformedRecordException} means refused with that message), and frames and start records are sized
 * by the stream's last valid spec ({@link InvalidSpecException} means refused with that message; none, after
 * the grace, means unknown stream). Records that came before any valid spec wait, and are served with the spec
 * the stream has when they are released.
 */
class DeadLetterPropertiesTest {

    private static final Topics TOPICS = Topics.withPrefix("prop");
    /** Raw frames up to about 290x290: anything larger is refused unserved, so no try computes a huge frame. */
    private static final int LIMIT = 256 << 10;

    private static final Arbitrary<String> VALID_SPECS = Arbitraries.of("{\"scale\":2}", "{\"scale\":3.5}",
            "{\"scale\":16}", "{\"width\":64,\"height\":48}", "{\"width\":400,\"height\":300}",
            "{\"scale\":2,\"policy\":{\"minWidth\":32,\"maxWidth\":64,\"latencyTargetMs\":500}}");

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestInputTopic<String, byte[]> specs;
    private TestOutputTopic<String, byte[]> upscaled;
    private TestOutputTopic<String, byte[]> metrics;
    private TestOutputTopic<String, byte[]> dlq;
    private int tries;

    /** One input of a try: a spec update or a frames-topic record, both as raw bytes. */
    record Event(boolean spec, byte[] bytes) {
        @Override
        public String toString() {
            return (spec ? "spec " + new String(bytes, StandardCharsets.UTF_8) : "record " + Arrays.toString(bytes));
        }
    }

    private enum Kind { START, VIDEO, AUDIO, END }

    /** What one record must produce: a dead letter with a reason, or an output of a kind (and size). */
    private record Expected(byte[] bytes, String reason, Kind kind, Size size) {
    }

    @BeforeProperty
    void startDriver() {
        UpscaleDriver d = UpscaleDriver.start(TOPICS, new BicubicUpscaler(), LIMIT);
        driver = d.driver();
        frames = d.frames();
        specs = d.specs();
        upscaled = d.upscaled();
        metrics = d.metrics();
        dlq = d.dlq();
    }

    @AfterProperty
    void stopDriver() {
        driver.close();
    }

    @Property(tries = 200)
    void everyRejectionReachesTheDeadLetterTopicWithItsReason(@ForAll("events") List<Event> events) {
        String stream = "s" + tries++; // one driver for all tries: each try its own stream
        StreamSpec spec = null;
        List<byte[]> waiting = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        for (Event e : events) {
            if (e.spec()) {
                specs.pipeInput(stream, e.bytes());
                spec = parse(e.bytes(), spec);
            } else {
                frames.pipeInput(stream, e.bytes());
                waiting.add(e.bytes());
                if (spec != null) {
                    for (byte[] w : waiting) {
                        expected.add(expect(stream, w, spec));
                    }
                    waiting.clear();
                }
            }
        }
        // the end of the grace: waiting records are served with the spec that came meanwhile, or refused without
        driver.advanceWallClockTime(UpscaleProcessor.SPEC_GRACE.plus(UpscaleProcessor.SPEC_CHECK));
        for (byte[] w : waiting) {
            expected.add(expect(stream, w, spec));
        }

        // shows, at the end of the run, that every path was taken
        expected.forEach(x -> Statistics.label("outcome").collect(x.reason() == null ? x.kind().toString()
                : x.reason().startsWith("unknown stream") ? "refused: unknown stream"
                : x.reason().endsWith("cannot be served…") ? "refused: unservable spec"
                : x.reason().startsWith("bad stream spec") || x.reason().contains("output") ? "refused: spec"
                : "refused: malformed"));
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        List<Expected> refused = expected.stream().filter(x -> x.reason() != null).toList();
        assertThat(dead).hasSize(refused.size());
        for (int i = 0; i < dead.size(); i++) {
            TestRecord<String, byte[]> d = dead.get(i);
            Expected x = refused.get(i);
            assertThat(d.key()).isEqualTo(stream);
            assertThat(d.value()).isEqualTo(x.bytes());
            String reason = DeadLetter.reason(d.headers());
            assertThat(reason).isNotBlank().doesNotContain("\n");
            if (x.reason().endsWith("…")) {
                assertThat(reason).startsWith(x.reason().substring(0, x.reason().length() - 1));
            } else {
                assertThat(reason).isEqualTo(x.reason());
            }
            assertThat(new String(d.headers().lastHeader(DeadLetter.SOURCE).value(), StandardCharsets.UTF_8))
                    .startsWith(TOPICS.frames() + "-0@");
        }
        List<Expected> served = expected.stream().filter(x -> x.reason() == null).toList();
        List<FrameRecord> out = upscaled.readRecordsToList().stream().peek(r -> assertThat(r.key()).isEqualTo(stream))
                .map(r -> FrameCodec.decode(r.value())).toList();
        assertThat(out).extracting(DeadLetterPropertiesTest::kind).containsExactlyElementsOf(
                served.stream().map(Expected::kind).toList());
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) instanceof FrameRecord.Video v) {
                assertThat(new Size(v.frame().image().width(), v.frame().image().height()))
                        .isEqualTo(served.get(i).size());
            }
        }
        assertThat(metrics.readRecordsToList()).hasSize((int) served.stream().filter(x -> x.kind() == Kind.VIDEO)
                .count());
    }

    /** The stream's spec after an update: a valid one replaces it, an invalid one is ignored. */
    private static StreamSpec parse(byte[] json, StreamSpec current) {
        try {
            return StreamSpec.fromJson(json);
        } catch (InvalidSpecException e) {
            return current;
        }
    }

    /** A reason ending in "…" is a prefix of the reason the worker must give. */
    private static Expected expect(String stream, byte[] bytes, StreamSpec spec) {
        FrameRecord r;
        try {
            r = FrameCodec.decode(bytes);
        } catch (MalformedRecordException e) {
            return new Expected(bytes, e.getMessage(), null, null);
        }
        if (r instanceof FrameRecord.Audio) {
            return new Expected(bytes, null, Kind.AUDIO, null);
        }
        if (r instanceof FrameRecord.End) {
            return new Expected(bytes, null, Kind.END, null);
        }
        int w = r instanceof FrameRecord.Start s ? s.info().width() : ((FrameRecord.Video) r).frame().image().width();
        int h = r instanceof FrameRecord.Start s ? s.info().height() : ((FrameRecord.Video) r).frame().image().height();
        if (spec == null) {
            return new Expected(bytes, "unknown stream '" + stream + "'…", null, null);
        }
        Size size;
        try {
            size = spec.outputSize(w, h);
        } catch (InvalidSpecException e) {
            return new Expected(bytes, e.getMessage(), null, null);
        }
        if (FrameCodec.videoRecordBytes(size.width(), size.height()) > LIMIT) {
            return new Expected(bytes, "spec " + spec.describe() + " cannot be served…", null, null);
        }
        return new Expected(bytes, null, r instanceof FrameRecord.Start ? Kind.START : Kind.VIDEO, size);
    }

    private static Kind kind(FrameRecord r) {
        return r instanceof FrameRecord.Start ? Kind.START : r instanceof FrameRecord.Video ? Kind.VIDEO
                : r instanceof FrameRecord.Audio ? Kind.AUDIO : Kind.END;
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Event> spec = specs().map(s -> new Event(true, s.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Event> record = records().map(b -> new Event(false, b));
        Arbitrary<List<Event>> rest = Arbitraries.frequencyOf(Tuple.of(1, spec), Tuple.of(4, record)).list()
                .ofMinSize(1).ofMaxSize(10);
        // most streams have a valid spec from the start, as in use; the others test the wait and its end
        Arbitrary<String> first = VALID_SPECS.injectNull(0.25);
        return Combinators.combine(first, rest).as((json, list) -> {
            List<Event> all = new ArrayList<>();
            if (json != null) {
                all.add(new Event(true, json.getBytes(StandardCharsets.UTF_8)));
            }
            all.addAll(list);
            return all;
        });
    }

    /** Spec updates: well-formed with values in and out of range, mutated, and not JSON at all. */
    private static Arbitrary<String> specs() {
        Arbitrary<String> scale = Arbitraries.doubles().between(-2, 40).map(s -> "{\"scale\":" + s + "}");
        Arbitrary<String> scales = Combinators.combine(Arbitraries.doubles().between(0, 20),
                Arbitraries.doubles().between(0, 20)).as((x, y) -> "{\"scaleX\":" + x + ",\"scaleY\":" + y + "}");
        Arbitrary<String> size = Combinators.combine(Arbitraries.integers().between(-10, 1_000),
                Arbitraries.integers().between(-10, 20_000)).as((w, h) -> "{\"width\":" + w + ",\"height\":" + h + "}");
        Arbitrary<String> mutated = Combinators.combine(VALID_SPECS, Arbitraries.integers().between(0, 60),
                Arbitraries.chars()).as((json, at, c) -> {
                    char[] chars = json.toCharArray();
                    chars[at % chars.length] = c;
                    return new String(chars);
                });
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.oneOf(scale, scales, size)),
                Tuple.of(2, VALID_SPECS), Tuple.of(3, mutated),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(20)));
    }

    /** Frames-topic records: valid, valid with bytes changed or cut off, a valid header on noise, pure noise. */
    private static Arbitrary<byte[]> records() {
        Arbitrary<byte[]> valid = frameRecords().map(FrameCodec::encode);
        Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().array(int[].class).ofMaxSize(8),
                Arbitraries.integers().between(0, 32)).as((encoded, edits, cut) -> {
                    byte[] bytes = encoded.clone();
                    for (int i = 0; i + 1 < edits.length; i += 2) {
                        bytes[Math.floorMod(edits[i], bytes.length)] = (byte) edits[i + 1];
                    }
                    return Arrays.copyOf(bytes, Math.max(0, bytes.length - cut));
                });
        Arbitrary<byte[]> header = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64)).as((type, body) -> {
                    byte[] bytes = Arrays.copyOf(new byte[]{'L', 'S', FrameCodec.VERSION, (byte) (int) type, 0, 0, 0, 0},
                            8 + body.length);
                    System.arraycopy(body, 0, bytes, 8, body.length);
                    return bytes;
                });
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Arbitraries.frequencyOf(Tuple.of(4, valid), Tuple.of(4, mutated),
                Tuple.of(1, header), Tuple.of(1, noise));
    }

    private static Arbitrary<FrameRecord> frameRecords() {
        Arbitrary<Integer> side = Arbitraries.integers().between(1, 12);
        Arbitrary<FrameRecord> start = Combinators.combine(side, side, Arbitraries.doubles().between(0.1, 60))
                .as((w, h, fps) -> new FrameRecord.Start(new StreamInfo(w, h, fps, -1, -1, 0, 0, "prop")));
        Arbitrary<FrameRecord> video = Combinators.combine(side, side, Arbitraries.longs().between(0, 1000),
                        Arbitraries.bytes())
                .as((w, h, index, value) -> {
                    byte[] px = new byte[w * h * 3];
                    Arrays.fill(px, value);
                    return new FrameRecord.Video(new VideoFrame(index, index * 40_000, 0, new RgbImage(w, h, px)));
                });
        Arbitrary<FrameRecord> audio = Arbitraries.shorts().array(short[].class).ofMinSize(1).ofMaxSize(16)
                .map(s -> new FrameRecord.Audio(new AudioChunk(0, 16_000, 1, s)));
        Arbitrary<FrameRecord> end = Arbitraries.longs().between(0, 1000).map(n -> new FrameRecord.End(n, n * 40_000,
                false));
        return Arbitraries.oneOf(start, video, audio, end);
    }
}
