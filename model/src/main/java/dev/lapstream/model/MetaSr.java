package dev.lapstream.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Meta-SR (Hu et al.) on the shipped model's backbone: the FMB (width-sliced) on the LR frame, then the
 * {@link MetaUpscale} module straight to the output size, plus the bicubic skip the other families have (the
 * paper's Meta-RDN has none; here it lets the module learn a residual, as the IRBs do, and keeps the families
 * comparable). No IRBs, no LFR levels, no sub-pixel step: the checkpoint holds the FMB and the MLP only.
 *
 * <p>Any factor up to {@link #MAX_STEP} (the top of the trained range x1.1 ... x4.0) in one pass, r_h and r_w
 * independently (the location projection and the MLP's inputs are per axis); above it the engine recurses
 * ({@link RecursionPlanner}: x8 is two passes of 2.83) rather than feed the MLP a 1 / r it never saw. A pass costs
 * the FMB and Q per input pixel and 3 (H + 1) multiply-adds per output pixel, so its cost per output pixel falls
 * as 1 / r^2 towards that floor.
 */
final class MetaSr implements ModelFamily {

    static final String NAME = "meta-sr";
    /** The largest trained (and served) step factor. */
    static final double MAX_STEP = 4.0;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<AsdnConfig.ParamSpec> outputParams(AsdnConfig cfg) {
        return MetaUpscale.params(cfg);
    }

    @Override
    public Operand<TFloat32> forward(AsdnNetwork net, Operand<TFloat32> image, Operand<TInt32> outH,
                                     Operand<TInt32> outW, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW) {
        // named for tests that check the module against a per-pixel reference
        Operand<TFloat32> features = net.ops().withName("lr_features").identity(net.featureMapping(image, scaleH,
                scaleW));
        return net.output(net.bicubic(image, outH, outW), MetaUpscale.apply(net, features, outH, outW));
    }

    @Override
    public double macs(AsdnConfig cfg, int width, double inPixels, double outPixels) {
        return cfg.fmbMacsPerPixel(width) * inPixels + MetaUpscale.macs(cfg, width, inPixels, outPixels);
    }

    @Override
    public double maxStepFactor() {
        return MAX_STEP;
    }

    /** The location projection and the MLP take r_h and r_w apart, so an asymmetric pair is one native pass. */
    @Override
    public boolean asymmetricPasses() {
        return true;
    }

    /** Meta-SR's training scales: x1.1 ... x4.0 in steps of 0.1, uniformly, one scale per batch. */
    @Override
    public TrainingScales trainingScales(AsdnConfig cfg) {
        return TrainingScales.uniform(11, (int) Math.round(10 * MAX_STEP));
    }
}
