package dev.lapstream.cli.faults;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.ingest.FrameProducer;
import dev.lapstream.ingest.VideoSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One stream's ingest (the same decoder and producer as {@code lapstream ingest}) as a live source the suite
 * holds back: it sends at most one frame per {@code interval} (a camera's clock) and no further than the frames
 * released so far, so every fault lands while the stream is still flowing rather than after it ended.
 */
final class PacedIngest implements AutoCloseable {

    private final String stream;
    private final Path clip;
    private final FrameProducer producer;
    private final long intervalNanos;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private Thread thread;
    private long released;
    private long sent;
    private volatile boolean finished;

    PacedIngest(ClientConfig client, Topics topics, int maxMessageBytes, PixelCodec codec, String stream, Path clip,
                Duration interval) {
        this.stream = stream;
        this.clip = clip;
        this.producer = new FrameProducer(client, topics, maxMessageBytes, codec);
        this.intervalNanos = interval.toNanos();
    }

    /** Lets {@code frames} more frames go; the first call starts the stream (its start record and frame 0). */
    synchronized void release(long frames) {
        released = Math.min(Long.MAX_VALUE - frames, released) + frames;
        if (thread == null) {
            thread = new Thread(this::publish, "faults-ingest-" + stream);
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    /** Lets the rest of the clip and the stream's end record go. */
    void releaseAll() {
        release(Long.MAX_VALUE);
    }

    /** Frames handed to the producer so far. */
    synchronized long sent() {
        return sent;
    }

    /** Whether the whole clip and its end record are on the broker. */
    boolean finished() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw new FaultSuiteException("ingest of " + stream + " failed: " + e.getMessage(), e);
        }
        return finished;
    }

    private void publish() {
        try (VideoSource source = VideoSource.open(clip)) {
            producer.publish(stream, source, this::awaitTurn);
            finished = true;
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** Called after frame {@code count - 1} was sent: holds the next one back until it is released and due. */
    private synchronized void awaitTurn(long count) {
        sent = count;
        long due = System.nanoTime() + intervalNanos;
        try {
            while (released <= count || System.nanoTime() < due) {
                if (released <= count) {
                    wait();
                } else {
                    TimeUnit.NANOSECONDS.timedWait(this, due - System.nanoTime());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            producer.stop();
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t.isAlive()) {
            producer.stop();
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close();
    }
}
