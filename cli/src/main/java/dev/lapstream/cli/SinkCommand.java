package dev.lapstream.cli;

import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import dev.lapstream.sink.StreamSink;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code lapstream sink}: write one upscaled stream to a file. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Encode one stream from the upscaled topic to an MP4 file, until its end record.")
final class SinkCommand implements Callable<Integer> {

    @Spec
    CommandSpec cli;

    @Mixin
    ConfigOption config;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "Stream id to write.")
    String stream;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file (.mp4, .mkv, .ts).")
    Path output;

    @Option(names = "--from-latest", description = "Wait for a run of the stream that starts from now on (default: the stream's newest"
                    + " start on the topic, so a reused stream id gives its latest run).")
    boolean fromLatest;

    @Option(names = "--stall-timeout", defaultValue = "600", converter = Counts.Positive.class,
            description = "Give up when no record arrives for this many seconds (default: ${DEFAULT-VALUE}).")
    int stallSeconds;

    @Mixin
    OpsOptions ops;

    @Override
    public Integer call() {
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
