package dev.lapstream.cli;

import dev.lapstream.broker.KafkaClientOptions;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.Size;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.ingest.VideoInputException;
import dev.lapstream.ingest.VideoSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lapstream upscale}: one file or URL through the whole pipeline, in this JVM. */
@Command(name = "upscale", mixinStandardHelpOptions = true,
        description = {"Upscale a video through Kafka: decode, publish frames, upscale in a Kafka Streams worker,"
                + " re-encode to H.264/MP4 with the input's audio and timestamps.",
                "Without --bootstrap an embedded single-node Kafka broker runs in this process."})
final class UpscaleCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "INPUT", description = "Video file or URL (http, https, rtsp).")
    String input;

    @ArgGroup(multiplicity = "1")
    SpecOptions target;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Output MP4 (default: next to the input, named INPUT.<scale>.mp4).")
    Path output;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers; without it (and without bootstrap.servers in --kafka-config) an"
                    + " embedded broker is started and stopped.")
    String bootstrap;

    @Mixin
    KafkaClientOptions kafkaClient;

    @Mixin
    ModelOptions model;

    @Option(names = "--topic-prefix", defaultValue = "lapstream",
            description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--frames-codec", paramLabel = "CODEC", defaultValue = PixelCodec.FRAMES_DEFAULT,
            description = "How frames travel on the frames topic: raw, lossless, png, jpeg or jpeg:Q"
                    + " (default: ${DEFAULT-VALUE}).")
    String framesCodec;

    @Option(names = "--upscaled-codec", paramLabel = "CODEC", defaultValue = PixelCodec.UPSCALED_DEFAULT,
            description = "How upscaled frames travel on the upscaled topic: raw, lossless, png, jpeg or jpeg:Q"
                    + " (default: ${DEFAULT-VALUE}).")
    String upscaledCodec;

    @Option(names = "--stall-timeout", defaultValue = "120", converter = Counts.Positive.class,
            description = "Give up when no frame arrives for this many seconds (default: ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Option(names = "--no-progress", description = "No progress bar (for logs and scripts).")
    boolean noProgress;

    @Option(names = "--dashboard", description = "Serve the live dashboard (and /metrics) on 127.0.0.1 while it runs.")
    boolean dashboard;

    @Option(names = "--dashboard-port", defaultValue = "8090", paramLabel = "PORT",
            description = "Port of --dashboard; 0 takes a free one (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--resume", description = "Continue the interrupted or killed run of this output from what it"
            + " committed (its state is kept in OUT.lapstream until the run finishes).")
    boolean resume;

    @Option(names = "--transaction-timeout", defaultValue = "60", converter = Counts.Positive.class,
            description = "Seconds before the open transaction of a killed run is aborted, which a resumed run"
                    + " waits for; must exceed the time to upscale 4 frames (default: ${DEFAULT-VALUE}).")
    int transactionTimeout;

    @Override
    public Integer call() {
        StreamSpec spec = target.spec();
        Path out = output != null ? output : defaultOutput(input, spec);
        OutputFile.check(out, input);
        ClientConfig client = kafkaClient.resolve(bootstrap);
        RunState state = client.bootstrap() == null ? RunState.of(out) : null;
        if (resume && state == null) {
            throw new ErrorHandler.UserError("--resume continues runs on the embedded broker; with --bootstrap"
                    + " restart the worker and sink instead (they continue from their committed offsets)", null);
        }
        if (resume && !state.exists()) {
            throw new ErrorHandler.UserError("nothing to resume: no unfinished run of " + out + " (" + state.dir()
                    + ")", null);
        }
        if (!resume && state != null && state.exists()) {
            throw new ErrorHandler.UserError(state.dir() + " holds an unfinished run of " + out
                    + ": continue it with --resume, or delete it to start over", null);
        }
        try (GracefulStop stop = new GracefulStop(); VideoSource source = VideoSource.open(input)) {
            Size outSize = spec.outputSize(source.info().width(), source.info().height());
            PipelineRun.Options options = new PipelineRun.Options(client, topicPrefix, model,
                    PixelCodec.parse(framesCodec), PixelCodec.parse(upscaledCodec), stallSeconds, !noProgress,
                    dashboard ? dashboardPort : null, state, resume, transactionTimeout);
            PipelineRun.Summary summary = new PipelineRun(options, stop).run(source, spec, outSize, out);
            if (summary.result().interrupted()) {
                System.err.println(interrupted(summary.result(), source.info().frameCount())
                        + (state != null ? "; continue with --resume" : ""));
                return ErrorHandler.FAILED;
            }
            if (state != null) {
                state.delete();
            }
            System.out.println(summary.describe());
            if (summary.result().truncatedInput()) {
                throw new ErrorHandler.UserError(input + " is truncated or corrupt (" + summary.warning()
                        + "); its " + summary.result().frames() + " decodable frames were written to " + out, null);
            }
            return summary.complete() ? 0 : ErrorHandler.FAILED;
        } catch (VideoInputException | InvalidSpecException e) {
            throw new ErrorHandler.UserError(e.getMessage(), e);
        }
    }

    static Path defaultOutput(String input, StreamSpec spec) {
        boolean url = input.contains("://");
        String name = url ? "stream" : Path.of(input).getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String file = stem + "." + spec.describe().toLowerCase(Locale.ROOT) + ".mp4";
        Path dir = url ? Path.of("") : Path.of(input).toAbsolutePath().getParent();
        return dir == null ? Path.of(file) : dir.resolve(file);
    }

    /** How far an interrupted run got. */
    static String interrupted(dev.lapstream.sink.StreamSink.Result r, long expected) {
        if (r.frames() == 0) {
            return "lapstream: interrupted before the first frame was upscaled; nothing written";
        }
        return "lapstream: interrupted after " + r.frames() + (expected > 0 ? " of " + expected : "")
                + " frames; " + r.output() + " holds them and plays";
    }
}
