package dev.lapstream.core.image;

/**
 * Turns one RGB frame into a larger one. Implementations: bicubic (core) and the ASDN network
 * (model). An implementation may hold native resources, so callers close it.
 */
public interface Upscaler extends AutoCloseable {

    /** Upscales {@code input} to exactly {@code outWidth x outHeight}. */
    RgbImage upscale(RgbImage input, int outWidth, int outHeight);

    /**
     * Upscales with a narrower subnet (AnySR): {@code width} is one of {@link #widths()}. Upscalers without
     * subnets ignore it.
     */
    default RgbImage upscale(RgbImage input, int outWidth, int outHeight, int width) {
        return upscale(input, outWidth, outHeight);
    }

    /**
     * Upscales inputs of one size to one output size, as one batch where the implementation can (the ASDN
     * network runs each pass for all of them in one session call); {@code width} as in
     * {@link #upscale(RgbImage, int, int, int)}, or 0 for the upscaler's own. The default runs them one by one.
     *
     * @return the outputs, in the order of the inputs
     */
    default java.util.List<RgbImage> upscaleAll(java.util.List<RgbImage> inputs, int outWidth, int outHeight,
                                                int width) {
        return inputs.stream().map(in -> width <= 0 ? upscale(in, outWidth, outHeight)
                : upscale(in, outWidth, outHeight, width)).toList();
    }

    /** The subnet widths (channel counts) this upscaler can run, narrowest first; empty when it has none. */
    default java.util.List<Integer> widths() {
        return java.util.List.of();
    }

    /** Short name for logs and metrics, e.g. {@code bicubic} or {@code asdn}. */
    String name();

    @Override
    default void close() {
    }
}
