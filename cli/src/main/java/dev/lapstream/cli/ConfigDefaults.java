package dev.lapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Map;

/**
 * Feeds a {@link LapstreamConfig} to picocli as default values, so a flag on the command line still wins over
 * the file and the help shows the file's values.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    /** The top-level commands that take a config file, and the sections that apply to each, most specific last. */
    static final Map<String, List<String>> SECTIONS = Map.of(
            "worker", List.of("kafka", "metrics", "worker"),
            "upscale", List.of("kafka", "worker", "upscale"),
            "sink", List.of("kafka", "metrics", "sink"),
            "ingest", List.of("kafka", "metrics", "ingest"),
            "streams", List.of("kafka"),
            "dashboard", List.of("kafka", "dashboard"));

    private final JsonNode config;

    ConfigDefaults(LapstreamConfig config) {
        this.config = ConfigFile.YAML.valueToTree(config);
    }

    /** The sections of the file that set options of {@code command} (a top-level command's name). */
    static List<String> sections(String command) {
        return SECTIONS.getOrDefault(command, List.of());
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String key = option.longestName().replaceFirst("^--", "");
        String value = null;
        for (String section : sections(topLevel(arg.command()).name())) {
            JsonNode node = config.path(section).path(key);
            if (node.isValueNode()) {
                value = node.asText();
            }
        }
        return value;
    }

    /** The top-level command a (sub)command belongs to: {@code streams apply} takes the sections of {@code streams}. */
    static CommandSpec topLevel(CommandSpec command) {
        CommandSpec c = command;
        while (c.parent() != null && c.parent().parent() != null) {
            c = c.parent();
        }
        return c;
    }
}
