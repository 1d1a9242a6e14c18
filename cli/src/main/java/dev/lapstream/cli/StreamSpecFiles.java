package dev.lapstream.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.lapstream.core.json.Json;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.StreamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stream spec files ({@code config/streams/*.yaml}): a mapping of stream id to spec, each spec in the same
 * fields as the JSON on the streams topic and checked by {@link StreamSpec} itself.
 */
final class StreamSpecFiles {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private StreamSpecFiles() {
    }

    /** Every file's specs, in file order; the first bad file, spec or repeated stream id fails them all. */
    static Map<String, StreamSpec> read(List<Path> files) {
        Map<String, StreamSpec> specs = new LinkedHashMap<>();
        Map<String, Path> origin = new LinkedHashMap<>();
        for (Path file : files) {
            JsonNode root = tree(file);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String stream = entry.getKey();
                if (origin.containsKey(stream)) {
                    throw new ErrorHandler.UserError(file + ": stream " + stream + " is already set by "
                            + origin.get(stream), null);
                }
                specs.put(stream, spec(file, stream, entry.getValue()));
                origin.put(stream, file);
            }
        }
        return specs;
    }

    private static JsonNode tree(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ErrorHandler.UserError("stream spec file " + file + " not found", null);
        }
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || !root.isObject() || root.isEmpty()) {
                throw new ErrorHandler.UserError(file + ": expected a mapping of stream id to spec", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new ErrorHandler.UserError(file + ": not valid YAML (" + ErrorHandler.oneLine(e) + ")", e);
        } catch (IOException e) {
            throw new ErrorHandler.UserError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static StreamSpec spec(Path file, String stream, JsonNode value) {
        unknownKey(value, StreamSpec.class).or(() -> unknownKey(value.path("policy"), StreamSpec.Policy.class).map(k -> "policy." + k))
                .ifPresent(key -> {
                    throw new ErrorHandler.UserError(file + ": " + stream + ": unknown key " + key, null);
                });
        try {
            return StreamSpec.fromJson(Json.MAPPER.writeValueAsBytes(value));
        } catch (InvalidSpecException | JsonProcessingException e) {
            throw new ErrorHandler.UserError(file + ": " + stream + ": " + ErrorHandler.oneLine(e), e);
        }
    }

    /** Checked here because the record's own checks fail first, with a message that hides a misspelt key. */
    private static Optional<String> unknownKey(JsonNode value, Class<? extends Record> type) {
        Set<String> known = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toSet());
        List<String> keys = new ArrayList<>();
        value.fieldNames().forEachRemaining(keys::add);
        return keys.stream().filter(k -> !known.contains(k)).findFirst();
    }
}
