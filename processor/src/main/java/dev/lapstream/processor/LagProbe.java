package dev.lapstream.processor;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Records behind on an input partition, from the stream thread's consumer metric {@code records-lag}:
 * free to read (no round trip) and stale by at most one fetch, which is what a per-frame controller wants.
 * The metrics map is re-read at most every {@value #REFRESH_MS} ms.
 */
final class LagProbe {

    private static final long REFRESH_MS = 250;
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private Map<String, Long> lags = Map.of();
    private long refreshedAt;

    LagProbe(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    long lag(String topic, int partition) {
        long now = System.currentTimeMillis();
        if (now - refreshedAt > REFRESH_MS) {
            refreshedAt = now;
            Map<String, Long> fresh = new HashMap<>();
            Map<MetricName, ? extends Metric> all = metrics.get();
            if (all != null) {
                all.forEach((name, metric) -> {
                    if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                            && name.tags().containsKey("partition")) {
                        Object v = metric.metricValue();
                        if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
                            fresh.put(name.tags().get("topic") + "-" + name.tags().get("partition"), n.longValue());
                        }
                    }
                });
            }
            lags = fresh;
        }
        return lags.getOrDefault(topic + "-" + partition, 0L);
    }
}
