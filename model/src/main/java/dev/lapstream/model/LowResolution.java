package dev.lapstream.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ASDN with its FMB on the low-resolution input (like the paper's FSDN and every post-upsampling SR
 * network): the FMB's features go through a sub-pixel convolution to twice the input size
 * (3x3 conv C to 4 x C_u, depth-to-space) and are resampled bilinearly to the pass's output size,
 * where the IRBs of the LFR level reconstruct the residual over the bicubic-upsampled input. A pass
 * of factor r pays the FMB once per input pixel, 1/r^2 per output pixel; at exactly x2 the
 * resampling is the identity and the head is ESPCN's sub-pixel upsampler.
 *
 * <p>Why this resampling: the sub-pixel step gives the features the detail of a learned x2
 * upsampler (what the recursion's passes need most: every pass of x3, x4 or x8 is 1.4x-2x), and a
 * bilinear resize of band-limited features to any size in (1, 2] keeps one set of weights for every
 * scale, with the scale itself entering through the channel attention (feature interweaving) and the
 * LFR level's IRBs. Bilinear rather than bicubic: no overshoot, cheaper, and its gradient is
 * registered in TensorFlow's C API.
 */
final class LowResolution implements ModelFamily {

    static final String NAME = "asdn-lr";

    @Override
    public String name() {
        return NAME;
    }

    /** The sub-pixel step, then the IRBs reading its C_u channels. */
    @Override
    public List<AsdnConfig.ParamSpec> outputParams(AsdnConfig cfg) {
        int c = cfg.channels();
        int u = cfg.upChannels();
        List<AsdnConfig.ParamSpec> p = new ArrayList<>();
        // stored [3, 3, C, 4, C_u]: each of the 4 sub-pixel positions is sliced to the subnet's C_u on its own
        p.add(new AsdnConfig.ParamSpec("up_w", new long[] {3, 3, c, 4, u}, Math.sqrt(2.0 / (9 * c))));
        p.add(new AsdnConfig.ParamSpec("up_b", new long[] {4, u}, 0));
        p.addAll(cfg.reconstructionParams(u));
        return p;
    }

    @Override
    public TrainingScales trainingScales(AsdnConfig cfg) {
        return TrainingScales.lfrLevels(cfg.levels());
    }

    @Override
    public Operand<TFloat32> forward(AsdnNetwork net, Operand<TFloat32> image, Operand<TInt32> outH,
                                     Operand<TInt32> outW, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW) {
        Operand<TFloat32> features = net.featureMapping(image, scaleH, scaleW);
        Operand<TFloat32> twice = net.subPixel(features, "up", net.config().upChannels(), 2);
        Operand<TFloat32> atOutput = net.bilinear(twice, outH, outW);
        Operand<TFloat32> up = net.bicubic(image, outH, outW);
        return net.output(up, net.reconstruct(atOutput, net.config().upChannels(), scaleH, scaleW));
    }

    @Override
    public double macs(AsdnConfig cfg, int width, double inPixels, double outPixels) {
        long ca = cfg.active(cfg.channels(), width);
        long ua = cfg.active(cfg.upChannels(), width);
        return (cfg.fmbMacsPerPixel(width) + 9 * ca * 4 * ua) * inPixels
                + cfg.reconstructionMacsPerPixel(width, cfg.upChannels()) * outPixels;
    }
}
