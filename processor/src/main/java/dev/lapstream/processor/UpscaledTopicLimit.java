package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The largest upscaled record value the worker may produce: the producer's {@code max.request.size} or the
 * upscaled topic's {@code max.message.bytes} (less the record's framing), whichever is lower. Under exactly-once
 * a record the broker refuses aborts the whole transaction, every stream's records in it, again on every retry;
 * so the worker must refuse such a frame itself, before producing it.
 */
final class UpscaledTopicLimit {

    private static final Logger LOG = LoggerFactory.getLogger(UpscaledTopicLimit.class);
    /** Record batch header, record framing, key and headers on top of the value. */
    static final int OVERHEAD = 1024;

    private UpscaledTopicLimit() {
    }

    /** The limit and the setting it comes from. */
    record Limit(int bytes, String setting) {
    }

    /** @param producerLimit the producer's effective {@code max.request.size} */
    static Limit of(ClientConfig client, Topics topics, int producerLimit) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, topics.upscaled());
        try (Admin admin = Admin.create(client.admin())) {
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            ConfigEntry max = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (max != null && Integer.parseInt(max.value()) - OVERHEAD < producerLimit) {
                return new Limit(Integer.parseInt(max.value()) - OVERHEAD, "the max.message.bytes of "
                        + topics.upscaled() + " less " + OVERHEAD + " for the record's framing");
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("cannot read {} of {} ({}); assuming the producer's max.request.size {}",
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, topics.upscaled(), e.toString(), producerLimit);
        }
        return new Limit(producerLimit, "max.request.size");
    }
}
