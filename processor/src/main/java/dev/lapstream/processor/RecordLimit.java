package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The largest upscaled record the worker may produce: its own limit or the upscaled topic's
 * {@code max.message.bytes}, whichever is lower. Under exactly-once a record the broker refuses aborts the whole
 * transaction, every stream's records in it, again on every retry; so the worker must refuse such a frame
 * itself, before producing it.
 */
final class RecordLimit {

    private static final Logger LOG = LoggerFactory.getLogger(RecordLimit.class);
    /** Record batch header, record framing, key and headers on top of the value. */
    static final int OVERHEAD = 1024;

    private RecordLimit() {
    }

    static int of(String bootstrap, Topics topics, int configured) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, topics.upscaled());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            ConfigEntry max = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            int limit = max == null ? configured : Math.min(configured, Integer.parseInt(max.value()));
            return limit - OVERHEAD;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("cannot read {} of {} ({}); assuming {}", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topics.upscaled(),
                    e.toString(), configured);
            return configured - OVERHEAD;
        }
    }
}
