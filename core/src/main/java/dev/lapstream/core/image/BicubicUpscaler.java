package dev.lapstream.core.image;

/** The baseline: MATLAB-style bicubic interpolation, the same kernel the evaluation protocol uses. */
public final class BicubicUpscaler implements Upscaler {

    @Override
    public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
        return Resize.resize(input, outWidth, outHeight);
    }

    @Override
    public String name() {
        return "bicubic";
    }
}
