package dev.lapstream.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The serving graph: inputs {@code image} [N, h, w, 3] RGB in [0, 1], {@code scale_h},
 * {@code scale_w} (float step factors; the output is floor(h * scale_h + 0.5) x floor(w * scale_w + 0.5)),
 * optional {@code width} (int, active base channels; defaults to full width); output
 * {@code output}, clipped to [0, 1]. One network pass; recursion for factors above 2 is the
 * engine's ({@link AsdnUpscaler}).
 *
 * <p>SavedModel signatures: {@code serving_default} (image, scale_h, scale_w) and
 * {@code with_width} (image, scale_h, scale_w, width). The directory also holds
 * {@code asdn.json} (the architecture).
 */
public final class InferenceGraph {

    public static final String SIG_DEFAULT = "serving_default";
    public static final String SIG_WIDTH = "with_width";
    public static final String CONFIG_FILE = "asdn.json";

    final Graph graph;
    final AsdnNetwork net;
    final Placeholder<TFloat32> image;
    final Placeholder<TFloat32> scaleH;
    final Placeholder<TFloat32> scaleW;
    final PlaceholderWithDefault<TInt32> width;
    final Operand<TFloat32> output;

    /** Builds the graph (variables unassigned) into a new {@link Graph}. */
    public InferenceGraph(AsdnConfig cfg) {
        graph = new Graph();
        net = new AsdnNetwork(graph, cfg, false);
        Ops tf = net.ops();
        image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
        scaleH = tf.withName("scale_h").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        scaleW = tf.withName("scale_w").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        width = tf.withName("width").placeholderWithDefault(tf.constant(cfg.channels()), Shape.scalar());
        Operand<TInt32> shape = tf.shape(image);
        Operand<TFloat32> h = tf.dtypes.cast(tf.gather(shape, tf.constant(1), tf.constant(0)), TFloat32.class);
        Operand<TFloat32> w = tf.dtypes.cast(tf.gather(shape, tf.constant(2), tf.constant(0)), TFloat32.class);
        // round half up (TF's Round is half-to-even): floor(x + 0.5)
        Operand<TFloat32> half = tf.constant(0.5f);
        Operand<TInt32> outH = tf.dtypes.cast(tf.math.floor(net.add(tf.math.mul(h, scaleH), half)), TInt32.class);
        Operand<TInt32> outW = tf.dtypes.cast(tf.math.floor(net.add(tf.math.mul(w, scaleW), half)), TInt32.class);
        Operand<TFloat32> sr = net.forward(image, outH, outW, scaleH, scaleW, width);
        output = tf.withName("output").clipByValue(sr, tf.constant(0f), tf.constant(1f));
    }

    /**
     * The session options of every serving graph. On a GPU, memory growth: TensorFlow otherwise claims the whole
     * device for the first process, so several workers could not share one GPU (ignored on the CPU).
     */
    public static ConfigProto config(int intraOpThreads) {
        return config(intraOpThreads, 0);
    }

    /**
     * {@link #config(int)} with at most {@code gpuMemoryFraction} of each GPU's memory for this process (0: no cap
     * beyond growing as needed), so workers sharing a device cannot starve each other.
     */
    public static ConfigProto config(int intraOpThreads, double gpuMemoryFraction) {
        if (!(gpuMemoryFraction >= 0 && gpuMemoryFraction <= 1)) {
            throw new IllegalArgumentException("GPU memory fraction must be 0..1, got " + gpuMemoryFraction);
        }
        GPUOptions.Builder gpu = GPUOptions.newBuilder().setAllowGrowth(true);
        if (gpuMemoryFraction > 0) {
            gpu.setPerProcessGpuMemoryFraction(gpuMemoryFraction);
        }
        ConfigProto.Builder b = ConfigProto.newBuilder().setGpuOptions(gpu);
        if (intraOpThreads > 0) {
            b.setIntraOpParallelismThreads(intraOpThreads).setInterOpParallelismThreads(1);
        }
        return b.build();
    }

    /** A session with the given weights assigned. */
    Session session(Map<String, float[]> weights, int intraOpThreads) {
        Session s = new Session(graph, config(intraOpThreads));
        List<Tensor> open = new ArrayList<>();
        try {
            Session.Runner r = s.runner();
            for (AsdnNetwork.Param p : net.params().values()) {
                float[] v = weights.get(p.spec.name());
                if (v == null) {
                    throw new IllegalArgumentException("missing weight " + p.spec.name());
                }
                Tensor t = Tensors.of(v, p.spec.shape());
                open.add(t);
                r.feed(p.value, t).addTarget(p.assign);
            }
            r.run().close();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        } finally {
            open.forEach(Tensor::close);
        }
        return s;
    }

    /** Exports weights as a SavedModel with both signatures, plus {@code asdn.json}. */
    public static void export(AsdnConfig cfg, Map<String, float[]> weights, Path dir) throws IOException {
        InferenceGraph ig = new InferenceGraph(cfg);
        try (Graph g = ig.graph; Session s = ig.session(weights, 0)) {
            Signature def = Signature.builder().key(SIG_DEFAULT).input("image", ig.image)
                    .input("scale_h", ig.scaleH).input("scale_w", ig.scaleW).output("output", ig.output).build();
            Signature wid = Signature.builder().key(SIG_WIDTH).input("image", ig.image)
                    .input("scale_h", ig.scaleH).input("scale_w", ig.scaleW).input("width", ig.width)
                    .output("output", ig.output).build();
            Files.createDirectories(dir);
            SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(def).withSignature(wid).export();
            Files.writeString(dir.resolve(CONFIG_FILE), cfg.toJson() + "\n", StandardCharsets.UTF_8);
        }
    }
}
