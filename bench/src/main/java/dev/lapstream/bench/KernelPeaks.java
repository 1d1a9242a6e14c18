package dev.lapstream.bench;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.SplittableRandom;

/**
 * The CPU's practical ceiling for this process: GFLOP/s of a large TensorFlow MatMul, measured in the same
 * JVM and thread pool as the model, so "achieved / peak" compares like with like.
 */
final class MatMulPeak {

    private MatMulPeak() {
    }

    /** 2·n³ floating-point operations per multiplication, best of {@code reps} timed runs after a warm-up. */
    static double gflops(int n, int reps) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class);
            Placeholder<TFloat32> b = tf.placeholder(TFloat32.class);
            Operand<TFloat32> sum = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[]{0, 1}));
            float[] values = new float[n * n];
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rnd.nextDouble();
            }
            try (Session s = new Session(g);
                 TFloat32 ta = TFloat32.tensorOf(Shape.of(n, n), d -> d.asRawTensor().data().asFloats().write(values));
                 TFloat32 tb = TFloat32.tensorOf(Shape.of(n, n), d -> d.asRawTensor().data().asFloats().write(values))) {
                double best = Double.MAX_VALUE;
                for (int r = 0; r <= reps; r++) {
                    long t0 = System.nanoTime();
                    try (Result out = s.runner().feed(a, ta).feed(b, tb).fetch(sum).run()) {
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        if (r > 0) {
                            best = Math.min(best, seconds);
                        }
                    }
                }
                return 2.0 * n * n * n / best / 1e9;
            }
        }
    }
}
