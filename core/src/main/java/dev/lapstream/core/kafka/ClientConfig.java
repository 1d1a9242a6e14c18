package dev.lapstream.core.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The one place every Kafka client of lapstream gets its settings: bootstrap servers plus the user's
 * properties (a {@code .properties} file, then {@code key=value} overrides), laid over each client's own
 * lapstream defaults, so a cluster's security (TLS, SASL) or tuning reaches every producer, consumer, admin
 * and Streams client alike. Plain string keys, so core stays free of the Kafka libraries.
 *
 * <p>Kafka Streams' client prefixes work everywhere: Streams routes {@code main.consumer.}, {@code producer.},
 * {@code admin.} (and the others) itself; a plain client takes the properties without a prefix, then those
 * with its own prefix stripped ({@code producer.}; {@code consumer.} and {@code main.consumer.}; {@code admin.}),
 * and ignores the other prefixes.
 */
public final class ClientConfig {

    public static final String BOOTSTRAP = "bootstrap.servers";
    private static final List<String> STREAMS_PREFIXES = List.of("main.consumer.", "restore.consumer.",
            "global.consumer.", "consumer.", "producer.", "admin.");

    private final String bootstrap;
    private final Map<String, String> user;

    private ClientConfig(String bootstrap, Map<String, String> user) {
        this.bootstrap = bootstrap;
        this.user = Collections.unmodifiableMap(user);
    }

    /** Just a cluster address, no user properties (the embedded broker, tests). */
    public static ClientConfig of(String bootstrap) {
        return new ClientConfig(bootstrap, new LinkedHashMap<>());
    }

    /**
     * @param bootstrap  servers given on the command line, or null to take {@code bootstrap.servers} from the
     *                   properties (null again when neither has it)
     * @param file       a Java properties file, or null
     * @param properties {@code key=value} pairs applied after the file
     * @throws IllegalArgumentException with a one-line reason for an unreadable file or a pair without '='
     */
    public static ClientConfig load(String bootstrap, Path file, List<String> properties) {
        Map<String, String> user = new LinkedHashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read Kafka config " + file + ": " + e);
            }
            p.stringPropertyNames().stream().sorted().forEach(k -> user.put(k, p.getProperty(k).trim()));
        }
        for (String pair : properties == null ? List.<String>of() : properties) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--kafka-property expects key=value, got '" + pair + "'");
            }
            user.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        String servers = bootstrap != null ? bootstrap : user.get(BOOTSTRAP);
        user.remove(BOOTSTRAP);
        return new ClientConfig(servers, user);
    }

    /** Same user properties against another cluster (the embedded broker of {@code lapstream upscale}). */
    public ClientConfig withBootstrap(String servers) {
        return new ClientConfig(servers, new LinkedHashMap<>(user));
    }

    /** The cluster's bootstrap servers, or null when none was given. */
    public String bootstrap() {
        return bootstrap;
    }

    public Map<String, Object> producer(Map<String, ?> defaults) {
        return plain(defaults, List.of("producer."));
    }

    public Map<String, Object> consumer(Map<String, ?> defaults) {
        return plain(defaults, List.of("consumer.", "main.consumer."));
    }

    public Map<String, Object> admin() {
        return plain(Map.of(), List.of("admin."));
    }

    /**
     * A Streams config: lapstream's defaults, then every user property as given (Streams routes the prefixes).
     * A user property without a prefix also replaces lapstream's prefixed defaults of that key: Streams would
     * otherwise let {@code producer.max.request.size} shadow the user's {@code max.request.size}.
     */
    public Properties streams(Map<?, ?> defaults) {
        Properties props = new Properties();
        props.putAll(defaults);
        user.keySet().stream().filter(k -> STREAMS_PREFIXES.stream().noneMatch(k::startsWith))
                .forEach(k -> STREAMS_PREFIXES.forEach(p -> props.remove(p + k)));
        props.putAll(user);
        props.put(BOOTSTRAP, requireBootstrap());
        return props;
    }

    private Map<String, Object> plain(Map<String, ?> defaults, List<String> own) {
        Map<String, Object> config = new LinkedHashMap<>(defaults);
        user.forEach((k, v) -> {
            if (STREAMS_PREFIXES.stream().noneMatch(k::startsWith)) {
                config.put(k, v);
            }
        });
        for (String prefix : own) {
            user.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    config.put(k.substring(prefix.length()), v);
                }
            });
        }
        config.put(BOOTSTRAP, requireBootstrap());
        return config;
    }

    private String requireBootstrap() {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    "no Kafka cluster: give --bootstrap or bootstrap.servers in --kafka-config");
        }
        return bootstrap;
    }

    /** Keys only: the values may be passwords. */
    @Override
    public String toString() {
        return "ClientConfig[" + bootstrap + ", " + user.keySet() + "]";
    }
}
