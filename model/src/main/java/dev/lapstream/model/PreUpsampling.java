package dev.lapstream.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The ASDN paper's network: the LR image is bicubic-upsampled to the output size and the whole FMB runs
 * there, so every output pixel pays the FMB (and a second recursive pass pays it again at 4x the area).
 */
final class PreUpsampling implements ModelFamily {

    static final String NAME = "asdn";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean upsamplesFeatures() {
        return false;
    }

    /** The IRBs, reading the FMB's C channels. */
    @Override
    public List<AsdnConfig.ParamSpec> outputParams(AsdnConfig cfg) {
        return cfg.reconstructionParams(cfg.channels());
    }

    @Override
    public TrainingScales trainingScales(AsdnConfig cfg) {
        return TrainingScales.lfrLevels(cfg.levels());
    }

    @Override
    public Operand<TFloat32> forward(AsdnNetwork net, Operand<TFloat32> image, Operand<TInt32> outH,
                                     Operand<TInt32> outW, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW) {
        Operand<TFloat32> up = net.bicubic(image, outH, outW);
        Operand<TFloat32> features = net.featureMapping(up, scaleH, scaleW);
        return net.output(up, net.reconstruct(features, net.config().channels(), scaleH, scaleW));
    }

    @Override
    public double macs(AsdnConfig cfg, int width, double inPixels, double outPixels) {
        return (cfg.fmbMacsPerPixel(width) + cfg.reconstructionMacsPerPixel(width, cfg.channels())) * outPixels;
    }
}
