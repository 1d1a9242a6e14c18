package dev.lapstream.trainer;

import dev.lapstream.model.Checkpoint;
import dev.lapstream.model.InferenceGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lapstream export}: training checkpoint to a SavedModel the engine serves. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a training checkpoint as a SavedModel (signatures serving_default and with_width).")
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", defaultValue = "checkpoints/asdn/ckpt.bin") Path checkpoint;

    @Option(names = "--out", required = true, description = "SavedModel directory to (over)write.") Path out;

    @Override
    public Integer call() throws Exception {
        Checkpoint ck = Checkpoint.read(checkpoint);
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        InferenceGraph.export(ck.config(), ck.weights(), out);
        String meta = String.format(Locale.ROOT,
                "{\"step\":%d,\"seed\":%d,\"trainingSeconds\":%.0f,\"config\":%s,\"trainer\":%s}%n", ck.step(),
                ck.seed(), ck.wallSeconds(), ck.config().toJson(), ck.trainerJson() == null ? "null" : ck.trainerJson());
        Files.writeString(out.resolve("training.json"), meta, StandardCharsets.UTF_8);
        System.out.println("exported step " + ck.step() + " to " + out);
        return 0;
    }
}
