package dev.lapstream.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * FSDN, the ASDN paper's fixed-scale network: the any-scale model's FMB on the LR frame, an upsampling
 * layer for one integer scale S in front of the reconstruction, one IRB with its spatial attention at the output size,
 * plus the bicubic skip. Registered once per scale as {@code fsdn-x2}, {@code fsdn-x3}, {@code fsdn-x4},
 * {@code fsdn-x8}: S lives in the family name, so {@link AsdnConfig} and every existing {@code asdn.json} are unchanged.
 *
 * <p>The upsampling layer is a sub-pixel convolution (3x3 conv C to S² x C_u, depth-to-space by S), the
 * {@code asdn-lr} family's x2 step generalised to S. It is the same function class as the paper's deconvolution: a
 * transposed convolution of stride S and kernel 3S on the LR grid is a 3x3 convolution to S² x C_u channels followed
 * by a periodic shuffle (Shi et al., 2016), and TensorFlow's C++ gradient registry, which TensorFlow Java trains with,
 * has Conv2D's and DepthToSpace's gradients but none for Conv2DBackpropInput (the transposed convolution's op). The
 * kernel is stored [3, 3, C, S², C_u] so that a subnet slices every sub-pixel position to its own channels, as for
 * {@code asdn-lr}.
 *
 * <p>The FMB's channel attention sees the constant scale pair (2, 2), the any-scale model's x2 path the weights come
 * from ({@link #fromAnyScale}); a fixed-scale network has no scale to tell it.
 */
public final class Fsdn implements ModelFamily {

    /** The LFR level of the any-scale model that seeds the IRB: x2.0, every recursion pass but the last. */
    static final int SEED_LEVEL = 10;
    private static final float FMB_SCALE = 2f;

    private final int scale;

    Fsdn(int scale) {
        this.scale = scale;
    }

    /** The family name of scale {@code s}. */
    public static String name(int s) {
        return "fsdn-x" + s;
    }

    /**
     * The fixed-scale family of scale {@code s} (registered: 2, 3, 4, 8, the paper's fixed-scale benchmarks), or a
     * one-line refusal naming the scales there are.
     */
    public static Fsdn of(int s) {
        if (REGISTRY.get(name(s)) instanceof Fsdn f) {
            return f;
        }
        throw new IllegalArgumentException("FSDN scale must be one of 2, 3, 4, 8 (got " + s + ")");
    }

    public int scale() {
        return scale;
    }

    @Override
    public String name() {
        return name(scale);
    }

    /** The sub-pixel step to S, then one IRB and its spatial attention (stored as a stack of one level). */
    @Override
    public List<AsdnConfig.ParamSpec> outputParams(AsdnConfig cfg) {
        int c = cfg.channels();
        int u = cfg.upChannels();
        int h = cfg.saHidden();
        int positions = scale * scale;
        List<AsdnConfig.ParamSpec> p = new ArrayList<>();
        p.add(new AsdnConfig.ParamSpec("up_w", new long[] {3, 3, c, positions, u}, Math.sqrt(2.0 / (9 * c))));
        p.add(new AsdnConfig.ParamSpec("up_b", new long[] {positions, u}, 0));
        p.add(new AsdnConfig.ParamSpec("irb_w", new long[] {1, 3, 3, u, 3}, 0.1 * Math.sqrt(2.0 / (9 * u))));
        p.add(new AsdnConfig.ParamSpec("irb_b", new long[] {1, 3}, 0));
        p.add(new AsdnConfig.ParamSpec("sa_w1", new long[] {1, 3, h}, Math.sqrt(2.0 / 3)));
        p.add(new AsdnConfig.ParamSpec("sa_b1", new long[] {1, h}, 0));
        p.add(new AsdnConfig.ParamSpec("sa_w2", new long[] {1, h, 3}, 0));
        p.add(new AsdnConfig.ParamSpec("sa_b2", new long[] {1, 3}, 0));
        return p;
    }

    /** The features come out at S times the input; {@code outH, outW} must be S h, S w (the engine sees to it). */
    @Override
    public Operand<TFloat32> forward(AsdnNetwork net, Operand<TFloat32> image, Operand<TInt32> outH,
                                     Operand<TInt32> outW, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW) {
        Operand<TFloat32> s = net.ops().constant(FMB_SCALE);
        Operand<TFloat32> features = net.featureMapping(image, s, s);
        int u = net.config().upChannels();
        Operand<TFloat32> up = net.subPixel(features, "up", u, scale);
        return net.output(net.bicubic(image, outH, outW), net.reconstructLevel(up, u, 0));
    }

    @Override
    public double macs(AsdnConfig cfg, int width, double inPixels, double outPixels) {
        long ca = cfg.active(cfg.channels(), width);
        long ua = cfg.active(cfg.upChannels(), width);
        return (cfg.fmbMacsPerPixel(width) + 9.0 * ca * scale * scale * ua) * inPixels
                + (cfg.reconstructionMacsPerPixel(width, cfg.upChannels()) / 2.0) * outPixels;
    }

    /** One pass of S: the planner never splits it. */
    @Override
    public double maxStepFactor() {
        return scale;
    }

    @Override
    public OptionalInt fixedScale() {
        return OptionalInt.of(scale);
    }

    /** Scale S only (the paper fine-tunes on "the LR images downsampled by the scale factor"). */
    @Override
    public TrainingScales trainingScales(AsdnConfig cfg) {
        return new TrainingScales(new int[] {10 * scale}, new double[] {1});
    }

    /** The fixed-scale config with the any-scale {@code source}'s counts (FMB, C_u, widths). */
    public AsdnConfig config(AsdnConfig source) {
        return new AsdnConfig(name(), source.channels(), source.growth(), source.blocks(), source.layers(),
                source.caHidden(), source.lambda(), source.saHidden(), source.levels(), source.upChannels(),
                source.widths());
    }

    /**
     * FSDN weights from an {@code asdn-lr} model's: the FMB copied exactly; the IRB and its spatial attention from
     * level x2.0 ({@link #SEED_LEVEL}); sub-pixel position (dy, dx) of S takes the x2 kernel and bias of the x2
     * position whose area holds its centre, (⌊(2 dy + 1) / S⌋, ⌊(2 dx + 1) / S⌋). So at step 0 {@code fsdn-x2} is the
     * any-scale model's x2 pass exactly, and {@code fsdn-xS} is that pass's learned x2 features enlarged by S / 2
     * (nearest neighbour) into the x2 IRB: fine-tuning starts from the any-scale model's own x2 detail, not from
     * bicubic.
     */
    public Map<String, float[]> fromAnyScale(AsdnConfig source, Map<String, float[]> weights) {
        if (!LowResolution.NAME.equals(source.family())) {
            throw new IllegalArgumentException("FSDN is fine-tuned from an " + LowResolution.NAME + " model, not "
                    + source.family());
        }
        AsdnConfig cfg = config(source);
        Map<String, float[]> out = new LinkedHashMap<>();
        int fmb = cfg.params().size() - outputParams(cfg).size();
        for (AsdnConfig.ParamSpec p : cfg.params().subList(0, fmb)) {
            out.put(p.name(), weights.get(p.name()).clone());
        }
        int c = cfg.channels();
        int u = cfg.upChannels();
        out.put("up_w", spreadPositions(weights.get("up_w"), 9 * c, u));
        out.put("up_b", spreadPositions(weights.get("up_b"), 1, u));
        for (String name : List.of("irb_w", "irb_b", "sa_w1", "sa_b1", "sa_w2", "sa_b2")) {
            float[] stacked = weights.get(name);
            int per = stacked.length / source.levels();
            out.put(name, Arrays.copyOfRange(stacked, SEED_LEVEL * per, (SEED_LEVEL + 1) * per));
        }
        return out;
    }

    /** [rows, 4, u] (x2 positions) to [rows, S², u], each S position copying the x2 position holding its centre. */
    private float[] spreadPositions(float[] x2, int rows, int u) {
        int positions = scale * scale;
        float[] out = new float[rows * positions * u];
        for (int r = 0; r < rows; r++) {
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    int from = (2 * dy + 1) / scale * 2 + (2 * dx + 1) / scale;
                    System.arraycopy(x2, (r * 4 + from) * u, out, (r * positions + dy * scale + dx) * u, u);
                }
            }
        }
        return out;
    }
}
