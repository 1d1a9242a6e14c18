package dev.lapstream.cli;

import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the cluster for its id before a command does anything else, so a wrong {@code --bootstrap} fails within
 * seconds naming the address, instead of after the clients' 30-60 s timeouts with a message that does not.
 */
final class KafkaReach {

    static final int TIMEOUT_MS = 10_000;

    private KafkaReach() {
    }

    /** @param client the cluster and the user's client properties (security settings included) */
    static void check(ClientConfig client) {
        String bootstrap = client.bootstrap();
        Map<String, Object> config = new HashMap<>(client.admin());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).clusterId()
                    .get(TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " within " + TIMEOUT_MS / 1000
                    + " s (" + ErrorHandler.oneLine(cause) + "); check --bootstrap (or bootstrap.servers in"
                    + " --kafka-config), the client settings and that the broker is up", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + bootstrap, e);
        }
    }
}
