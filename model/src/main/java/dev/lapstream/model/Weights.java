package dev.lapstream.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Weight maps (name to values in {@link AsdnConfig#params()} order). */
public final class Weights {

    private Weights() {
    }

    /** N(0, std) per weight from a seeded generator (zeros where std is 0). */
    public static Map<String, float[]> random(AsdnConfig cfg, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (AsdnConfig.ParamSpec s : cfg.params()) {
            float[] a = new float[(int) s.size()];
            if (s.std() > 0) {
                for (int i = 0; i < a.length; i++) {
                    double u1 = rnd.nextDouble();
                    double u2 = rnd.nextDouble();
                    a[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2) * s.std());
                }
            }
            w.put(s.name(), a);
        }
        return w;
    }

    public static Map<String, float[]> zeros(AsdnConfig cfg) {
        Map<String, float[]> w = new LinkedHashMap<>();
        for (AsdnConfig.ParamSpec s : cfg.params()) {
            w.put(s.name(), new float[(int) s.size()]);
        }
        return w;
    }
}
