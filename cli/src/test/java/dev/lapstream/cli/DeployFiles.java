package dev.lapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.w3c.dom.Element;
import picocli.CommandLine;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** Reads deploy/'s YAML (multi-document) and what the code says the processes run with. */
final class DeployFiles {

    private static final YAMLMapper YAML = new YAMLMapper();

    private DeployFiles() {
    }

    static Path deploy() {
        return ConfigTest.root().resolve("deploy");
    }

    /** Every non-empty document of a YAML file. */
    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<JsonNode> found = new ArrayList<>();
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    found.add(doc);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    static JsonNode document(Path file) {
        return documents(file).get(0);
    }

    /** The resources a kustomization lists, read from their files. */
    static List<JsonNode> kustomized(Path dir) {
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode file : document(dir.resolve("kustomization.yaml")).path("resources")) {
            resources.addAll(documents(dir.resolve(file.asText())));
        }
        return resources;
    }

    static List<JsonNode> ofKind(List<JsonNode> resources, String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    static JsonNode named(List<JsonNode> resources, String kind, String name) {
        return ofKind(resources, kind).stream().filter(r -> r.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The value after {@code option} in a command line. */
    static Optional<String> argument(List<String> args, String option) {
        int i = args.indexOf(option);
        return i < 0 || i + 1 >= args.size() ? Optional.empty() : Optional.of(args.get(i + 1));
    }

    /**
     * A worker as {@code lapstream worker --config FILE} would configure it: the file's values over the
     * options' defaults, the settings the process really runs with.
     */
    static WorkerCommand worker(Path config) {
        WorkerCommand worker = new WorkerCommand();
        CommandLine cli = new CommandLine(worker);
        cli.setDefaultValueProvider(new ConfigDefaults(ConfigFile.read(config)));
        cli.parseArgs();
        return worker;
    }

    /** The reactor's version, the images' tag. */
    static String projectVersion() {
        return pom("version");
    }

    /** A property of the parent pom, e.g. the fat jar's name. */
    static String pomProperty(String name, boolean gpuProfile) {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(ConfigTest.root().resolve("pom.xml").toFile()).getDocumentElement();
            if (gpuProfile) {
                var profiles = project.getElementsByTagName("profile");
                for (int i = 0; i < profiles.getLength(); i++) {
                    Element profile = (Element) profiles.item(i);
                    if (profile.getElementsByTagName("id").item(0).getTextContent().equals("gpu")) {
                        return profile.getElementsByTagName(name).item(0).getTextContent().trim();
                    }
                }
                throw new AssertionError("no gpu profile");
            }
            return project.getElementsByTagName(name).item(0).getTextContent().trim();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read pom.xml", e);
        }
    }

    private static String pom(String child) {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(ConfigTest.root().resolve("pom.xml").toFile()).getDocumentElement();
            for (var n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(child)) {
                    return e.getTextContent().trim();
                }
            }
            throw new AssertionError("pom.xml has no " + child);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read pom.xml", e);
        }
    }
}
