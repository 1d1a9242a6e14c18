package dev.lapstream.core.image;

/**
 * Turns one RGB frame into a larger one. Implementations: bicubic (core) and the ASDN network
 * (model). An implementation may hold native resources, so callers close it.
 */
public interface Upscaler extends AutoCloseable {

    /** Upscales {@code input} to exactly {@code outWidth x outHeight}. */
    RgbImage upscale(RgbImage input, int outWidth, int outHeight);

    /** Short name for logs and metrics, e.g. {@code bicubic} or {@code asdn}. */
    String name();

    @Override
    default void close() {
    }
}
