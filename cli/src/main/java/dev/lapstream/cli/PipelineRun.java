package dev.lapstream.cli;

import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.Size;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.ingest.FrameProducer;
import dev.lapstream.ingest.Published;
import dev.lapstream.ingest.VideoSource;
import dev.lapstream.processor.Worker;
import dev.lapstream.sink.StreamSink;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One stream through the whole pipeline in this JVM: (embedded) broker, topics, the stream's spec, a worker,
 * the sink, and the ingest on its own thread. Returns when the sink has written the stream's end.
 */
final class PipelineRun {

    /**
     * @param client        the cluster to use; one without bootstrap servers means an embedded broker
     * @param dashboardPort where {@code --dashboard} serves the page, or null for none
     * @param state         where the embedded broker keeps its log so the run can be resumed (null with a bootstrap)
     * @param resume        continue the run kept in {@code state} instead of starting one
     */
    record Options(ClientConfig client, String topicPrefix, ModelOptions model, PixelCodec framesCodec,
                   PixelCodec upscaledCodec, int stallSeconds, boolean progress, Integer dashboardPort,
                   RunState state, boolean resume, int transactionTimeoutSeconds) {
    }

    /** What the user sees at the end. */
    record Summary(StreamSink.Result result, StreamSpec spec, double seconds, String warning) {

        boolean complete() {
            return result.complete();
        }

        String describe() {
            double inSeconds = (result.endPtsMicros() - result.firstPtsMicros()) / 1e6;
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "%s %d/%d frames, %dx%d (%s), %.2f s of video, %d audio chunks, in %.1f s (%.1f fps) -> %s",
                    result.complete() ? "done:" : "INCOMPLETE:", result.frames(), result.expectedFrames(),
                    result.info().width(), result.info().height(), spec.describe(), inSeconds, result.audioChunks(),
                    seconds, result.frames() / Math.max(seconds, 1e-9), result.output()));
            for (StreamSink.Segment seg : result.segments().subList(1, result.segments().size())) {
                s.append(String.format(Locale.ROOT, "%n  from frame %d: %dx%d, %d frames -> %s", seg.firstFrame(),
                        seg.width(), seg.height(), seg.frames(), seg.file()));
            }
            if (result.missing() > 0) {
                s.append(String.format(Locale.ROOT, "%n%d frames missing: see the dead-letter topic", result.missing()));
            }
            if (warning != null) {
                s.append(System.lineSeparator()).append("warning: ").append(warning);
            }
            return s.toString();
        }
    }

    /** Frames per second with a leading zero ({@code 0.7}, not ProgressBar's default {@code .7}). */
    static final java.text.DecimalFormat SPEED_FORMAT = new java.text.DecimalFormat("0.0",
            java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));

    private final Options options;
    private final GracefulStop stop;

    PipelineRun(Options options, GracefulStop stop) {
        this.options = options;
        this.stop = stop;
    }

    Summary run(VideoSource source, StreamSpec spec, Size outSize, Path output) {
        int maxBytes = EmbeddedKafka.MAX_MESSAGE_BYTES;
        long frameBytes = FrameCodec.videoRecordBytes(outSize.width(), outSize.height());
        if (options.upscaledCodec().format() == PixelCodec.RAW && frameBytes > maxBytes) {
            throw new InvalidSpecException("an upscaled " + outSize + " frame (" + frameBytes / (1 << 20)
                    + " MB) exceeds the " + maxBytes / (1 << 20) + " MB record limit of the upscaled topic");
        }
        long t0 = System.nanoTime();
        Topics topics = Topics.withPrefix(options.topicPrefix());
        RunState state = options.state();
        String fresh = streamId(source.info().source());
        String streamId = state == null ? fresh : state.streamId(fresh);
        if (options.client().bootstrap() != null) {
            KafkaReach.check(options.client());
        }
        EmbeddedKafka embedded = options.client().bootstrap() != null ? null
                : state != null ? EmbeddedKafka.startKept(state.kafkaDir()) : EmbeddedKafka.start();
        ClientConfig client = embedded != null ? options.client().withBootstrap(embedded.bootstrapServers())
                : options.client();
        try (Admin admin = Admin.create(client.admin())) {
            TopicSetup.ensure(admin, topics, 1, maxBytes);
            StreamSpecs.publish(client, topics, streamId, spec.toJson());
            Worker.Settings settings = Worker.Settings.defaults(client, topics, maxBytes)
                    .withTimeouts(Duration.ofSeconds(options.transactionTimeoutSeconds()), Duration.ofSeconds(10))
                    .withUpscaledCodec(options.upscaledCodec())
                    .withController(options.model().tuning())
                    .withBatching(options.model().batching());
            try (LocalDashboard dashboard = options.dashboardPort() == null ? null
                         : new LocalDashboard(options.dashboardPort(), client, topics, maxBytes);
                 Upscaler upscaler = options.model().create();
                 Worker worker = dashboard == null ? new Worker(settings, upscaler)
                         : new Worker(settings, upscaler, dashboard.registry());
                 StreamSink sink = new StreamSink(client, topics, streamId, output, maxBytes);
                 FrameProducer producer = new FrameProducer(client, topics, maxBytes, options.framesCodec())) {
                Published done = Published.NOTHING;
                if (options.resume()) {
                    // every committed upscaled frame is encoded again; only what was not upscaled is upscaled
                    sink.fromNewestStart();
                    done = Published.scan(client, topics, streamId, maxBytes);
                } else {
                    sink.fromLatest();
                }
                Published alreadyPublished = done;
                stop.onStop(() -> {
                    sink.stop();
                    producer.stop();
                });
                if (dashboard != null) {
                    dashboard.workerHealth().modelLoaded(upscaler.name());
                    dashboard.workerHealth().started(worker);
                }
                worker.start(Duration.ofSeconds(120));
                AtomicReference<Throwable> ingestFailure = new AtomicReference<>();
                AtomicReference<FrameProducer.Result> ingested = new AtomicReference<>();
                Thread ingest = new Thread(() -> {
                    try {
                        ingested.set(producer.publish(streamId, source, n -> { }, alreadyPublished));
                    } catch (Throwable e) {
                        ingestFailure.set(e);
                    }
                }, "lapstream-ingest");
                ingest.setDaemon(true);
                ingest.start();
                StreamSink.Result result;
                try (ProgressBar bar = progressBar(source.info().frameCount())) {
                    result = sink.run(n -> {
                        if (bar != null) {
                            bar.stepTo(n);
                        }
                    }, () -> worker.failure() == null && ingestFailure.get() == null,
                            Duration.ofSeconds(options.stallSeconds()));
                } catch (IllegalStateException e) {
                    Throwable cause = ingestFailure.get() != null ? ingestFailure.get() : worker.failure();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw cause == null ? e : new IllegalStateException(cause.getMessage(), cause);
                }
                if (result.interrupted()) {
                    producer.stop(); // the ingest thread still reads the source, which closes after this returns
                }
                join(ingest);
                String warning = ingested.get() == null ? null : ingested.get().warning();
                return new Summary(result, spec, (System.nanoTime() - t0) / 1e9, warning);
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private ProgressBar progressBar(long frames) {
        if (!options.progress()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("upscale").setInitialMax(frames > 0 ? frames : -1)
                .setUnit(" fr", 1).showSpeed(SPEED_FORMAT).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .build();
    }

    /** A stream id from the input's name plus a random suffix, so runs on a shared cluster never mix. */
    static String streamId(String source) {
        String base = source == null ? "stream" : source.replaceAll(".*[/\\\\]", "").replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty()) {
            base = "stream";
        }
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
