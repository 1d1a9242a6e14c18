package dev.lapstream.cli;

import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What an {@code upscale} run on the embedded broker keeps beside its output, {@code OUT.lapstream/}: the broker's
 * log (frames, upscaled frames, the worker's committed offsets) and the stream id. A run that was interrupted or
 * killed leaves it behind and {@code --resume} continues from it; a run that finishes removes it.
 */
final class RunState {

    private final Path dir;

    private RunState(Path dir) {
        this.dir = dir;
    }

    static RunState of(Path output) {
        Path abs = output.toAbsolutePath();
        return new RunState(abs.resolveSibling(abs.getFileName() + ".lapstream"));
    }

    Path dir() {
        return dir;
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    Path kafkaDir() {
        return dir.resolve("kafka");
    }

    /** The stream id of the run kept here, or {@code fresh} recorded as it. */
    String streamId(String fresh) {
        Path file = dir.resolve("stream");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(dir);
            Files.writeString(file, fresh, StandardCharsets.UTF_8);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the run's state in " + dir, e);
        }
    }

    void delete() {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the finished run's state " + dir, e);
        }
    }
}
