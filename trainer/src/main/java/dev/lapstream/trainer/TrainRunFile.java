package dev.lapstream.trainer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A training run as YAML ({@code config/train/*.yaml}): a {@code train} section whose keys are the long names of
 * {@code lapstream train}'s options. It feeds the command's defaults, so flags still win, and every value is
 * converted and checked by the option's own type; a key that names no option is refused.
 * {@link #write} stores a run's effective settings in the same form beside its checkpoints.
 */
public final class TrainRunFile implements CommandLine.IDefaultValueProvider {

    static final String SECTION = "train";
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    /** Options that say how to run, not what to train: never read from or written to a run file. */
    private static final List<String> NOT_SETTINGS = List.of("config", "help", "version", "verbose");

    private final Map<String, String> values;

    private TrainRunFile(Map<String, String> values) {
        this.values = values;
    }

    /** Reads {@code file} for {@code command} (the train command's spec); a bad file is an IllegalArgumentException. */
    public static TrainRunFile read(Path file, CommandSpec command) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a readable YAML file (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.path(SECTION).isObject() || root.size() != 1) {
            throw new IllegalArgumentException(file + ": a training run file holds one section, '" + SECTION + "'");
        }
        Map<String, String> values = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get(SECTION).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            OptionSpec option = command.findOption("--" + e.getKey());
            if (option == null || NOT_SETTINGS.contains(e.getKey())) {
                throw new IllegalArgumentException(file + ": unknown key " + SECTION + "." + e.getKey());
            }
            values.put(e.getKey(), text(file, e.getKey(), e.getValue()));
        }
        return new TrainRunFile(values);
    }

    private static String text(Path file, String key, JsonNode v) {
        if (v.isValueNode() && !v.isNull()) {
            return v.asText();
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asText()));
            return String.join(",", parts);
        }
        throw new IllegalArgumentException(file + ": " + SECTION + "." + key + " must be a value or a list");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o ? values.get(o.longestName().substring(2)) : null;
    }

    /** Writes every setting of the parsed {@code command} (file, flags and defaults alike) as a run file. */
    static void write(CommandSpec command, Path file) {
        ObjectNode train = YAML.createObjectNode();
        for (OptionSpec o : command.options()) {
            String key = o.longestName().substring(2);
            Object v = o.getValue();
            if (NOT_SETTINGS.contains(key) || v == null) {
                continue;
            }
            train.set(key, YAML.valueToTree(v instanceof Path p ? p.toString() : v));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            YAML.writeValue(file.toFile(), YAML.createObjectNode().set(SECTION, train));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
