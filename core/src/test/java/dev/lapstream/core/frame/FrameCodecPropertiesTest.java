package dev.lapstream.core.frame;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.StreamSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated records: the wire format and the spec parser either read them or reject them with their
 * own exception and a one-line reason; nothing else may escape (an exception the worker did not expect would
 * fail its task), and nothing may allocate what the record does not hold.
 */
class FrameCodecPropertiesTest {

    @Property(tries = 2000)
    void randomBytesAreReadOrRejected(@ForAll @Size(max = 256) byte[] bytes) {
        decodeOrReject(bytes);
    }

    @Property(tries = 2000)
    void randomBodiesBehindAValidHeaderAreReadOrRejected(@ForAll @IntRange(min = 0, max = 6) int type,
                                                         @ForAll @Size(max = 256) byte[] body) {
        byte[] bytes = Arrays.copyOf(new byte[]{'L', 'S', FrameCodec.VERSION, (byte) type, 0, 0, 0, 0}, 8 + body.length);
        System.arraycopy(body, 0, bytes, 8, body.length);
        decodeOrReject(bytes);
    }

    @Property(tries = 3000)
    void mutatedRecordsAreReadOrRejected(@ForAll("records") FrameRecord record, @ForAll("mutations") int[] edits,
                                         @ForAll @IntRange(min = 0, max = 64) int cut) {
        byte[] bytes = FrameCodec.encode(record);
        for (int i = 0; i + 1 < edits.length; i += 2) {
            bytes[Math.floorMod(edits[i], bytes.length)] = (byte) edits[i + 1];
        }
        decodeOrReject(Arrays.copyOf(bytes, Math.max(0, bytes.length - cut)));
    }

    @Property(tries = 1000)
    void validRecordsRoundTrip(@ForAll("records") FrameRecord record) {
        FrameRecord back = FrameCodec.decode(FrameCodec.encode(record));
        assertThat(FrameCodec.encode(back)).isEqualTo(FrameCodec.encode(record));
    }

    @Property(tries = 2000)
    void mutatedSpecsAreReadOrRejected(@ForAll("specs") String json, @ForAll @IntRange(min = 0, max = 40) int at,
                                       @ForAll char replacement) {
        char[] chars = json.toCharArray();
        chars[at % chars.length] = replacement;
        try {
            StreamSpec spec = StreamSpec.fromJson(new String(chars).getBytes(StandardCharsets.UTF_8));
            assertThat(StreamSpec.fromJson(spec.toJson())).isEqualTo(spec);
        } catch (InvalidSpecException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    private static void decodeOrReject(byte[] bytes) {
        try {
            FrameCodec.decode(bytes);
        } catch (MalformedRecordException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().array(int[].class).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> specs() {
        return Arbitraries.of("{\"scale\":2.5}", "{\"scaleX\":2.0,\"scaleY\":1.5}", "{\"width\":1280,\"height\":720}",
                "{\"scale\":2,\"policy\":{\"minWidth\":32,\"maxWidth\":64,\"latencyTargetMs\":500}}",
                "{\"scale\":2,\"policy\":{\"width\":48}}");
    }

    @Provide
    Arbitrary<FrameRecord> records() {
        Arbitrary<FrameRecord> start = Combinators.combine(Arbitraries.integers().between(1, 64),
                        Arbitraries.integers().between(1, 64), Arbitraries.doubles().between(0.1, 240),
                        Arbitraries.strings().ofMaxLength(40))
                .as((w, h, fps, source) -> new FrameRecord.Start(new StreamInfo(w, h, fps, 1_000_000, 10, 0, 0,
                        source)));
        Arbitrary<FrameRecord> video = Combinators.combine(Arbitraries.integers().between(1, 8),
                        Arbitraries.integers().between(1, 8), Arbitraries.longs().between(0, 1_000_000),
                        Arbitraries.longs().between(0, 1L << 40))
                .as((w, h, index, pts) -> new FrameRecord.Video(new VideoFrame(index, pts, 0,
                        new RgbImage(w, h, new byte[w * h * 3]))));
        Arbitrary<FrameRecord> audio = Arbitraries.shorts().array(short[].class).ofMinSize(1).ofMaxSize(32)
                .map(s -> new FrameRecord.Audio(new AudioChunk(0, 16000, 1, s)));
        Arbitrary<FrameRecord> end = Combinators.combine(Arbitraries.longs().between(0, 1000),
                        Arbitraries.longs().between(0, 1L << 40), Arbitraries.of(true, false))
                .as(FrameRecord.End::new);
        return Arbitraries.oneOf(start, video, audio, end);
    }
}
