package dev.lapstream.cli.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults of one run, in order, drawn from a seed so a failing run can be repeated exactly: worker SIGKILLs
 * (a random worker each time), then a SIGKILL of one stream's sink, then a broker restart. Each fault lands at a
 * random moment of its window of frames, so many hit frames in flight (sent, not yet committed).
 */
record KillSchedule(long seed, List<Fault> faults) {

    enum Kind {
        WORKER("SIGKILL worker"), SINK("SIGKILL sink"), BROKER("broker restart");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * @param target the worker slot or stream number (0 for the broker)
     * @param moment when in its window the fault hits, from 0 (as the window's first frame is sent) to 1 (one
     *               frame interval after its last)
     */
    record Fault(Kind kind, int target, double moment) {
    }

    KillSchedule {
        faults = List.copyOf(faults);
    }

    static KillSchedule draw(long seed, int workerKills, int workers, int streams) {
        Random random = new Random(seed);
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < workerKills; i++) {
            faults.add(new Fault(Kind.WORKER, random.nextInt(workers), random.nextDouble()));
        }
        faults.add(new Fault(Kind.SINK, random.nextInt(streams), random.nextDouble()));
        faults.add(new Fault(Kind.BROKER, 0, random.nextDouble()));
        return new KillSchedule(seed, faults);
    }
}
