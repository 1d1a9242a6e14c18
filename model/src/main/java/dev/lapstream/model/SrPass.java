package dev.lapstream.model;

/** One network pass: float RGB [h, w, 3] in [0, 1] to [outH, outW, 3] with step factors (sh, sw). */
@FunctionalInterface
public interface SrPass {
    float[] run(float[] rgb, int h, int w, int outH, int outW, double sh, double sw, int width);
}
