package dev.lapstream.trainer;

import dev.lapstream.model.Checkpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lapstream average}: the mean of the weights of several checkpoints of one run (checkpoint
 * averaging, as in stochastic weight averaging): late checkpoints at a constant learning rate
 * scatter around a minimum by SGD noise, and their mean sits nearer its centre.
 */
@Command(name = "average", mixinStandardHelpOptions = true,
        description = "Average the weights of checkpoints of the same architecture into a new checkpoint.")
public final class AverageCommand implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "CKPT", description = "ckpt.bin files to average.")
    List<Path> inputs;

    @Option(names = "--out", required = true, description = "Checkpoint to write (then `lapstream export` it).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<Checkpoint> cks = new ArrayList<>();
        for (Path p : inputs) {
            cks.add(Checkpoint.read(p));
        }
        Checkpoint avg = average(cks);
        avg.write(out);
        System.out.printf("averaged %d checkpoints (steps %d..%d) -> %s%n", cks.size(), cks.get(0).step(),
                avg.step(), out);
        return 0;
    }

    /**
     * Mean weights; step, seed, wall time, settings and Adam moments of the last checkpoint (so
     * training can resume from the average).
     */
    static Checkpoint average(List<Checkpoint> cks) {
        Checkpoint last = cks.get(cks.size() - 1);
        for (Checkpoint c : cks) {
            if (!c.config().toJson().equals(last.config().toJson())) {
                throw new IllegalArgumentException("checkpoints of different architectures: " + c.config().toJson()
                        + " vs " + last.config().toJson());
            }
        }
        Map<String, float[]> mean = new LinkedHashMap<>();
        for (String name : last.weights().keySet()) {
            double[] sum = new double[last.weights().get(name).length];
            for (Checkpoint c : cks) {
                float[] w = c.weights().get(name);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += w[i];
                }
            }
            float[] w = new float[sum.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (sum[i] / cks.size());
            }
            mean.put(name, w);
        }
        return new Checkpoint(last.config(), last.step(), last.seed(), last.wallSeconds(), last.trainerJson(), mean,
                last.m(), last.v());
    }
}
