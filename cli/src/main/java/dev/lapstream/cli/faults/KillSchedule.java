package dev.lapstream.cli.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults of one run, in order, drawn from a seed so a failing run can be repeated exactly: worker SIGKILLs
 * (a random worker each time), then a SIGKILL of one stream's sink, then a broker restart. Each fault lands a
 * random delay after its stream segment starts flowing, so some hit an open transaction and some an idle worker.
 */
record KillSchedule(long seed, List<Fault> faults) {

    enum Kind {
        WORKER("SIGKILL worker"), SINK("SIGKILL sink"), BROKER("broker restart");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** @param target the worker slot or stream number (0 for the broker) */
    record Fault(Kind kind, int target, Duration delay) {
    }

    KillSchedule {
        faults = List.copyOf(faults);
    }

    static KillSchedule draw(long seed, int workerKills, int workers, int streams, Duration maxDelay) {
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < workerKills; i++) {
            faults.add(new Fault(Kind.WORKER, random.nextInt(workers), delay(random, maxDelay)));
        }
        faults.add(new Fault(Kind.SINK, random.nextInt(streams), delay(random, maxDelay)));
        faults.add(new Fault(Kind.BROKER, 0, delay(random, maxDelay)));
        return new KillSchedule(seed, faults);
    }

    private static Duration delay(Random random, Duration max) {
        return Duration.ofMillis((long) (random.nextDouble() * max.toMillis()));
    }
}
