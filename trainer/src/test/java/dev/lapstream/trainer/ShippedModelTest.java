package dev.lapstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lapstream.model.AsdnUpscaler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each shipped SavedModel (one per family) reproduces the Set5 x2 figures of its committed evaluation
 * ({@code models/eval/<model>/standard/results.json}, the numbers in the model card), at full width and in
 * the 50 % subnet: a change to the graph code or a re-export that alters the function fails here.
 */
class ShippedModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"asdn-lr", "asdn"})
    void set5X2MatchesCommittedEvaluation(String name) throws Exception {
        Path root = Path.of(System.getProperty("lapstream.root", ".."));
        Path model = root.resolve("models").resolve(name);
        Path results = root.resolve("models/eval").resolve(name).resolve("standard/results.json");
        Path set5 = Path.of(System.getProperty("lapstream.shared", "../shared"), "data", "bench", "Set5");
        assumeTrue(Files.isDirectory(model) && Files.isRegularFile(results), "no shipped model at " + model);
        assumeTrue(Files.isDirectory(set5), "../shared absent: skipping the shipped-model check (" + set5 + ")");
        JsonNode committed = new ObjectMapper().readTree(results.toFile()).get("results");
        try (AsdnUpscaler asdn = new AsdnUpscaler(model, 0)) {
            int full = asdn.config().channels();
            int half = asdn.config().widths()[0];
            Evaluator ev = new Evaluator(asdn, false, s -> { });
            ev.evaluate(set5, List.of(new Evaluator.Scale(2, 2)), new int[] {half, full}, null, 0, 64);
            assertThat(ev.rows()).hasSize(2);
            for (Evaluator.Row r : ev.rows()) {
                assertThat(r.psnr()).as("Set5 x2 width %d", r.width())
                        .isCloseTo(committedPsnr(committed, r.width()), within(0.005));
            }
        }
    }

    private static double committedPsnr(JsonNode results, int width) {
        for (JsonNode r : results) {
            if (r.get("dataset").asText().equals("Set5") && r.get("scale_h").asDouble() == 2
                    && r.get("scale_w").asDouble() == 2 && r.get("width").asInt() == width) {
                return r.get("model").get("psnr").asDouble();
            }
        }
        throw new AssertionError("no Set5 x2 width " + width + " row in the committed evaluation");
    }
}
