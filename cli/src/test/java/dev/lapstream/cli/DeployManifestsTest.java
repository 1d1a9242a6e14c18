package dev.lapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.sink.HlsOrigin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static dev.lapstream.cli.DeployFiles.argument;
import static dev.lapstream.cli.DeployFiles.deploy;
import static dev.lapstream.cli.DeployFiles.document;
import static dev.lapstream.cli.DeployFiles.kustomized;
import static dev.lapstream.cli.DeployFiles.named;
import static dev.lapstream.cli.DeployFiles.ofKind;
import static dev.lapstream.cli.DeployFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/ agrees with the code: Strimzi topics are what TopicSetup creates for the cluster's config, KEDA
 * watches the worker's own consumer group on the frames topic, ports and probe paths are the processes',
 * every container's command line parses, images and tags agree across files.
 */
class DeployManifestsTest {

    private static final String LIVE = OpsServer.LIVE;
    private static final String READY = OpsServer.READY;
    /** Workers and sinks serve on --metrics-port, the dashboard on its page's --port. */
    private static final String METRICS_PORT = "--metrics-port";
    private static final String DASHBOARD = "dashboard";
    private static final String DASHBOARD_PORT = "--port";

    /** The option that says where a command serves its metrics and health endpoints. */
    private static String portOption(List<String> args) {
        return args.get(0).equals(DASHBOARD) ? DASHBOARD_PORT : METRICS_PORT;
    }

    private static final Path BASE = deploy().resolve("k8s/base");
    private static final Path COMPOSE = deploy().resolve("compose");
    private static final List<JsonNode> K8S = kustomized(BASE);

    private static WorkerCommand clusterWorker() {
        return DeployFiles.worker(BASE.resolve("lapstream.yaml"));
    }

    @Test
    void strimziTopicsAreWhatTopicSetupCreates() {
        WorkerCommand worker = clusterWorker();
        Map<String, String> expected = new TreeMap<>();
        for (NewTopic t : TopicSetup.topics(worker.kafka.topics(), worker.partitions, worker.kafka.maxMessageBytes)) {
            expected.put(t.name(), t.numPartitions() + " " + new TreeMap<>(t.configs() == null ? Map.of() : t.configs()));
        }
        JsonNode kafka = ofKind(K8S, "Kafka").get(0);
        Map<String, String> actual = new TreeMap<>();
        for (JsonNode topic : ofKind(K8S, "KafkaTopic")) {
            assertThat(topic.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText())
                    .isEqualTo(kafka.at("/metadata/name").asText());
            assertThat(topic.at("/spec/replicas").asInt())
                    .isEqualTo(kafka.at("/spec/kafka/config/default.replication.factor").asInt());
            String name = topic.at("/spec/topicName").asText(topic.at("/metadata/name").asText());
            Map<String, String> config = new TreeMap<>();
            topic.at("/spec/config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            actual.put(name, topic.at("/spec/partitions").asInt() + " " + config);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void brokersTakeTheFrameRecords() {
        int max = clusterWorker().kafka.maxMessageBytes;
        JsonNode config = ofKind(K8S, "Kafka").get(0).at("/spec/kafka/config");
        for (String key : List.of("message.max.bytes", "replica.fetch.max.bytes", "socket.request.max.bytes")) {
            assertThat(config.path(key).asLong()).as("Strimzi " + key).isGreaterThanOrEqualTo(max);
        }
        JsonNode env = composeService("kafka").path("environment");
        int composeMax = composeWorker().kafka.maxMessageBytes;
        for (String key : List.of("KAFKA_MESSAGE_MAX_BYTES", "KAFKA_REPLICA_FETCH_MAX_BYTES",
                "KAFKA_SOCKET_REQUEST_MAX_BYTES")) {
            assertThat(env.path(key).asLong()).as("compose " + key).isGreaterThanOrEqualTo(composeMax);
        }
    }

    @Test
    void workersFindTheBrokers() {
        JsonNode kafka = ofKind(K8S, "Kafka").get(0);
        JsonNode plain = kafka.at("/spec/kafka/listeners").get(0);
        assertThat(clusterWorker().kafka.bootstrap)
                .isEqualTo(kafka.at("/metadata/name").asText() + "-kafka-bootstrap:" + plain.path("port").asInt());
        String advertised = composeService("kafka").at("/environment/KAFKA_ADVERTISED_LISTENERS").asText();
        assertThat(advertised).isEqualTo("PLAINTEXT://" + composeWorker().kafka.bootstrap);
    }

    @Test
    void kedaScalesTheWorkersOnTheirOwnGroupsLag() {
        WorkerCommand worker = clusterWorker();
        JsonNode scaler = ofKind(K8S, "ScaledObject").get(0);
        assertThat(scaler.at("/spec/scaleTargetRef/name").asText())
                .isEqualTo(ofKind(K8S, "Deployment").stream().map(d -> d.at("/metadata/name").asText())
                        .filter(n -> n.endsWith("worker")).findFirst().orElseThrow());
        JsonNode trigger = scaler.at("/spec/triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        JsonNode meta = trigger.path("metadata");
        assertThat(meta.path("consumerGroup").asText()).isEqualTo(worker.applicationId);
        assertThat(meta.path("topic").asText()).isEqualTo(worker.kafka.topics().frames());
        assertThat(meta.path("bootstrapServers").asText()).isEqualTo(worker.kafka.bootstrap);
        assertThat(Integer.parseInt(meta.path("lagThreshold").asText())).isPositive();
        // more workers than partitions would sit idle
        assertThat(scaler.at("/spec/maxReplicaCount").asInt()).isBetween(1, worker.partitions);
        assertThat(scaler.at("/spec/minReplicaCount").asInt()).isBetween(1, scaler.at("/spec/maxReplicaCount").asInt());
    }

    @Test
    void probesAndPortsAreTheProcesses() {
        for (JsonNode deployment : workloads()) {
            JsonNode pod = deployment.at("/spec/template/spec");
            for (JsonNode container : pod.path("containers")) {
                String where = deployment.at("/metadata/name").asText();
                List<String> args = strings(container.path("args"));
                int port = Integer.parseInt(argument(args, portOption(args)).orElseThrow(() ->
                        new AssertionError(where + " has no " + portOption(args))));
                JsonNode named = container.path("ports").get(0);
                assertThat(named.path("containerPort").asInt()).as(where).isEqualTo(port);
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    JsonNode get = container.path(probe).path("httpGet");
                    if (get.isMissingNode()) {
                        assertThat(probe).as(where + " needs " + probe).isEqualTo("startupProbe");
                        continue;
                    }
                    assertThat(get.path("path").asText()).as(where + " " + probe)
                            .isEqualTo(probe.equals("readinessProbe") ? READY : LIVE);
                    assertThat(get.path("port").asText()).as(where + " " + probe)
                            .isIn(named.path("name").asText(), String.valueOf(port));
                }
                JsonNode scrape = deployment.at("/spec/template/metadata/annotations/prometheus.io~1port");
                if (!scrape.isMissingNode()) {
                    assertThat(scrape.asInt()).as(where).isEqualTo(port);
                }
            }
        }
        for (JsonNode service : ofKind(K8S, "Service")) {
            JsonNode deployment = workloadSelectedBy(service);
            JsonNode container = deployment.at("/spec/template/spec/containers").get(0);
            List<String> portNames = new ArrayList<>();
            container.path("ports").forEach(p -> portNames.add(p.path("name").asText()));
            for (JsonNode port : service.at("/spec/ports")) {
                assertThat(port.path("targetPort").asText()).isIn(portNames);
            }
        }
    }

    @Test
    void sinkAndDashboardHaveServices() {
        for (String name : List.of("lapstream-sink", "lapstream-dashboard")) {
            assertThat(workloadSelectedBy(named(K8S, "Service", name)).at("/metadata/name").asText())
                    .isEqualTo(name);
        }
    }

    /**
     * Several sinks share the upscaled topic's partitions with static membership: a StatefulSet, so each pod keeps
     * its name, which is its --instance; a headless governing Service; files and HLS on one volume every sink can
     * write; and no more sinks than partitions.
     */
    @Test
    void sinksAreAStatefulSetWhosePodNamesAreTheirInstances() {
        JsonNode sinks = named(K8S, "StatefulSet", "lapstream-sink");
        assertThat(ofKind(K8S, "Deployment")).noneMatch(d -> strings(d.at("/spec/template/spec/containers").get(0)
                .path("args")).get(0).equals("sink"));
        JsonNode container = sinks.at("/spec/template/spec/containers").get(0);
        SinkCommand sink = sink(strings(container.path("args")), BASE.resolve("lapstream.yaml"));
        assertThat(sink.stream).as("the service, not one stream").isNull();

        // --instance is $(POD_NAME), which Kubernetes sets to the pod's name
        assertThat(sink.instance).isEqualTo("$(POD_NAME)");
        JsonNode env = container.path("env").findParents("name").stream()
                .filter(e -> e.path("name").asText().equals("POD_NAME")).findFirst().orElseThrow();
        assertThat(env.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");

        JsonNode governing = named(K8S, "Service", sinks.at("/spec/serviceName").asText());
        assertThat(governing.at("/spec/clusterIP").asText()).as("headless").isEqualTo("None");
        assertThat(workloadSelectedBy(governing)).isSameAs(sinks);

        // the sinks read the upscaled topic and write the encoded one, both with the worker's partitions
        Map<String, Integer> partitions = new HashMap<>();
        ofKind(K8S, "KafkaTopic").forEach(t -> partitions.put(t.at("/metadata/name").asText(),
                t.at("/spec/partitions").asInt()));
        assertThat(partitions).containsKeys(sink.kafka.topics().upscaled(), sink.kafka.topics().encoded());
        assertThat(sinks.at("/spec/replicas").asInt()).isBetween(2, partitions.get(sink.kafka.topics().upscaled()));

        // --output-dir and --hls-dir on a claim every sink can write
        JsonNode pod = sinks.at("/spec/template/spec");
        for (Path dir : List.of(sink.outputDir, sink.hlsDir)) {
            JsonNode mount = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                    .filter(m -> dir.startsWith(m.path("mountPath").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError(dir + " is on no volume"));
            JsonNode volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                    .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
            JsonNode claim = named(K8S, "PersistentVolumeClaim", volume.at("/persistentVolumeClaim/claimName").asText());
            assertThat(strings(claim.at("/spec/accessModes"))).as(dir.toString()).containsExactly("ReadWriteMany");
        }
    }

    /**
     * The sinks serve their HLS (on by default with --hls-dir) at HlsOrigin's path of their metrics port, on every
     * interface: compose publishes that port, the cluster's lapstream-hls Service (load-balanced: every sink serves
     * the shared claim) targets it and the Ingress routes that path, and only it, to the Service.
     */
    @Test
    void sinksServeTheirHlsWhereComposeAndTheClusterExposeIt() {
        List<String> command = strings(composeService("sink").path("command"));
        SinkCommand compose = sink(command, hostPath("sink", argument(command, ConfigArgument.OPTION).orElseThrow()));
        assertServesHls(compose);
        assertThat(strings(composeService("sink").path("ports"))).contains(compose.ops.port + ":" + compose.ops.port);

        JsonNode sinks = named(K8S, "StatefulSet", "lapstream-sink");
        JsonNode container = sinks.at("/spec/template/spec/containers").get(0);
        SinkCommand cluster = sink(strings(container.path("args")), BASE.resolve("lapstream.yaml"));
        assertServesHls(cluster);
        JsonNode service = named(K8S, "Service", "lapstream-hls");
        assertThat(service.at("/spec/clusterIP").asText()).as("not headless").isNotEqualTo("None");
        assertThat(workloadSelectedBy(service)).isSameAs(sinks);
        JsonNode servicePort = service.at("/spec/ports").get(0);
        JsonNode target = StreamSupport.stream(container.path("ports").spliterator(), false)
                .filter(p -> p.path("name").asText().equals(servicePort.path("targetPort").asText())).findFirst()
                .orElseThrow();
        assertThat(target.path("containerPort").asInt()).isEqualTo(cluster.ops.port);

        JsonNode paths = named(K8S, "Ingress", "lapstream-hls").at("/spec/rules").get(0).at("/http/paths");
        assertThat(paths).hasSize(1);
        assertThat(paths.get(0).path("path").asText()).isEqualTo(HlsOrigin.PATH);
        assertThat(paths.get(0).path("pathType").asText()).isEqualTo("Prefix");
        assertThat(paths.get(0).at("/backend/service/name").asText()).isEqualTo("lapstream-hls");
        assertThat(paths.get(0).at("/backend/service/port/name").asText()).isEqualTo(servicePort.path("name").asText());
    }

    private static void assertServesHls(SinkCommand sink) {
        assertThat(sink.hlsDir).isNotNull();
        assertThat(sink.serveHls).isTrue();
        assertThat(sink.ops.bind).isEqualTo("0.0.0.0");
    }

    @Test
    void everyContainerMountsTheGeneratedConfigAndItsCommandLineParses() {
        String configMap = document(BASE.resolve("kustomization.yaml")).at("/configMapGenerator").get(0)
                .path("name").asText();
        for (JsonNode deployment : workloads()) {
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = pod.path("containers").get(0);
            List<String> args = strings(container.path("args"));
            String file = argument(args, ConfigArgument.OPTION).orElseThrow();
            String volume = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (file.startsWith(mount.path("mountPath").asText() + "/")) {
                    volume = mount.path("name").asText();
                }
            }
            String mounted = volume;
            assertThat(pod.path("volumes").findValues("configMap").stream().anyMatch(cm ->
                    cm.path("name").asText().equals(configMap))).isTrue();
            assertThat(pod.path("volumes").findParents("configMap").stream()
                    .anyMatch(v -> v.path("name").asText().equals(mounted))).as(file + " is on the config map").isTrue();
            parse(args, BASE.resolve("lapstream.yaml"));
        }
    }

    @Test
    void gpuOverlayAsksForAGpuAndRunsTheGpuImage() {
        Path gpu = deploy().resolve("k8s/overlays/gpu");
        JsonNode kustomization = document(gpu.resolve("kustomization.yaml"));
        JsonNode image = kustomization.path("images").get(0);
        assertThat(image.path("name").asText()).isEqualTo(cpuImage());
        assertThat(image.path("newName").asText() + ":" + image.path("newTag").asText()).isEqualTo(gpuImageTagged());
        JsonNode patch = document(gpu.resolve(kustomization.path("patches").get(0).path("path").asText()));
        assertThat(patch.at("/metadata/name").asText()).isEqualTo(named(K8S, "ScaledObject", "lapstream-worker")
                .at("/spec/scaleTargetRef/name").asText());
        JsonNode container = patch.at("/spec/template/spec/containers").get(0);
        assertThat(container.path("name").asText()).isEqualTo(named(K8S, "Deployment", "lapstream-worker")
                .at("/spec/template/spec/containers").get(0).path("name").asText());
        assertThat(container.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
    }

    @Test
    void imagesAndTagsAgreeAcrossFiles() throws IOException {
        String cpu = cpuImage() + ":" + DeployFiles.projectVersion();
        for (JsonNode deployment : workloads()) {
            assertThat(deployment.at("/spec/template/spec/containers").get(0).path("image").asText()).isEqualTo(cpu);
        }
        JsonNode cpuImage = document(deploy().resolve("k8s/overlays/cpu/kustomization.yaml")).path("images").get(0);
        assertThat(cpuImage.path("name").asText() + ":" + cpuImage.path("newTag").asText()).isEqualTo(cpu);
        for (String service : lapstreamServices()) {
            assertThat(composeService(service).path("image").asText()).as(service).isEqualTo(cpu);
            assertThat(composeService(service).at("/build/dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile");
        }
        // the Dockerfiles copy the jar each Maven build makes and say which tag to build
        String cpuFile = Files.readString(deploy().resolve("docker/Dockerfile"));
        String gpuFile = Files.readString(deploy().resolve("docker/Dockerfile.gpu"));
        assertThat(cpuFile).contains("-t " + cpu + " ").contains(DeployFiles.pomProperty("lapstream.fatjar", false) + ".jar");
        assertThat(gpuFile).contains("-t " + gpuImageTagged() + " ").contains("-Pgpu")
                .contains(DeployFiles.pomProperty("lapstream.fatjar", true) + ".jar");
        // the Strimzi cluster runs the Kafka of the compose file
        String kafkaImage = composeService("kafka").path("image").asText();
        assertThat(kafkaImage).isEqualTo("apache/kafka:" + ofKind(K8S, "Kafka").get(0).at("/spec/kafka/version").asText());
        // TensorFlow 2.18's CUDA and cuDNN on the GPU base image
        Matcher base = Pattern.compile("FROM nvidia/cuda:(\\d+\\.\\d+)[.\\d]*-cudnn-runtime").matcher(gpuFile);
        assertThat(base.find()).isTrue();
        assertThat(base.group(1)).isEqualTo("12.5");
    }

    @Test
    void composeCommandsParseAndPrometheusScrapesEveryMetricsPort() {
        Set<String> expected = new java.util.TreeSet<>();
        for (String service : lapstreamServices()) {
            List<String> command = strings(composeService(service).path("command"));
            Path config = hostPath(service, argument(command, ConfigArgument.OPTION).orElseThrow());
            parse(command, config);
            argument(command, portOption(command)).ifPresent(port -> expected.add(service + ":" + port));
        }
        Set<String> scraped = new java.util.TreeSet<>();
        for (JsonNode job : document(COMPOSE.resolve("prometheus.yml")).path("scrape_configs")) {
            job.findValues("targets").forEach(t -> scraped.addAll(strings(t)));
        }
        assertThat(scraped).isEqualTo(expected);
        assertThat(expected).contains("worker-1:9400", "worker-2:9400", "sink:9400", "dashboard:8090");
    }

    @Test
    void grafanaLoadsTheDashboardsFolder() {
        String dashboards = document(COMPOSE.resolve("grafana/provisioning/dashboards/lapstream.yaml"))
                .at("/providers").get(0).at("/options/path").asText();
        List<String> volumes = strings(composeService("grafana").path("volumes"));
        assertThat(volumes).anyMatch(v -> v.startsWith("../grafana:" + dashboards));
        assertThat(volumes).anyMatch(v -> v.startsWith("./grafana/provisioning:/etc/grafana/provisioning"));
        assertThat(document(COMPOSE.resolve("grafana/provisioning/datasources/prometheus.yaml"))
                .at("/datasources").get(0).path("url").asText()).isEqualTo("http://prometheus:9090");
    }

    /** A command line as picocli parses it (or throws), with {@code config} standing in for the mounted file. */
    private static CommandLine.ParseResult parse(List<String> args, Path config) {
        CommandLine cli = Lapstream.commandLine();
        cli.setDefaultValueProvider(new ConfigDefaults(ConfigFile.read(config)));
        return cli.parseArgs(args.toArray(String[]::new));
    }


    /** The sink command a command line (with {@code config} as its --config) runs. */
    private static SinkCommand sink(List<String> args, Path config) {
        return (SinkCommand) parse(args, config).subcommand().commandSpec().userObject();
    }

    private static String cpuImage() {
        return "lapstream/lapstream";
    }

    private static String gpuImageTagged() {
        return "lapstream/lapstream-gpu:" + DeployFiles.projectVersion();
    }

    /** The Deployments and StatefulSets: what runs lapstream's pods. */
    private static List<JsonNode> workloads() {
        List<JsonNode> all = new ArrayList<>(ofKind(K8S, "Deployment"));
        all.addAll(ofKind(K8S, "StatefulSet"));
        return all;
    }

    private static JsonNode workloadSelectedBy(JsonNode service) {
        Map<String, String> selector = new HashMap<>();
        service.at("/spec/selector").fields().forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
        return workloads().stream().filter(d -> {
            Map<String, String> labels = new HashMap<>();
            d.at("/spec/template/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(),
                    e.getValue().asText()));
            return labels.entrySet().containsAll(selector.entrySet());
        }).findFirst().orElseThrow(() -> new AssertionError("service " + service.at("/metadata/name") + " selects no pod"));
    }

    private static JsonNode composeService(String name) {
        JsonNode service = document(COMPOSE.resolve("compose.yaml")).path("services").path(name);
        assertThat(service.isMissingNode()).as("compose service " + name).isFalse();
        return service;
    }

    /** The compose services that run lapstream (every one with a --config). */
    private static List<String> lapstreamServices() {
        List<String> names = new ArrayList<>();
        document(COMPOSE.resolve("compose.yaml")).path("services").fields().forEachRemaining(e -> {
            if (strings(e.getValue().path("command")).contains(ConfigArgument.OPTION)) {
                names.add(e.getKey());
            }
        });
        assertThat(names).contains("worker-1", "worker-2", "sink", "ingest", "specs", "dashboard");
        return names;
    }

    private static WorkerCommand composeWorker() {
        List<String> command = strings(composeService("worker-1").path("command"));
        return DeployFiles.worker(hostPath("worker-1", argument(command, ConfigArgument.OPTION).orElseThrow()));
    }

    /** The file on this side of a compose bind mount. */
    private static Path hostPath(String service, String containerPath) {
        for (String volume : strings(composeService(service).path("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[1].equals(containerPath)) {
                return COMPOSE.resolve(parts[0]).normalize();
            }
        }
        throw new AssertionError(service + " mounts nothing at " + containerPath);
    }
}
