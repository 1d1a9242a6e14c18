package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;

/** How the LR input is made from the cropped HR. */
enum Degradation {
    /** The protocol's: MATLAB-style antialiased bicubic. */
    MATLAB,
    /** OpenCV INTER_CUBIC without antialiasing: what the OpenCV peers were trained on. */
    CUBIC;

    RgbImage apply(RgbImage croppedHr, double sh, double sw) {
        return this == MATLAB ? Protocol.degrade(croppedHr, sh, sw) : Protocol.degradePlainCubic(croppedHr, sh, sw);
    }
}
