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
        Optional<Path> found = Optional.empty();
        Optional<String> command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst();
        if (command.isEmpty() || !ConfigDefaults.SECTIONS.containsKey(command.get())) {
            return found;
        }
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
