package dev.lapstream.cli.faults;

import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.sink.VideoWriter;
import dev.lapstream.sink.VideoWriterOptions;

import java.nio.file.Path;

/** The suite's input: a gradient moving a little every frame, so every frame's pixels (and hash) differ. */
final class SyntheticClip {

    private SyntheticClip() {
    }

    static Path write(Path file, int width, int height, double fps, int frames) {
        try (VideoWriter writer = new VideoWriter(file, VideoWriterOptions.of(width, height, fps))) {
            for (int i = 0; i < frames; i++) {
                byte[] px = new byte[width * height * 3];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int p = (y * width + x) * 3;
                        px[p] = (byte) ((x + 4 * i) * 255 / (width + 4 * frames));
                        px[p + 1] = (byte) (y * 255 / height);
                        px[p + 2] = (byte) ((((x + i) / 8 + y / 8) % 2) * 200);
                    }
                }
                writer.write(new VideoFrame(i, Math.round(i * 1e6 / fps), 0, new RgbImage(width, height, px)));
            }
        }
        return file;
    }
}
