package dev.lapstream.cli;

import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.ingest.FrameProducer;
import dev.lapstream.ingest.VideoInputException;
import dev.lapstream.ingest.VideoSource;
import dev.lapstream.ingest.VideoSourceOptions;
import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code lapstream ingest}: decode a file or URL and publish it as one stream. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Decode a video file or URL and publish its frames and audio to the frames topic.")
final class IngestCommand implements Callable<Integer> {

    @Spec
    CommandSpec cli;

    @Mixin
    ConfigOption config;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "INPUT", description = "Video file or URL (http, https, rtsp).")
    String input;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "Stream id (the record key).")
    String stream;

    @ArgGroup(multiplicity = "0..1")
    SpecOptions spec;

    @Option(names = "--partitions", defaultValue = "4", converter = Counts.Positive.class,
            description = "Partitions of the frame topics if this command creates them (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--network-timeout", defaultValue = "15", paramLabel = "SECONDS",
            description = "Give up when a network input stalls this long (default: ${DEFAULT-VALUE}).")
    int networkTimeout;

    @Option(names = "--max-dimension", defaultValue = "" + VideoSourceOptions.DEFAULT_MAX_DIMENSION,
            paramLabel = "PIXELS",
            description = "Refuse inputs wider or taller than this, before decoding (default: ${DEFAULT-VALUE}).")
    int maxDimension;

    @Mixin
    OpsOptions ops;
    @Option(names = "--frames-codec", paramLabel = "CODEC", defaultValue = PixelCodec.FRAMES_DEFAULT,
            description = "How frames travel on the frames topic: raw, lossless, png, jpeg or jpeg:Q"
                    + " (default: ${DEFAULT-VALUE}).")
    String framesCodec;

    @Override
    public Integer call() {
        StreamSpec parsed = spec == null ? null : spec.spec();
        ClientConfig client = kafka.client();
        PixelCodec codec = PixelCodec.parse(framesCodec);
        VideoSourceOptions options = VideoSourceOptions.defaults().withMaxDimensions(maxDimension, maxDimension)
                .withNetworkTimeout(Duration.ofSeconds(networkTimeout));
        KafkaReach.check(client);
        try (VideoSource source = VideoSource.open(input, options)) {
            if (parsed != null) {
                parsed.outputSize(source.info().width(), source.info().height());
            }
            try (Admin admin = Admin.create(client.admin())) {
                TopicSetup.ensure(admin, kafka.topics(), partitions, kafka.maxMessageBytes);
            }
            if (parsed != null) {
                StreamSpecs.publish(client, kafka.topics(), stream, parsed.toJson());
            } else if (!StreamSpecs.current(client, kafka.topics()).containsKey(stream)) {
                cli.commandLine().getErr().println("lapstream: warning: stream '" + stream + "' has no spec on "
                        + kafka.topics().streams() + ", so workers send its frames to " + kafka.topics().dlq()
                        + "; give one with --scale/--size or `lapstream streams set " + stream + " --scale S`");
            }
            Health health = new Health().ready("ingest", () -> Health.Status.up("publishing " + stream));
            try (ProcessMetrics metrics = new ProcessMetrics(); OpsServer server = ops.serve(metrics, health);
                 FrameProducer producer = new FrameProducer(client, kafka.topics(), kafka.maxMessageBytes, codec);
                 KafkaClientMetrics clientMetrics = producer.bindMetrics(metrics.registry())) {
                FrameProducer.Result result = producer.publish(stream, source, ProgressMeter.frames(
                        metrics.registry(), "lapstream.ingest.frames", "Frames decoded and published", stream));
                System.out.println("published " + stream + ": " + result.frames() + " frames, "
                        + result.audioChunks() + " audio chunks" + (result.truncated() ? " (input truncated: "
                        + result.warning() + ")" : ""));
                return result.truncated() ? ErrorHandler.BAD_INPUT : 0;
            }
        } catch (VideoInputException | InvalidSpecException e) {
            throw new ErrorHandler.UserError(e.getMessage(), e);
        }
    }
}
