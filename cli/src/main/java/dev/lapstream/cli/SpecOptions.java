package dev.lapstream.cli;

import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.StreamSpec;
import picocli.CommandLine.Option;

/** {@code --scale S|SXxSY} or {@code --size WxH}, as an exclusive argument group. */
final class SpecOptions {

    @Option(names = "--scale", paramLabel = "S|SXxSY",
            description = "Scale factor, e.g. 2.5, or per axis (horizontal x vertical), e.g. 2x1.5.")
    String scale;

    @Option(names = "--size", paramLabel = "WxH", description = "Output size, e.g. 1280x720.")
    String size;

    StreamSpec spec() {
        try {
            return scale != null ? StreamSpec.parseScale(scale) : StreamSpec.parseSize(size);
        } catch (InvalidSpecException e) {
            throw new ErrorHandler.UserError(e.getMessage(), e);
        }
    }
}
