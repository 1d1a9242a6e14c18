package dev.lapstream.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The checks behind {@code /health/live} and {@code /health/ready}: each is a name and a probe, and a
 * process is live (or ready) when all of its probes are up. Components register their own probes, so the
 * server knows nothing of Kafka Streams or models.
 */
public final class Health {

    /** One probe's answer: whether it is up, and a word on why (shown to whoever probes). */
    public record Status(boolean up, String detail) {

        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }

    /** Everything a probe endpoint answers. */
    public record Report(boolean up, Map<String, Status> checks) {
    }

    private final Map<String, Supplier<Status>> liveness = new LinkedHashMap<>();
    private final Map<String, Supplier<Status>> readiness = new LinkedHashMap<>();

    /** A probe that must be up for the process to count as alive (an orchestrator restarts it otherwise). */
    public synchronized Health live(String name, Supplier<Status> probe) {
        liveness.put(name, probe);
        return this;
    }

    /** A probe that must be up before the process gets work (or traffic). */
    public synchronized Health ready(String name, Supplier<Status> probe) {
        readiness.put(name, probe);
        return this;
    }

    public Report liveness() {
        return report(snapshot(liveness));
    }

    /** Ready only when live as well: a failed process is never ready. */
    public Report readiness() {
        Map<String, Supplier<Status>> all;
        synchronized (this) {
            all = new LinkedHashMap<>(liveness);
            all.putAll(readiness);
        }
        return report(all);
    }

    private synchronized Map<String, Supplier<Status>> snapshot(Map<String, Supplier<Status>> probes) {
        return new LinkedHashMap<>(probes);
    }

    private static Report report(Map<String, Supplier<Status>> probes) {
        Map<String, Status> checks = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, Supplier<Status>> e : probes.entrySet()) {
            Status s;
            try {
                s = e.getValue().get();
            } catch (RuntimeException ex) { // a probe that throws says the component is broken, not the server
                s = Status.down(ex.toString());
            }
            checks.put(e.getKey(), s);
            up &= s.up();
        }
        return new Report(up, checks);
    }
}
