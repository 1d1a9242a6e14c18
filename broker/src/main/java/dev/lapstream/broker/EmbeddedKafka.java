package dev.lapstream.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running inside this JVM on loopback,
 * with its log in a temporary directory that is deleted on close. Sized for one machine: replication
 * factor 1, few internal partitions, small cleaner buffer, and request limits that fit raw video frames.
 * {@link #startSecured} puts its client listener behind SASL (PLAIN), the way a secured cluster looks to clients.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** Largest record the broker accepts: an upscaled raw frame of up to ~4.6k x 4.6k RGB. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    /** The user the broker authenticates as to itself, and what {@link #client()} connects as. */
    public static final String BROKER_USER = "broker";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    private final Path logDir;
    private final boolean keepLog;
    /** The server's settings, ports included, so {@link #restart} brings it back at the same address. */
    private final Properties props;
    private volatile KafkaRaftServer server;
    private final ClientConfig client;

    private EmbeddedKafka(Path logDir, boolean keepLog, Properties props, KafkaRaftServer server, ClientConfig client) {
        this.logDir = logDir;
        this.keepLog = keepLog;
        this.props = props;
        this.server = server;
        this.client = client;
    }

    /** Formats a fresh temporary log directory, starts the server and waits until it answers (5–10 s). */
    public static EmbeddedKafka start() {
        try {
            return start(Files.createTempDirectory("lapstream-kafka-"), false, null, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory for the embedded broker", e);
        }
    }

    /**
     * Like {@link #start()}, but clients and the broker itself must authenticate with SASL PLAIN over
     * {@code SASL_PLAINTEXT}; {@code users} maps user names to passwords (besides {@link #BROKER_USER}).
     */
    public static EmbeddedKafka startSecured(Map<String, String> users) {
        try {
            return start(Files.createTempDirectory("lapstream-kafka-"), false, users, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory for the embedded broker", e);
        }
    }

    /** The JAAS line a PLAIN client sends: what {@code sasl.jaas.config} holds in a client's properties. */
    public static String plainLogin(String user, String password) {
        return PLAIN_LOGIN + " required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /**
     * A broker on a log directory that outlives it: formatted if new, otherwise started on what an earlier
     * broker left there (topics, records, committed offsets; also after that broker was killed). Not deleted on
     * {@link #close}.
     */
    public static EmbeddedKafka startKept(Path dir) {
        return startKept(dir, Map.of());
    }

    /**
     * Like {@link #startKept(Path)}, with broker {@code settings} over the defaults (a fault test's shorter
     * failure-detection bounds, say).
     */
    public static EmbeddedKafka startKept(Path dir, Map<String, String> settings) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's log directory " + dir, e);
        }
        return start(dir, true, null, settings);
    }

    private static EmbeddedKafka start(Path dir, boolean keep, Map<String, String> users,
                                       Map<String, String> settings) {
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String listener = users == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        props.put("listeners", listener + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", listener + "://127.0.0.1:" + brokerPort);
        props.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", listener);
        String brokerPassword = "broker-" + Uuid.randomUuid();
        if (users != null) {
            props.put("sasl.enabled.mechanisms", "PLAIN");
            props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            // PLAIN's broker side: its own login plus one user_NAME="password" per user it accepts
            String accepted = users.entrySet().stream().map(u -> " user_" + u.getKey() + "=\"" + u.getValue() + "\"")
                    .collect(Collectors.joining());
            props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_LOGIN + " required username=\""
                    + BROKER_USER + "\" password=\"" + brokerPassword + "\" user_" + BROKER_USER + "=\""
                    + brokerPassword + "\"" + accepted + ";");
        }
        props.put("log.dirs", dir.toString());
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // the default cleaner buffer is 128 MB of heap; a local broker needs a sliver of it
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 << 20));
        props.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        props.put("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        props.put("socket.request.max.bytes", String.valueOf(2 * MAX_MESSAGE_BYTES));
        props.put("log.segment.bytes", String.valueOf(256 << 20));
        props.putAll(settings);
        KafkaConfig config = new KafkaConfig(props, false);
        try {
            if (Files.exists(dir.resolve("meta.properties"))) {
                LOG.info("embedded broker: reusing the log directory {}", dir);
            } else {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(1)
                        .setClusterId(Uuid.randomUuid().toString())
                        .addDirectory(dir.toString())
                        .setMetadataLogDirectory(dir.toString())
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setControllerListenerName("CONTROLLER")
                        .run();
            }
        } catch (Exception e) {
            if (!keep) {
                deleteQuietly(dir);
            }
            throw new IllegalStateException("cannot format the embedded broker's log directory: " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + brokerPort;
        ClientConfig client = users == null ? ClientConfig.of(bootstrap) : ClientConfig.load(bootstrap, null,
                List.of("security.protocol=SASL_PLAINTEXT", "sasl.mechanism=PLAIN",
                        "sasl.jaas.config=" + plainLogin(BROKER_USER, brokerPassword)));
        EmbeddedKafka kafka = new EmbeddedKafka(dir, keep, props, server, client);
        long t0 = System.nanoTime();
        try {
            server.startup();
            kafka.awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("embedded Kafka broker ready at {} ({}) in {} ms", bootstrap, listener,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return kafka;
    }

    public String bootstrapServers() {
        return client.bootstrap();
    }

    /** How to reach this broker: as the broker's own user when it is secured. */
    public ClientConfig client() {
        return client;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(client.admin())) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka broker did not start within " + timeout, e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded broker", e);
        }
    }

    /**
     * Stops the broker (a controlled shutdown) and starts it again on the same ports and log directory, as an
     * operator restarts a node: clients reconnect to the same address and find every record and offset committed
     * before. Returns once it answers again.
     */
    public synchronized void restart() {
        shutdownServer();
        long t0 = System.nanoTime();
        server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
        LOG.info("embedded Kafka broker at {} restarted in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private void shutdownServer() {
        server.shutdown();
        server.awaitShutdown();
    }

    @Override
    public void close() {
        try {
            shutdownServer();
        } catch (RuntimeException e) {
            LOG.warn("embedded broker shutdown: {}", e.toString());
        } finally {
            if (!keepLog) {
                deleteQuietly(logDir);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for the embedded broker", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
