package dev.lapstream.broker;

import dev.lapstream.core.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Creates lapstream's topics if they are missing: frame topics take whole raw frames, the streams topic
 * is compacted so the latest spec per stream survives.
 */
public final class TopicSetup {

    private TopicSetup() {
    }

    /**
     * @param partitions partitions of the frames and upscaled topics (the parallelism of the workers)
     * @param maxMessageBytes largest record the frame topics accept
     */
    public static void ensure(Admin admin, Topics topics, int partitions, int maxMessageBytes) {
        for (NewTopic topic : topics(topics, partitions, maxMessageBytes)) {
            try {
                admin.createTopics(List.of(topic)).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            }
        }
    }

    /**
     * The topics {@link #ensure} creates, with their partitions and configs (replication is the broker's
     * default); deploy/'s Strimzi topics are checked against these.
     */
    public static List<NewTopic> topics(Topics topics, int partitions, int maxMessageBytes) {
        Map<String, String> frames = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes));
        return List.of(
                new NewTopic(topics.frames(), Optional.of(partitions), Optional.empty()).configs(frames),
                new NewTopic(topics.upscaled(), Optional.of(partitions), Optional.empty()).configs(frames),
                new NewTopic(topics.dlq(), Optional.of(1), Optional.empty()).configs(frames),
                new NewTopic(topics.metrics(), Optional.of(partitions), Optional.empty()),
                new NewTopic(topics.stats(), Optional.of(partitions), Optional.empty()),
                // the upscaled topic's partition count, so a stream's segments land on its upscaled partition's
                // number; segments stay under the broker's default record limit, so no config
                new NewTopic(topics.encoded(), Optional.of(partitions), Optional.empty()),
                new NewTopic(topics.streams(), Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }
}
