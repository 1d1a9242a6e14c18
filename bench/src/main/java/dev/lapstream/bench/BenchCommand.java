package dev.lapstream.bench;

import dev.lapstream.broker.KafkaClientOptions;
import dev.lapstream.core.spec.Size;
import dev.lapstream.model.ShippedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lapstream bench}: the throughput benchmark; prints figures, asserts nothing. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure, in one run: model-only fps vs fps through Kafka on the same frames; fps and PSNR"
                + " per AnySR width; achieved GFLOP/s vs a TensorFlow MatMul peak; the width controller under"
                + " 1.5x overload, then 0.5x; the model alone at batch 1 vs --batch. With --batches: only that. With --codecs: what each frame codec costs instead. With --soak: a"
                + " worker process's memory over a long run instead.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR", description = "SavedModel directory (default: the shipped model, models/" + ShippedModel.NAME + ").")
    Path model;

    @Option(names = "--input", paramLabel = "VIDEO",
            description = "Ground-truth video (default: samples/vtest-192x144.mp4).")
    Path input;

    @Option(names = "--frames", defaultValue = "20", description = "Frames to use (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--scale", defaultValue = "2", description = "Upscaling factor (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--threads", defaultValue = "0",
            description = "TensorFlow intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--phase", defaultValue = "20",
            description = "Seconds of each load phase of the controller test (default: ${DEFAULT-VALUE}).")
    int phaseSeconds;

    @Option(names = "--model-soak", defaultValue = "2000", paramLabel = "FRAMES",
            description = "Frames (48x48 crops, narrowest width) run through the model in this process while resident"
                    + " memory is sampled, 0 to skip (default: ${DEFAULT-VALUE}).")
    int modelSoak;

    @Option(names = "--soak", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Instead of the benchmark: run --soak-streams streams of the --input clip, looped, through"
                    + " a worker process with its default heap on an embedded broker for DURATION (90s, 10m, 2h),"
                    + " printing the worker's resident memory and heap every --soak-interval and their slope.")
    Duration soak;

    @Option(names = "--soak-interval", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Time between memory samples of --soak (default: ${DEFAULT-VALUE}).")
    Duration soakInterval;

    @Option(names = "--soak-streams", defaultValue = "4", description = "Streams of --soak (default: ${DEFAULT-VALUE}).")
    int soakStreams;

    @Option(names = "--soak-upscaler", defaultValue = "asdn",
            description = "The soak worker's --upscaler: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    SoakRunner.Upscaler soakUpscaler;

    @Option(names = "--kafka-frames", defaultValue = "100",
            description = "Backlog of frames (the --frames cycled) per round through Kafka (default: ${DEFAULT-VALUE}).")
    int kafkaFrames;

    @Option(names = "--kafka-rounds", defaultValue = "4",
            description = "Rounds of (model alone, through Kafka), in alternating order (default: ${DEFAULT-VALUE}).")
    int kafkaRounds;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Measure through this Kafka cluster instead of an embedded broker.")
    String bootstrap;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "N",
            description = "Batch size the model alone is compared at against batch 1 (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--batches", description = "Measure only the model alone at batch 1 vs --batch, on --frames"
            + " frames of --input.")
    boolean batches;

    @Option(names = "--codecs", description = "Measure the frame codecs instead (bytes, encode/decode ms, PSNR,"
            + " producer compression, fps through Kafka) and nothing else.")
    boolean codecs;

    @Option(names = "--codec-list", split = ",", paramLabel = "CODEC",
            defaultValue = "raw,lossless,png,jpeg:95,jpeg:90,jpeg:80",
            description = "Codecs for --codecs (default: ${DEFAULT-VALUE}).")
    List<String> codecList;

    @Option(names = "--codec-sizes", split = ",", paramLabel = "WxH", defaultValue = "640x480,1920x1080",
            description = "Frame sizes for --codecs (default: ${DEFAULT-VALUE}).")
    List<String> codecSizes;

    @Option(names = "--codec-images", paramLabel = "DIR",
            description = "Photos the --codecs frames are cut from (default: ../shared/data/train).")
    Path codecImages;

    private final SoakRunner soakRunner;

    /** @param soakRunner what {@code --soak} runs */
    public BenchCommand(SoakRunner soakRunner) {
        this.soakRunner = soakRunner;
    }

    private void soak(Path root, Path video) throws Exception {
        if (bootstrap != null) {
            throw new IllegalArgumentException("--soak runs on an embedded broker; drop --bootstrap");
        }
        Path modelDir = null;
        if (soakUpscaler == SoakRunner.Upscaler.asdn) {
            modelDir = model != null ? model : ShippedModel.directory(root);
            if (!Files.isDirectory(modelDir)) {
                throw new IllegalArgumentException("no model at " + modelDir + " (give --model DIR, or --soak-upscaler"
                        + " bicubic)");
            }
        }
        soakRunner.run(new SoakRunner.Options(soak, soakInterval, soakStreams, video, scale, soakUpscaler, modelDir,
                threads), System.out);
    }

    private static Size size(String text) {
        String[] wh = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        if (wh.length != 2) {
            throw new IllegalArgumentException("size must be WxH, got '" + text + "'");
        }
        return new Size(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("lapstream.root", "."));
        if (codecs) {
            Path images = codecImages != null ? codecImages : root.resolve("../shared/data/train");
            if (!Files.isDirectory(images)) {
                throw new IllegalArgumentException("no images at " + images + " (give --codec-images DIR)");
            }
            new CodecBenchmark(new CodecBenchmark.Options(images, codecSizes.stream().map(BenchCommand::size).toList(),
                    codecList, 8, kafkaFrames / 4, kafka.resolve(bootstrap)), System.out).run();
            return 0;
        }
        Path video = input != null ? input : root.resolve("samples/vtest-192x144.mp4");
        if (!Files.isRegularFile(video)) {
            throw new IllegalArgumentException("no video at " + video + " (give --input VIDEO)");
        }
        if (soak != null) {
            soak(root, video);
            return 0;
        }
        Path modelDir = model != null ? model : ShippedModel.directory(root);
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("no model at " + modelDir + " (give --model DIR)");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        PipelineBenchmark benchmark = new PipelineBenchmark(new PipelineBenchmark.Options(modelDir, video, frames,
                scale, threads, Duration.ofSeconds(phaseSeconds), modelSoak, kafkaFrames, kafkaRounds,
                kafka.resolve(bootstrap), batch), System.out);
        if (batches) {
            benchmark.batches();
        } else {
            benchmark.run();
        }
        return 0;
    }
}
