package dev.lapstream.cli;

import dev.lapstream.sink.VideoWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Checks an output path before any work starts, so a bad {@code -o} costs nothing: a container lapstream
 * writes, a place it can create the file in, and never the input itself (the encoder would overwrite the file
 * the decoder is reading).
 */
final class OutputFile {

    private OutputFile() {
    }

    /** @param input the command's input (a file or a URL), or null */
    static void check(Path out, String input) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (VideoWriter.Container.FILE_EXTENSIONS.stream().noneMatch(name::endsWith)) {
            throw new ErrorHandler.UserError("output " + out + ": lapstream writes "
                    + String.join(", ", VideoWriter.Container.FILE_EXTENSIONS) + " files; name it with one of those",
                    null);
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new ErrorHandler.UserError("output directory " + dir + " does not exist", null);
        }
        if (Files.isDirectory(out)) {
            throw new ErrorHandler.UserError("output " + out + " is a directory", null);
        }
        if (input != null && !input.contains("://") && isSameFile(out, Path.of(input))) {
            throw new ErrorHandler.UserError("output " + out + " is the input; choose another -o", null);
        }
        probeWritable(out);
    }

    private static boolean isSameFile(Path out, Path in) {
        try {
            return Files.exists(out) && Files.exists(in) && Files.isSameFile(out, in);
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens the file for writing (without truncating it) and removes it again if it did not exist. */
    private static void probeWritable(Path out) {
        boolean existed = Files.exists(out);
        try {
            Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
            if (!existed) {
                Files.delete(out);
            }
        } catch (IOException | SecurityException e) {
            throw new ErrorHandler.UserError("cannot write the output " + out + " (" + e.getMessage() + ")", e);
        }
    }
}
