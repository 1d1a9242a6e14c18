package dev.lapstream.model;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A network family: where the shared feature mapping branch (FMB) runs and how its features reach
 * the output size of a pass. Every family keeps the FMB, the AnySR width slicing of it and the engine's
 * recursion above {@link #maxStepFactor}; the registry ({@link #of}) maps the {@code family} of a model's
 * {@link AsdnConfig} to its implementation.
 */
public interface ModelFamily {

    /** Name stored in the model's config. */
    String name();

    /**
     * Whether the family carries {@link AsdnConfig#upChannels()} channels at the output size (the upsampled
     * features of {@code asdn-lr}, the hidden units of the MLP on geometry and scale of {@code meta-sr} and
     * {@code arbsr}); only the pre-upsampling {@code asdn} does not.
     */
    default boolean upsamplesFeatures() {
        return true;
    }

    /** Weights after the FMB's (the family's additions to it, upsampling and reconstruction), in checkpoint order. */
    List<AsdnConfig.ParamSpec> outputParams(AsdnConfig cfg);

    /**
     * One pass: LR batch {@code image} [N, h, w, 3] in [0, 1] to [N, outH, outW, 3] (not clipped), step factors
     * (scaleH, scaleW) in [1, {@link #maxStepFactor}] for the channel attention (and the family's scale inputs).
     */
    Operand<TFloat32> forward(AsdnNetwork net, Operand<TFloat32> image, Operand<TInt32> outH, Operand<TInt32> outW,
                              Operand<TFloat32> scaleH, Operand<TFloat32> scaleW);

    /** Multiply-adds of one pass of the subnet {@code width} from {@code inPixels} to {@code outPixels}. */
    double macs(AsdnConfig cfg, int width, double inPixels, double outPixels);

    /** The largest factor of one pass; the engine recurses above it ({@link RecursionPlanner}). */
    default double maxStepFactor() {
        return RecursionPlanner.ASDN_MAX_STEP;
    }

    /**
     * Whether the engine serves an asymmetric pair (R_h != R_w) with asymmetric passes. Otherwise it runs
     * symmetric SR to max(R_h, R_w) and shrinks the other axis bicubically (see {@link AsdnUpscaler}).
     */
    default boolean asymmetricPasses() {
        return false;
    }

    /**
     * The one integer factor a fixed-scale family serves (the engine runs one pass of it and refuses other targets,
     * {@link AsdnUpscaler}), or empty for the any-scale families.
     */
    default OptionalInt fixedScale() {
        return OptionalInt.empty();
    }

    /** The single-pass scales {@code lapstream train} samples, one per batch, and how often. */
    TrainingScales trainingScales(AsdnConfig cfg);

    /**
     * The families, by name: {@code asdn} (pre-upsampling), {@code asdn-lr} (FMB at low resolution), {@code meta-sr},
     * {@code arbsr}, and the fixed-scale {@code fsdn-x2}, {@code fsdn-x3}, {@code fsdn-x4}, {@code fsdn-x8}.
     */
    Map<String, ModelFamily> REGISTRY = Stream.of(new PreUpsampling(), new LowResolution(), new MetaSr(), new ArbSr(),
                    new Fsdn(2), new Fsdn(3), new Fsdn(4), new Fsdn(8))
            .collect(Collectors.toUnmodifiableMap(ModelFamily::name, f -> f));

    static ModelFamily of(String name) {
        ModelFamily f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown model family '" + name + "' (known: "
                    + REGISTRY.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
        return f;
    }
}
