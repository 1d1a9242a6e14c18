package dev.lapstream.model;

import java.nio.file.Path;

/** Where the checkout keeps the default model: one place, so every command and the image agree on it. */
public final class ShippedModel {

    /** The default model's folder under {@code models/}. */
    public static final String NAME = "asdn-lr";

    private ShippedModel() {
    }

    /** The default SavedModel directory of the checkout at {@code root}. */
    public static Path directory(Path root) {
        return root.resolve("models").resolve(NAME);
    }

    /** The default SavedModel directory of the checkout the launcher runs from ({@code -Dlapstream.root}, else "."). */
    public static Path directory() {
        return directory(Path.of(System.getProperty("lapstream.root", ".")));
    }
}
