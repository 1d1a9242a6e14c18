package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;

/** How the LR input is made from the cropped HR. */
enum Degradation {
    /** The protocol's: MATLAB-style antialiased bicubic. */
    MATLAB("MATLAB bicubic (antialiased)"),
    /** OpenCV INTER_CUBIC without antialiasing: what the OpenCV peers were trained on. */
    CUBIC("plain cubic (OpenCV, no antialiasing)");

    final String label;

    Degradation(String label) {
        this.label = label;
    }

    RgbImage apply(RgbImage croppedHr, double sh, double sw) {
        return this == MATLAB ? Protocol.degrade(croppedHr, sh, sw) : Protocol.degradePlainCubic(croppedHr, sh, sw);
    }

    String key() {
        return this == MATLAB ? "matlab" : "cubic";
    }
}
