package dev.lapstream.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds {@code --config FILE} in the raw arguments. picocli fills a subcommand's defaults when it reaches the
 * subcommand, before it parses the subcommand's own options, so the file must be known before parsing starts.
 */
final class ConfigArgument {

    static final String OPTION = "--config";

    private ConfigArgument() {
    }

    /** The file of a command that takes one (see {@link ConfigDefaults#SECTIONS}); other commands' options are theirs. */
    static Optional<Path> find(String... args) {
        return command(args).filter(ConfigDefaults.SECTIONS::containsKey).flatMap(c -> value(args));
    }

    /** The subcommand: the first argument that is not an option. */
    static Optional<String> command(String... args) {
        return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst();
    }

    /** The value of the last {@code --config} before a {@code --}, whatever the command. */
    static Optional<Path> value(String... args) {
        Optional<Path> found = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                found = Optional.of(Path.of(args[++i]));
            } else if (args[i].startsWith(OPTION + "=")) {
                found = Optional.of(Path.of(args[i].substring(OPTION.length() + 1)));
            }
        }
        return found;
    }
}
