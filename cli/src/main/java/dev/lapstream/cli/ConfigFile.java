package dev.lapstream.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads a {@link LapstreamConfig} from YAML; every problem becomes one line that names the file and the key. */
final class ConfigFile {

    /** Kebab-case keys like the options they set; no key may be unknown, no value coerced from a float. */
    static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private ConfigFile() {
    }

    static LapstreamConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ErrorHandler.UserError("config file " + file + " not found", null);
        }
        try {
            JsonNode tree = YAML.readTree(file.toFile());
            // an empty file (or one of comments only) has no settings: all defaults
            return tree == null || tree.isMissingNode() || tree.isNull()
                    ? new LapstreamConfig(null, null, null, null, null, null, null)
                    : YAML.treeToValue(tree, LapstreamConfig.class);
        } catch (JsonMappingException e) {
            throw new ErrorHandler.UserError(file + ": " + describe(e), e);
        } catch (JsonProcessingException e) {
            throw new ErrorHandler.UserError(file + ": not valid YAML (" + ErrorHandler.oneLine(e) + ")", e);
        } catch (IOException e) {
            throw new ErrorHandler.UserError("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonMappingException e) {
        String key = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown key " + key;
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException bad) {
            return (key.isEmpty() ? "" : key + ".") + bad.getMessage();
        }
        if (e instanceof InvalidFormatException bad) {
            return key + ": '" + bad.getValue() + "' is not " + expected(bad.getTargetType());
        }
        if (e instanceof MismatchedInputException bad && bad.getTargetType() != null) {
            return (key.isEmpty() ? "the file" : key) + " must be " + expected(bad.getTargetType());
        }
        return (key.isEmpty() ? "" : key + ": ") + ErrorHandler.oneLine(e);
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (type.isRecord()) {
            return "a section of keys";
        }
        return "a " + type.getSimpleName();
    }
}
