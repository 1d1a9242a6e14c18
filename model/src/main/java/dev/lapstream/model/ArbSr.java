package dev.lapstream.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ArbSR (Wang et al., "Learning A Single Network for Scale-Arbitrary Super-Resolution") on the shipped model's
 * backbone: the FMB (width-sliced) on the LR frame with a {@link ScaleAwareAdaption} after every other DAB, then the
 * {@link ScaleAwareUpsampler} straight to the output size, plus the bicubic skip the other families have (the paper
 * ends in a convolution to RGB without one; here the upsampler learns a residual, as Meta-SR's module does, and the
 * families stay comparable). No IRBs, LFR levels or sub-pixel step; the paper's knowledge transfer from scale-specific
 * teachers is a training scheme, not part of the network, and is not used.
 *
 * <p>Any factor up to {@link #MAX_STEP} (the top of the trained range x1.1 ... x4.0) in one pass, r_h and r_w
 * independently (the adaption's routing, the projection and the upsampler's MLP take them apart); above it the engine
 * recurses ({@link RecursionPlanner}). A pass costs the FMB, the adaptions and the experts per input pixel and the
 * MLP, sampling and mixing per output pixel.
 */
final class ArbSr implements ModelFamily {

    static final String NAME = "arbsr";
    /** The largest trained (and served) step factor. */
    static final double MAX_STEP = 4.0;

    @Override
    public String name() {
        return NAME;
    }

    /** The adaptions (in block order), then the upsampler. */
    @Override
    public List<AsdnConfig.ParamSpec> outputParams(AsdnConfig cfg) {
        List<AsdnConfig.ParamSpec> p = new ArrayList<>(ScaleAwareAdaption.params(cfg));
        p.addAll(ScaleAwareUpsampler.params(cfg));
        return p;
    }

    @Override
    public Operand<TFloat32> forward(AsdnNetwork net, Operand<TFloat32> image, Operand<TInt32> outH,
                                     Operand<TInt32> outW, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW) {
        // named for tests that check the upsampler against a reference
        Operand<TFloat32> features = net.ops().withName("lr_features").identity(net.featureMapping(image, scaleH,
                scaleW, ScaleAwareAdaption.of(net, scaleH, scaleW)));
        return net.output(net.bicubic(image, outH, outW), ScaleAwareUpsampler.apply(net, features, outH, outW));
    }

    @Override
    public double macs(AsdnConfig cfg, int width, double inPixels, double outPixels) {
        return (cfg.fmbMacsPerPixel(width) + ScaleAwareAdaption.macsPerPixel(cfg, width)) * inPixels
                + ScaleAwareUpsampler.macs(cfg, width, inPixels, outPixels);
    }

    @Override
    public double maxStepFactor() {
        return MAX_STEP;
    }

    /** Routing, projection and MLP take r_h and r_w apart, so an asymmetric pair is one native pass. */
    @Override
    public boolean asymmetricPasses() {
        return true;
    }

    /**
     * ArbSR's symmetric training scales, x1.1 ... x4.0 in steps of 0.1, uniformly, one per batch (as Meta-SR; the
     * trainer draws one factor per batch, so asymmetric pairs are served but not yet trained).
     */
    @Override
    public TrainingScales trainingScales(AsdnConfig cfg) {
        return TrainingScales.uniform(11, (int) Math.round(10 * MAX_STEP));
    }
}
