package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.spec.StreamSpec;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Records of the image contract through the worker's topology: what they turn into, and why bad ones are refused. */
class ContractTopologyTest {

    private static final Topics TOPICS = Topics.withPrefix("contract");
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> upscaled;
    private TestOutputTopic<String, byte[]> dlq;

    @BeforeEach
    void start() {
        startWithRecordLimit(64 << 20);
    }

    private void startWithRecordLimit(int maxRecordBytes) {
        if (driver != null) {
            driver.close();
        }
        UpscaleDriver d = UpscaleDriver.start(TOPICS, new BicubicUpscaler(), maxRecordBytes);
        driver = d.driver();
        frames = d.frames();
        upscaled = d.upscaled();
        dlq = d.dlq();
        d.specs().pipeInput("cam", StreamSpec.ofScale(2).toJson());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static byte[] image(String format, int w, int h) {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 90);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(bi, format, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static Headers headers(String... pairs) {
        Headers h = new RecordHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            h.add(pairs[i], pairs[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }

    private void send(byte[] value, Headers headers) {
        frames.pipeInput(new TestRecord<>("cam", value, headers, Instant.ofEpochMilli(1_000)));
    }

    private List<FrameRecord> output() {
        return upscaled.readValuesToList().stream().map(FrameCodec::decode).toList();
    }

    private List<String> reasons() {
        return dlq.readRecordsToList().stream().map(r -> DeadLetter.reason(r.headers())).toList();
    }

    @Test
    void imagesBecomeAStreamSizedByItsFirstFrame() {
        for (int i = 0; i < 3; i++) {
            send(image(i == 1 ? "png" : "jpeg", 40, 30), headers("lapstream.index", "" + i,
                    "lapstream.pts", "" + (90_000 + 3000 * i), "lapstream.time-base", "1/90000", "lapstream.fps", "30"));
        }
        send(new byte[0], headers("lapstream.end", "true"));

        List<FrameRecord> out = output();
        assertThat(reasons()).isEmpty();
        assertThat(out).hasSize(5);
        FrameRecord.Start start = (FrameRecord.Start) out.get(0);
        assertThat(start.info().width()).isEqualTo(80);
        assertThat(start.info().height()).isEqualTo(60);
        assertThat(start.info().frameRate()).isEqualTo(30);
        List<VideoFrame> video = out.subList(1, 4).stream().map(r -> ((FrameRecord.Video) r).frame()).toList();
        assertThat(video).extracting(VideoFrame::index).containsExactly(0L, 1L, 2L);
        // relative to the first frame, in microseconds
        assertThat(video).extracting(VideoFrame::ptsMicros).containsExactly(0L, 33_333L, 66_667L);
        assertThat(video).allSatisfy(v -> assertThat(v.image().width()).isEqualTo(80));
        assertThat(out.get(4)).isEqualTo(new FrameRecord.End(3, 100_001, false));
    }

    @Test
    void captureTimeStandsInForPts() {
        send(image("jpeg", 16, 16), headers("lapstream.index", "0", "lapstream.capture-ms", "1700000000000"));
        send(image("jpeg", 16, 16), headers("lapstream.index", "1", "lapstream.capture-ms", "1700000000040"));

        List<FrameRecord> out = output();
        assertThat(out).hasSize(3);
        assertThat(((FrameRecord.Video) out.get(2)).frame().ptsMicros()).isEqualTo(40_000);
        assertThat(((FrameRecord.Video) out.get(2)).frame().captureMillis()).isEqualTo(1_700_000_000_040L);
    }

    @Test
    void malformedContractRecordsGoToTheDeadLetterTopicWithTheReason() {
        Headers good = headers("lapstream.index", "0", "lapstream.pts", "0", "lapstream.time-base", "1/25");
        send(new byte[0], headers("lapstream.end", ""));
        send("not an image".getBytes(StandardCharsets.UTF_8), good);
        send(image("jpeg", 20, 10), headers("lapstream.pts", "0", "lapstream.time-base", "1/25"));
        send(image("jpeg", 20, 10), headers("lapstream.index", "0"));
        send(image("jpeg", 20, 10), headers("lapstream.index", "0", "lapstream.pts", "5"));
        send(image("jpeg", 20, 10), headers("lapstream.index", "x", "lapstream.pts", "0"));
        byte[] corrupt = image("jpeg", 20, 10);
        java.util.Arrays.fill(corrupt, 20, corrupt.length, (byte) 7);
        send(corrupt, good);
        send(image("jpeg", 20, 10), good);
        send(image("jpeg", 24, 10), headers("lapstream.index", "1", "lapstream.pts", "1", "lapstream.time-base",
                "1/25"));

        List<String> reasons = reasons();
        assertThat(reasons).hasSize(8);
        assertThat(reasons.get(6)).startsWith("corrupt image");
        assertThat(reasons.subList(0, 6)).containsExactly(
                "end marker of stream 'cam' before any frame",
                "value is not a JPEG or PNG image",
                "missing header lapstream.index",
                "missing header lapstream.pts (with lapstream.time-base) or lapstream.capture-ms",
                "header lapstream.pts without lapstream.time-base (e.g. 1/90000)",
                "header lapstream.index is not an integer: 'x'");
        assertThat(reasons.get(7)).isEqualTo("frame 1 is 24x10, stream 'cam' started at 20x10");
        assertThat(output()).hasSize(2); // the good frame: the stream's start and its first frame
    }

    @Test
    void anUpscaledFrameOverTheRecordLimitIsRefusedNamingTheSetting() {
        startWithRecordLimit(1000);
        send(image("jpeg", 20, 20), headers("lapstream.index", "0", "lapstream.pts", "0", "lapstream.time-base",
                "1/25"));

        assertThat(reasons()).singleElement().asString().contains("max.request.size", "max.message.bytes",
                TOPICS.upscaled());
    }
}
