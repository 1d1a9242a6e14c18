package dev.lapstream.cli;

import dev.lapstream.core.frame.PixelCodec;

import java.nio.file.Path;

/**
 * The {@code --config} file: one section per command, every key the long name of that command's option
 * ({@code worker.commit-interval} is {@code lapstream worker --commit-interval}), so a file and a command line
 * say the same thing the same way. Every key is optional: an absent key keeps the option's built-in default,
 * and a flag given on the command line wins over the file. The {@code kafka} section applies to every
 * command that has the option, {@code metrics} to worker, sink and ingest; {@code worker} also sets the model
 * options of {@code upscale}, which runs a worker in-process.
 */
record LapstreamConfig(Kafka kafka, Metrics metrics, Worker worker, Sink sink, Ingest ingest, Upscale upscale,
                       Dashboard dashboard) {

    /** Where the cluster is, how its clients connect, how its topics look and how frames travel on them. */
    record Kafka(String bootstrap, Path kafkaConfig, String topicPrefix, Integer maxMessageBytes, Integer partitions,
                 String framesCodec, String upscaledCodec) {
        Kafka {
            positive("max-message-bytes", maxMessageBytes);
            positive("partitions", partitions);
            codec("frames-codec", framesCodec);
            codec("upscaled-codec", upscaledCodec);
        }
    }

    /** Where worker, sink and ingest serve /metrics and /health. */
    record Metrics(Integer metricsPort, String metricsBind) {
        Metrics {
            portNumber("metrics-port", metricsPort);
        }
    }

    /** An upscaling worker: its group, model, width controller, batches and transaction rhythm. */
    record Worker(String applicationId, UpscalerChoice upscaler, Path model, Integer threads,
                  Double gpuMemoryFraction, Integer tile, Integer maxModels,
                  Integer latencyTarget, Integer controllerCoolDown, Integer batchSize, Integer batchMaxWait,
                  Integer commitInterval, Integer sessionTimeout, Integer transactionTimeout) {
        Worker {
            atLeast("threads", threads, 0);
            if (gpuMemoryFraction != null && !(gpuMemoryFraction >= 0 && gpuMemoryFraction <= 1)) {
                throw new IllegalArgumentException("gpu-memory-fraction must be 0..1, got " + gpuMemoryFraction);
            }
            atLeast("tile", tile, 0);
            positive("max-models", maxModels);
            positive("latency-target", latencyTarget);
            atLeast("controller-cool-down", controllerCoolDown, 0);
            positive("batch-size", batchSize);
            positive("batch-max-wait", batchMaxWait);
            positive("commit-interval", commitInterval);
            positive("session-timeout", sessionTimeout);
            positive("transaction-timeout", transactionTimeout);
        }
    }

    /** The sink service (and one stream to one file with {@code --stream}). */
    record Sink(Integer stallTimeout, Boolean fromLatest, String streams, String groupId, String instance,
                Path outputDir, Path hlsDir, Integer hlsWindow, Boolean serveHls, Boolean encoded, Double segmentSeconds,
                Integer videoBitrate, Integer maxSegmentBytes, Integer maxStreams, Integer sessionTimeout) {
        Sink {
            positive("session-timeout", sessionTimeout);
            positive("stall-timeout", stallTimeout);
            atLeast("hls-window", hlsWindow, 0);
            atLeast("video-bitrate", videoBitrate, 0);
            positive("max-segment-bytes", maxSegmentBytes);
            positive("max-streams", maxStreams);
            if (segmentSeconds != null && !(segmentSeconds >= 0.1 && segmentSeconds <= 60)) {
                throw new IllegalArgumentException("segment-seconds must be 0.1..60, got " + segmentSeconds);
            }
        }
    }

    /** Decoding an input and publishing it. */
    record Ingest(Integer networkTimeout, Integer maxDimension) {
        Ingest {
            positive("network-timeout", networkTimeout);
            positive("max-dimension", maxDimension);
        }
    }

    /** The one-process pipeline. */
    record Upscale(Integer stallTimeout, Boolean dashboard, Integer dashboardPort) {
        Upscale {
            positive("stall-timeout", stallTimeout);
            portNumber("dashboard-port", dashboardPort);
        }
    }

    /** The live page of every stream. */
    record Dashboard(Integer port, String bind, Integer lookback) {
        Dashboard {
            portNumber("port", port);
            positive("lookback", lookback);
        }
    }

    private static void portNumber(String key, Integer value) {
        if (value != null && (value < 0 || value > 65535)) {
            throw new IllegalArgumentException(key + " must be 0..65535, got " + value);
        }
    }

    private static void codec(String key, String value) {
        if (value != null) {
            try {
                PixelCodec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage());
            }
        }
    }

    private static void positive(String key, Integer value) {
        atLeast(key, value, 1);
    }

    private static void atLeast(String key, Integer value, int min) {
        if (value != null && value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
        }
    }
}
