package dev.lapstream.sink;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Several streams at once through one sink service on the embedded broker, in all three forms: each stream's
 * MP4, its segments on the encoded topic (in order, under the size limit, concatenating to the stream) and its
 * HLS playlist (parsed, its segments decoded), while malformed records, a stream without its start record and
 * a stream the pattern excludes go by without stopping it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SinkServiceTest {

    static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;
    private static final Topics TOPICS = Topics.withPrefix("sinksvc");
    private static final int FRAMES = 30;
    private static final int RATE = 16_000;
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(kafka.client().admin())) {
            TopicSetup.ensure(admin, TOPICS, 2, MAX);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void severalStreamsInEveryForm() throws Exception {
        List<StreamReport> done = new CopyOnWriteArrayList<>();
        SinkService.Settings settings = new SinkService.Settings(kafka.client(), TOPICS, "sinks", "a",
                Pattern.compile("cam-.*"), dir.resolve("files"), dir.resolve("hls"), 2, true,
                SegmentOptions.ofSeconds(0.5), MAX, 8, false, Duration.ofMinutes(5), Duration.ofSeconds(10));
        Files.createDirectories(settings.fileDir());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, "cam-a", new FrameRecord.Start(info(64, 48, RATE)));
            send(producer, "cam-b", new FrameRecord.Start(info(48, 32, 0)));
            send(producer, "other", new FrameRecord.Start(info(48, 32, 0)));
            producer.send(new ProducerRecord<>(TOPICS.upscaled(), "cam-a", new byte[]{1, 2, 3}));
            send(producer, "cam-z", new FrameRecord.Video(frame(0, 32, 24)));
            for (int i = 0; i < FRAMES; i++) {
                send(producer, "cam-a", new FrameRecord.Video(frame(i, 64, 48)));
                send(producer, "cam-a", new FrameRecord.Audio(new AudioChunk(i * 50_000L, RATE, 1,
                        VideoWriterTest.tone(RATE / 20, 1, (long) i * RATE / 20, RATE))));
                send(producer, "cam-b", new FrameRecord.Video(frame(i, 48, 32)));
                send(producer, "other", new FrameRecord.Video(frame(i, 48, 32)));
            }
            for (String id : List.of("cam-a", "cam-b", "other")) {
                send(producer, id, new FrameRecord.End(FRAMES, FRAMES * 50_000L, false));
            }
            // truncated at its source, and one that starts again before its end record
            send(producer, "cam-t", new FrameRecord.Start(info(32, 24, 0)));
            send(producer, "cam-r", new FrameRecord.Start(info(32, 24, 0)));
            for (int i = 0; i < 12; i++) {
                send(producer, "cam-t", new FrameRecord.Video(frame(i, 32, 24)));
                send(producer, "cam-r", new FrameRecord.Video(frame(i % 6, 32, 24)));
                if (i == 5) {
                    send(producer, "cam-r", new FrameRecord.Start(info(32, 24, 0)));
                }
            }
            send(producer, "cam-t", new FrameRecord.End(12, 600_000L, true));
            send(producer, "cam-r", new FrameRecord.End(6, 300_000L, false));
        }
        try (SinkService service = new SinkService(settings, done::add, new SimpleMeterRegistry())) {
            Thread thread = new Thread(service::run, "sink-service");
            thread.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> done.size() == 5);
            service.stop();
            thread.join(30_000);
        }
        Map<String, StreamReport> reports = new HashMap<>();
        done.forEach(r -> reports.putIfAbsent(r.streamId(), r));
        assertThat(reports.get("cam-t").truncated()).isTrue();
        assertThat(reports.get("cam-t").frames()).isEqualTo(12);
        assertThat(done.stream().filter(r -> r.streamId().equals("cam-r")))
                .extracting(StreamReport::truncated, StreamReport::frames)
                .containsExactly(tuple(true, 6L), tuple(false, 6L));

        for (String id : List.of("cam-a", "cam-b")) {
            StreamReport r = reports.get(id);
            assertThat(r.frames()).as(id).isEqualTo(FRAMES);
            assertThat(r.missing() + r.duplicates()).as(id).isZero();
            assertThat(r.segments()).as(id).isEqualTo(3);
            assertThat(r.maxLatencyMillis()).as(id).isPositive();
        }
        assertThat(reports).doesNotContainKeys("other", "cam-z");

        VideoWriterTest.Decoded fileA = VideoWriterTest.decode(dir.resolve("files/cam-a.mp4"));
        assertThat(fileA.pts()).hasSize(FRAMES);
        assertThat(fileA.width()).isEqualTo(64);
        assertThat(fileA.pts().get(FRAMES - 1) - fileA.pts().get(0)).isEqualTo((FRAMES - 1) * 50_000L);
        assertThat(fileA.audioMicros()).isCloseTo(1_500_000L, within(100_000L));
        VideoWriterTest.Decoded fileB = VideoWriterTest.decode(dir.resolve("files/cam-b.mp4"));
        assertThat(fileB.pts()).hasSize(FRAMES);
        assertThat(fileB.width()).isEqualTo(48);
        assertThat(dir.resolve("files/other.mp4")).doesNotExist();

        Map<String, List<ConsumerRecord<String, byte[]>>> encoded = readEncoded();
        assertThat(encoded).containsOnlyKeys("cam-a", "cam-b", "cam-t", "cam-r");
        assertThat(encoded.get("cam-t")).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.FRAMES))
                .containsExactly("10", "2");
        assertThat(encoded.get("cam-r")).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.INDEX))
                .as("each run of cam-r from segment 0").containsExactly("0", "0");
        for (String id : List.of("cam-a", "cam-b")) {
            List<ConsumerRecord<String, byte[]>> records = encoded.get(id);
            assertThat(records).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.INDEX))
                    .as(id).containsExactly("0", "1", "2");
            assertThat(records).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.FIRST_PTS))
                    .containsExactly("0", "500000", "1000000");
            assertThat(records).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.DURATION))
                    .containsOnly("500000");
            assertThat(records).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.LAST))
                    .containsExactly("false", "false", "true");
            assertThat(records).allSatisfy(r -> {
                assertThat(r.value().length).isLessThan(SegmentOptions.BROKER_DEFAULT_MAX_BYTES);
                assertThat(SegmentRecords.text(r.headers(), SegmentRecords.BYTES))
                        .isEqualTo(String.valueOf(r.value().length));
            });
            VideoWriterTest.Decoded all = SegmenterTest.decodeTs(concat(records));
            assertThat(all.pts()).as(id).hasSize(FRAMES);
            assertThat(all.pts().get(FRAMES - 1) - all.pts().get(0)).isEqualTo((FRAMES - 1) * 50_000L);
        }
        assertThat(SegmentRecords.text(encoded.get("cam-a").get(0).headers(), SegmentRecords.CODECS))
                .isEqualTo("h264,aac");
        assertThat(SegmenterTest.decodeTs(concat(encoded.get("cam-a"))).audioMicros())
                .isCloseTo(1_500_000L, within(400_000L));

        Path hls = dir.resolve("hls/cam-a");
        List<String> playlist = Files.readAllLines(hls.resolve("index.m3u8"));
        assertThat(playlist).startsWith("#EXTM3U").endsWith("#EXT-X-ENDLIST")
                .contains("#EXT-X-TARGETDURATION:1", "#EXT-X-MEDIA-SEQUENCE:1");
        List<String> uris = playlist.stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(uris).containsExactly("seg-000001.ts", "seg-000002.ts");
        assertThat(playlist.stream().filter(l -> l.startsWith("#EXTINF:"))).containsOnly("#EXTINF:0.500000,");
        for (String uri : uris) {
            assertThat(SegmenterTest.decodeTs(Files.readAllBytes(hls.resolve(uri))).pts()).as(uri).hasSize(10);
        }
    }

    /**
     * Live streams: frames arrive at their frame rate, so each segment's capture-to-publish latency is its
     * length (its last frame is captured that long after its first) plus the wait for the next segment's first
     * frame, the encoding and the commit.
     */
    @Test
    void liveStreamsPublishASegmentAboutItsLengthAfterItsCapture() throws Exception {
        Map<String, StreamReport> reports = new ConcurrentHashMap<>();
        SinkService.Settings settings = new SinkService.Settings(kafka.client(), TOPICS, "live-sinks", "live",
                Pattern.compile("live-.*"), null, null, 0, true, SegmentOptions.ofSeconds(1), MAX, 8, false,
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (SinkService service = new SinkService(settings, r -> reports.put(r.streamId(), r), meters);
             KafkaProducer<String, byte[]> producer = producer()) {
            Thread thread = new Thread(service::run, "sink-service");
            thread.start();
            await().atMost(Duration.ofSeconds(30)).until(service::running);
            List<String> ids = List.of("live-0", "live-1");
            // mid-stream, the latency is on /metrics as each segment commits
            Runnable latencyOnMeters = () -> assertThat(meters.find("lapstream.sink.segment.latency")
                    .tag("stream", "live-0").timer()).isNotNull().extracting(t -> t.count()).isNotEqualTo(0L);
            for (String id : ids) {
                send(producer, id, new FrameRecord.Start(info(64, 48, 0)));
            }
            // a stream whose end record never comes: closed as truncated after the idle timeout
            send(producer, "live-lost", new FrameRecord.Start(info(64, 48, 0)));
            for (int i = 0; i < 3; i++) {
                send(producer, "live-lost", new FrameRecord.Video(frame(i, 64, 48)));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                // paced on the clock, not on sleeps: frame i goes out at i / 20 s
                long due = t0 + i * 50_000_000L;
                await().pollInterval(Duration.ofMillis(5)).until(() -> System.nanoTime() >= due);
                for (String id : ids) {
                    send(producer, id, new FrameRecord.Video(frame(i, 64, 48)));
                }
                producer.flush();
                if (i == 45) {
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(latencyOnMeters::run);
                }
            }
            for (String id : ids) {
                send(producer, id, new FrameRecord.End(60, 3_000_000L, false));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> reports.size() == ids.size() + 1);
            service.stop();
            thread.join(30_000);
        }
        StreamReport lost = reports.remove("live-lost");
        assertThat(lost.truncated()).isTrue();
        assertThat(lost.frames()).isEqualTo(3);
        assertThat(lost.segments()).isEqualTo(1);
        for (StreamReport r : reports.values()) {
            System.out.println(r.describe());
            assertThat(r.segments()).isEqualTo(3);
            assertThat(r.meanLatencyMillis()).as(r.streamId()).isBetween(1_000L, 3_000L);
        }
    }

    /** Two instances in one group take a partition each: every stream is published by exactly one of them. */
    @Test
    void instancesOfAGroupShareThePartitions() throws Exception {
        Map<String, String> publishedBy = new ConcurrentHashMap<>();
        List<SinkService> services = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (String name : List.of("s1", "s2")) {
            SinkService service = new SinkService(new SinkService.Settings(kafka.client(), TOPICS, "shared-sinks",
                    name, Pattern.compile("shared-.*"), null, null, 0, true, SegmentOptions.ofSeconds(0.5), MAX, 8,
                    false, Duration.ofMinutes(5), Duration.ofSeconds(10)), r -> publishedBy.put(r.streamId(), name),
                    new SimpleMeterRegistry());
            Thread thread = new Thread(service::run, "sink-" + name);
            thread.start();
            services.add(service);
            threads.add(thread);
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> services.stream()
                    .allMatch(s -> s.assignedPartitions() == 1));
            List<String> ids = onePerPartition("shared-", 2);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (String id : ids) {
                    send(producer, id, new FrameRecord.Start(info(32, 24, 0)));
                    for (int i = 0; i < 20; i++) {
                        send(producer, id, new FrameRecord.Video(frame(i, 32, 24)));
                    }
                    send(producer, id, new FrameRecord.End(20, 1_000_000L, false));
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> publishedBy.size() == 2);
            assertThat(publishedBy.values()).containsExactlyInAnyOrder("s1", "s2");
            Map<String, List<ConsumerRecord<String, byte[]>>> encoded = readEncoded();
            for (String id : ids) {
                assertThat(encoded.get(id)).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.INDEX))
                        .as(id).containsExactly("0", "1");
            }
        } finally {
            services.forEach(SinkService::stop);
            for (Thread t : threads) {
                t.join(30_000);
            }
            services.forEach(SinkService::close);
        }
    }

    /** Ids {@code prefix0..} that the default partitioner puts on partitions 0 .. n-1, one each. */
    static List<String> onePerPartition(String prefix, int partitions) {
        String[] ids = new String[partitions];
        for (int n = 0, found = 0; found < partitions; n++) {
            String id = prefix + n;
            int p = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    id.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
            if (ids[p] == null) {
                ids[p] = id;
                found++;
            }
        }
        return List.of(ids);
    }

    static StreamInfo info(int w, int h, int audioRate) {
        return new StreamInfo(w, h, 20, FRAMES * 50_000L, FRAMES, audioRate, audioRate > 0 ? 1 : 0, "test");
    }

    static VideoFrame frame(int i, int w, int h) {
        return new VideoFrame(i, i * 50_000L, System.currentTimeMillis(), VideoWriterTest.picture(w, h, i));
    }

    static byte[] concat(List<ConsumerRecord<String, byte[]>> records) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        records.forEach(r -> all.writeBytes(r.value()));
        return all.toByteArray();
    }

    static void send(KafkaProducer<String, byte[]> producer, String stream, FrameRecord record) {
        producer.send(new ProducerRecord<>(TOPICS.upscaled(), stream, FrameCodec.encode(record)));
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX), new StringSerializer(), new ByteArraySerializer());
    }

    /** The encoded topic's committed records by stream, in partition order. */
    static Map<String, List<ConsumerRecord<String, byte[]>>> readEncoded() {
        Map<String, List<ConsumerRecord<String, byte[]>>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.encoded()).stream()
                    .map(p -> new TopicPartition(TOPICS.encoded(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return out;
    }
}
