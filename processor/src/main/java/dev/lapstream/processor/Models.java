package dev.lapstream.processor;

import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.spec.StreamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upscalers a worker serves: its own, and the models stream specs name ({@link StreamSpec#model}), each loaded
 * once, on its stream's first record, and kept while the worker runs. At most {@code maxModels} named models: each
 * holds a graph and its weights in native memory, and a model is never closed under a frame that runs on it, so the
 * bound is the worker's memory bound; a spec naming one more is refused with the reason. A model that fails to load
 * is remembered with its reason for {@link #RETRY}, so its stream's frames are refused at once instead of each
 * loading it again; other streams are untouched.
 */
public final class Models implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Models.class);
    /** How long a failed load is not retried. */
    static final Duration RETRY = Duration.ofMinutes(1);
    /** The default bound on named models. */
    public static final int DEFAULT_MAX = 4;

    /** Opens the model a spec names; throws with a reason when it cannot. */
    @FunctionalInterface
    public interface Loader {
        Upscaler load(String model);
    }

    /** A stream's model cannot serve it: the reason goes to its records' dead letters. */
    static final class UnavailableModelException extends RuntimeException {
        UnavailableModelException(String message) {
            super(message);
        }
    }

    private record Failure(String reason, long atMillis) {
    }

    private final Upscaler own;
    private final Loader loader;
    private final int maxModels;
    private final Map<String, Upscaler> loaded = new LinkedHashMap<>();
    private final Map<String, Failure> failed = new HashMap<>();

    /** @param own the worker's upscaler, for specs that name no model (closed by its owner, not here) */
    public Models(Upscaler own, Loader loader, int maxModels) {
        this.own = own;
        this.loader = loader;
        this.maxModels = maxModels;
    }

    /** Only the worker's own upscaler: a spec naming a model is refused. */
    public static Models only(Upscaler own) {
        return new Models(own, model -> {
            throw new IllegalArgumentException("this worker loads no models but its own");
        }, 1);
    }

    Upscaler own() {
        return own;
    }

    /** The upscaler of the spec's stream: its named model (loaded on first use) or the worker's own. */
    Upscaler forSpec(StreamSpec spec) {
        return spec.model() == null ? own : named(spec.model());
    }

    private synchronized Upscaler named(String model) {
        Upscaler up = loaded.get(model);
        if (up != null) {
            return up;
        }
        long now = System.currentTimeMillis();
        Failure before = failed.get(model);
        if (before != null && now - before.atMillis() < RETRY.toMillis()) {
            throw new UnavailableModelException(before.reason());
        }
        if (loaded.size() >= maxModels) {
            throw new UnavailableModelException("model '" + model + "' not loaded: this worker serves at most "
                    + maxModels + " named models (" + String.join(", ", loaded.keySet()) + ")");
        }
        try {
            up = loader.load(model);
        } catch (RuntimeException e) {
            String reason = "model '" + model + "' cannot be loaded: " + firstLine(e);
            failed.put(model, new Failure(reason, now));
            LOG.warn("{}", reason);
            throw new UnavailableModelException(reason);
        }
        failed.remove(model);
        loaded.put(model, up);
        LOG.info("loaded model '{}' ({})", model, up.name());
        return up;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Closes the named models (the worker's own stays with its owner). */
    @Override
    public synchronized void close() {
        List<Upscaler> all = new ArrayList<>(loaded.values());
        loaded.clear();
        for (Upscaler up : all) {
            try {
                up.close();
            } catch (Exception e) {
                LOG.warn("closing a model: {}", e.toString());
            }
        }
    }
}
