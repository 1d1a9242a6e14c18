package dev.lapstream.trainer;

import dev.lapstream.model.Checkpoint;
import dev.lapstream.model.InferenceGraph;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        export(ck, out);
        System.out.println("exported step " + ck.step() + " to " + out);
        return 0;
    }

    /** (Over)writes {@code out} with the checkpoint's SavedModel, {@code asdn.json} and {@code training.json}. */
    static void export(Checkpoint ck, Path out) throws IOException {
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        InferenceGraph.export(ck.config(), ck.weights(), out);
        ObjectMapper json = new ObjectMapper();
        ObjectNode meta = json.createObjectNode().put("step", ck.step()).put("seed", ck.seed())
                .put("trainingSeconds", Math.round(ck.wallSeconds()));
        meta.set("config", json.valueToTree(ck.config()));
        meta.set("trainer", ck.trainerJson() == null ? null : json.readTree(ck.trainerJson()));
        json.writeValue(out.resolve("training.json").toFile(), meta);
    }
}
