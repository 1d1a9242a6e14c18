package dev.lapstream.model;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A network family: where the shared feature mapping branch (FMB) runs and how its features reach
 * the output size of a pass. Every family keeps the FMB, the AnySR width slicing, the 11 IRBs with
 * LFR interpolation and the engine's recursion; the registry ({@link #of}) maps the {@code family}
 * of a model's {@link AsdnConfig} to its implementation.
 */
public interface ModelFamily {

    /** Name stored in the model's config. */
    String name();

    /** Whether the family brings features to the output size ({@link AsdnConfig#upChannels()} wide). */
    boolean upsamplesFeatures();

    /** Channels the IRBs read at the output size. */
    int reconstructionChannels(AsdnConfig cfg);

    /** Weights of the family's own layers between the FMB and the IRBs (may be none), in checkpoint order. */
    List<AsdnConfig.ParamSpec> bridgeParams(AsdnConfig cfg);

    /**
     * One pass: LR batch {@code image} [N, h, w, 3] in [0, 1] to [N, outH, outW, 3] (not clipped), step factors
     * (scaleH, scaleW) in [1, 2] for the LFR level and the channel attention.
     */
    Operand<TFloat32> forward(AsdnNetwork net, Operand<TFloat32> image, Operand<TInt32> outH, Operand<TInt32> outW,
                              Operand<TFloat32> scaleH, Operand<TFloat32> scaleW);

    /** Multiply-adds of one pass of the subnet {@code width} from {@code inPixels} to {@code outPixels}. */
    double macs(AsdnConfig cfg, int width, double inPixels, double outPixels);

    /** The families, by name: {@code asdn} (the paper's pre-upsampling) and {@code asdn-lr} (FMB at low resolution). */
    Map<String, ModelFamily> REGISTRY = Stream.of(new PreUpsampling(), new LowResolution())
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
