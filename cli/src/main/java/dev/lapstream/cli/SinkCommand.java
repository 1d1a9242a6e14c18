package dev.lapstream.cli;

import dev.lapstream.broker.TopicSetup;
import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import dev.lapstream.sink.HlsOrigin;
import dev.lapstream.sink.SegmentOptions;
import dev.lapstream.sink.SinkService;
import dev.lapstream.sink.StreamSink;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code lapstream sink}: the sink service for every stream, or one stream to one file. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Publish upscaled streams as encoded video.",
                "Without --stream, a service like the worker: follows every stream matching --streams on the upscaled"
                        + " topic (sink instances with the same --group-id share its partitions) and publishes each"
                        + " as ~2 s MPEG-TS segments on the encoded topic, as live HLS (--hls-dir, served at /hls/ on"
                        + " --metrics-port) and as MP4 files (--output-dir); runs until stopped (SIGTERM, Ctrl-C).",
                "With --stream ID -o FILE: encodes that one stream to FILE, until its end record."})
final class SinkCommand implements Callable<Integer> {

    /** The service's options, refused with --stream. */
    private static final List<String> SERVICE_OPTIONS = List.of("--streams", "--group-id", "--instance",
            "--output-dir", "--hls-dir", "--hls-window", "--serve-hls", "--encoded", "--no-encoded",
            "--segment-seconds", "--video-bitrate", "--max-segment-bytes", "--max-streams", "--partitions",
            "--session-timeout");

    @Spec
    CommandSpec cli;

    @Mixin
    ConfigOption config;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--stream", paramLabel = "ID", description = "Write only this stream, to -o FILE.")
    String stream;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "With --stream: output file (.mp4, .mkv, .ts).")
    Path output;

    @Option(names = "--streams", paramLabel = "REGEX", defaultValue = ".*",
            description = "Service: follow the streams whose whole id matches (default: ${DEFAULT-VALUE}).")
    String streams;

    @Option(names = "--group-id", defaultValue = "lapstream-sink",
            description = "Service: the consumer group sink instances share (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "Service: this instance's name in the group, the same across its restarts (a restart then"
                    + " aborts its predecessor's open transaction at once); distinct per instance (default: the"
                    + " host name).")
    String instance;

    @Option(names = "--output-dir", paramLabel = "DIR",
            description = "Service: write each stream to DIR/<stream>.mp4 (default: no files).")
    Path outputDir;

    @Option(names = "--hls-dir", paramLabel = "DIR",
            description = "Service: live HLS in DIR/<stream>/index.m3u8 (default: no HLS).")
    Path hlsDir;

    @Option(names = "--hls-window", defaultValue = "6", converter = Counts.NonNegative.class,
            description = "Service: segments in an HLS playlist, 0 for all (default: ${DEFAULT-VALUE}).")
    int hlsWindow;

    // on the metrics port, like the dashboard's page: one port per process to publish; an Ingress routes /hls/ only
    @Option(names = "--serve-hls", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Service: with --hls-dir, serve it over HTTP on --metrics-port: DIR/<stream>/index.m3u8 as"
                    + " /hls/<stream>/index.m3u8, the streams as JSON at /hls/ (default: ${DEFAULT-VALUE}).")
    boolean serveHls;

    @Option(names = "--encoded", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Service: publish segments on the encoded topic (default: ${DEFAULT-VALUE}).")
    boolean encoded;

    @Option(names = "--segment-seconds", defaultValue = "2.0",
            description = "Service: segment length; the latency from capture to a published segment is at least"
                    + " this, shorter segments compress less well (default: ${DEFAULT-VALUE}).")
    double segmentSeconds;

    @Option(names = "--video-bitrate", paramLabel = "BPS", defaultValue = "0", converter = Counts.NonNegative.class,
            description = "Service: H.264 bits per second of the segments; 0 sizes it to the picture, capped so a"
                    + " segment stays well under --max-segment-bytes (default: ${DEFAULT-VALUE}).")
    int videoBitrate;

    @Option(names = "--max-segment-bytes", defaultValue = "1000000", converter = Counts.Positive.class,
            description = "Service: largest segment record; a segment that nears it ends early (default:"
                    + " ${DEFAULT-VALUE}, under the broker's default 1 MB record limit).")
    int maxSegmentBytes;

    @Option(names = "--max-streams", defaultValue = "64", converter = Counts.Positive.class,
            description = "Service: streams encoded at once; a stream beyond it is refused with an error (memory"
                    + " is one segment and two encoders per stream) (default: ${DEFAULT-VALUE}).")
    int maxStreams;

    @Option(names = "--partitions", defaultValue = "4", converter = Counts.Positive.class,
            description = "Service: partitions of the topics when this sink creates them (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--session-timeout", defaultValue = "15", converter = Counts.Positive.class,
            description = "Service: seconds before a vanished instance's partitions move to the others; an instance"
                    + " restarted with the same --instance takes them back at once (default: ${DEFAULT-VALUE}).")
    int sessionTimeout;

    @Option(names = "--from-latest", description = "With --stream: wait for a run of the stream that starts from now on"
            + " (default: the stream's newest start on the topic). Service: a new group starts at the topic's end"
            + " (default: its beginning).")
    boolean fromLatest;

    @Option(names = "--stall-timeout", defaultValue = "600", converter = Counts.Positive.class,
            description = "With --stream: give up when no record arrives for this many seconds. Service: close a"
                    + " stream that sent nothing for this long without its end record, as truncated (default:"
                    + " ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Mixin
    OpsOptions ops;

    @Override
    public Integer call() throws IOException {
        if (stream != null) {
            for (String name : SERVICE_OPTIONS) {
                if (cli.commandLine().getParseResult().hasMatchedOption(name)) {
                    throw new ParameterException(cli.commandLine(), name + " is an option of the sink service;"
                            + " --stream writes one stream to -o FILE");
                }
            }
            if (output == null) {
                throw new ParameterException(cli.commandLine(), "--stream needs -o FILE");
            }
            return oneStream();
        }
        if (output != null) {
            throw new ParameterException(cli.commandLine(), "-o needs --stream ID; the service writes every stream"
                    + " to --output-dir DIR");
        }
        return service();
    }

    private int service() throws IOException {
        Pattern pattern;
        try {
            pattern = Pattern.compile(streams);
        } catch (PatternSyntaxException e) {
            throw new ParameterException(cli.commandLine(), "--streams: not a regular expression: "
                    + e.getDescription() + " in '" + streams + "'");
        }
        SegmentOptions segments;
        try {
            segments = new SegmentOptions(Math.round(segmentSeconds * 1e6), videoBitrate, maxSegmentBytes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli.commandLine(), e.getMessage());
        }
        if (outputDir == null && hlsDir == null && !encoded) {
            throw new ParameterException(cli.commandLine(), "nothing to publish: --no-encoded without --hls-dir or"
                    + " --output-dir");
        }
        for (Path dir : new Path[]{outputDir, hlsDir}) {
            if (dir != null) {
                Files.createDirectories(dir);
            }
        }
        String name = instance != null ? instance : InetAddress.getLocalHost().getHostName();
        SinkService.Settings settings = new SinkService.Settings(kafka.client(), kafka.topics(), groupId, name,
                pattern, outputDir, hlsDir, hlsWindow, encoded, segments, kafka.maxMessageBytes, maxStreams,
                fromLatest, Duration.ofSeconds(stallSeconds), Duration.ofSeconds(sessionTimeout));
        KafkaReach.check(settings.client());
        try (Admin admin = Admin.create(settings.client().admin())) {
            TopicSetup.ensure(admin, kafka.topics(), partitions, kafka.maxMessageBytes);
        }
        Health health = new Health();
        try (GracefulStop stop = new GracefulStop(); ProcessMetrics metrics = new ProcessMetrics();
             OpsServer server = ops.serve(metrics, health);
             SinkService service = new SinkService(settings, r -> System.out.println(r.describe()),
                     metrics.registry());
             KafkaClientMetrics clientMetrics = service.bindMetrics(metrics.registry())) {
            stop.onStop(service::stop);
            if (hlsDir != null && serveHls) {
                server.handle(HlsOrigin.PATH, new HlsOrigin(hlsDir));
                System.err.println("HLS: " + server.uri().resolve(HlsOrigin.PATH.substring(1)) + "<stream>/"
                        + HlsOrigin.PLAYLIST);
            }
            health.ready("sink", () -> service.running()
                    ? Health.Status.up("encoding " + service.openStreams() + " streams")
                    : Health.Status.down("not following the upscaled topic"));
            System.err.println("lapstream sink running (group " + groupId + ", instance " + name + ", streams /"
                    + streams + "/; " + outputs() + "); Ctrl-C to stop");
            service.run();
        }
        return 0;
    }

    private String outputs() {
        StringBuilder s = new StringBuilder();
        if (encoded) {
            s.append("segments to ").append(kafka.topics().encoded());
        }
        if (hlsDir != null) {
            s.append(s.isEmpty() ? "" : ", ").append("HLS in ").append(hlsDir);
        }
        if (outputDir != null) {
            s.append(s.isEmpty() ? "" : ", ").append("files in ").append(outputDir);
        }
        return s.toString();
    }

    private int oneStream() {
        OutputFile.check(output, null);
        KafkaReach.check(kafka.client());
        Health health = new Health();
        try (GracefulStop stop = new GracefulStop(); ProcessMetrics metrics = new ProcessMetrics();
             OpsServer server = ops.serve(metrics, health);
             StreamSink sink = new StreamSink(kafka.client(), kafka.topics(), stream, output, kafka.maxMessageBytes);
             KafkaClientMetrics clientMetrics = sink.bindMetrics(metrics.registry())) {
            stop.onStop(sink::stop);
            if (fromLatest) {
                sink.fromLatest();
            } else {
                sink.fromNewestStart();
            }
            health.ready("sink", () -> Health.Status.up("writing " + output));
            StreamSink.Result r = sink.run(ProgressMeter.frames(metrics.registry(), "lapstream.sink.frames",
                    "Frames the sink wrote", stream), () -> true, Duration.ofSeconds(stallSeconds));
            if (r.interrupted()) {
                cli.commandLine().getErr().println(UpscaleCommand.interrupted(r, r.expectedFrames()));
                return ErrorHandler.FAILED;
            }
            System.out.println((r.complete() ? "done: " : "INCOMPLETE: ") + r.frames() + "/" + r.expectedFrames()
                    + " frames, " + r.duplicates() + " duplicates skipped, " + r.missing() + " missing");
            r.segments().forEach(seg -> System.out.println("  frames " + seg.firstFrame() + ".."
                    + (seg.firstFrame() + seg.frames() - 1) + " at " + seg.width() + "x" + seg.height() + " -> "
                    + seg.file()));
            if (r.truncatedInput()) {
                cli.commandLine().getErr().println("lapstream: warning: stream '" + stream + "' was truncated at its"
                        + " source: the output has the " + r.frames() + " frames its ingest could decode");
                return ErrorHandler.BAD_INPUT;
            }
            return r.complete() ? 0 : ErrorHandler.FAILED;
        }
    }
}
