package dev.lapstream.bench;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Reference speeds of single TensorFlow kernels, measured in the same JVM and thread pool as the model so
 * "achieved / reference" compares like with like: a large MatMul (the CPU's practical ceiling) and one 3x3
 * convolution of the model's own width at the benchmark's output size (what TensorFlow's convolution kernels
 * reach on this CPU for layers of that shape).
 */
final class KernelPeaks {

    private KernelPeaks() {
    }

    /** GFLOP/s of an n x n by n x n MatMul (2·n³ operations), best of {@code reps} timed runs. */
    static double matMul(int n, int reps) {
        return best(Shape.of(n, n), Shape.of(n, n), (tf, a, b) -> tf.linalg.matMul(a, b), 2.0 * n * n * n,
                reps);
    }

    /** GFLOP/s of a 3x3 'SAME' convolution, c to c channels, on an h x w image, best of {@code reps} runs. */
    static double conv3x3(int h, int w, int c, int reps) {
        return best(Shape.of(1, h, w, c), Shape.of(3, 3, c, c),
                (tf, a, b) -> tf.nn.conv2d(a, b, Arrays.asList(1L, 1L, 1L, 1L), "SAME"),
                2.0 * h * w * 9 * c * c, reps);
    }

    private interface BinaryOp {
        Operand<TFloat32> apply(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b);
    }

    private static double best(Shape shapeA, Shape shapeB, BinaryOp op, double flops, int reps) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class);
            Placeholder<TFloat32> b = tf.placeholder(TFloat32.class);
            Operand<TFloat32> y = op.apply(tf, a, b);
            Operand<TFloat32> sum = tf.reduceSum(y, tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
            try (Session s = new Session(g); TFloat32 ta = random(shapeA); TFloat32 tb = random(shapeB)) {
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
                return flops / best / 1e9;
            }
        }
    }

    private static TFloat32 random(Shape shape) {
        float[] values = new float[(int) shape.size()];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rnd.nextDouble();
        }
        return TFloat32.tensorOf(shape, d -> d.asRawTensor().data().asFloats().write(values));
    }
}
