package dev.lapstream.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/**
 * {@code --config FILE} on the commands a config file sets. Declared so picocli accepts and documents it;
 * {@link ConfigArgument} reads it before parsing (inherited, so {@code streams apply --config} works too).
 */
final class ConfigOption {

    @Option(names = ConfigArgument.OPTION, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "YAML settings (keys as in config/lapstream.yaml); flags on the command line win over it.")
    Path file;
}
