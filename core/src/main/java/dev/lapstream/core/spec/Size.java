package dev.lapstream.core.spec;

/** A picture size in pixels. */
public record Size(int width, int height) {

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
