package dev.lapstream.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The training graph: ASDN forward, L1 loss, gradients, and Adam written in-graph with a usage
 * mask, so a step that ran a narrow subnet (or one LFR level) leaves every weight it did not
 * use, and that weight's Adam moments, bit-for-bit unchanged (AnySR Algorithm 1's "update only
 * the used slice"; a framework Adam would keep moving unused weights with stale moments).
 *
 * <p>Optionally a second path runs two recursive passes (x3, x4) end to end with its own loss
 * and mask, sharing the weights and moments ({@link #stepTwoPass}).
 *
 * <p>Learning rate and bias correction are fed per step from Java ({@link #step}).
 */
public final class AsdnTraining implements AutoCloseable {

    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-8f;

    /** Adam state of one weight. */
    static final class Slot {
        final AsdnNetwork.Param param;
        final Variable<TFloat32> m;
        final Variable<TFloat32> v;
        final Placeholder<TFloat32> mValue;
        final Placeholder<TFloat32> vValue;
        final Assign<TFloat32> mAssign;
        final Assign<TFloat32> vAssign;

        Slot(AsdnNetwork.Param param, Variable<TFloat32> m, Variable<TFloat32> v, Placeholder<TFloat32> mValue,
             Placeholder<TFloat32> vValue, Assign<TFloat32> mAssign, Assign<TFloat32> vAssign) {
            this.param = param;
            this.m = m;
            this.v = v;
            this.mValue = mValue;
            this.vValue = vValue;
            this.mAssign = mAssign;
            this.vAssign = vAssign;
        }
    }

    private final Graph graph;
    private final Session session;
    private final AsdnNetwork net;
    private final AsdnConfig cfg;
    private final Placeholder<TFloat32> lr;
    private final Placeholder<TFloat32> hr;
    private final Placeholder<TFloat32> scaleH;
    private final Placeholder<TFloat32> scaleW;
    private final Placeholder<TInt32> width;
    private final Placeholder<TFloat32> stepSize;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> sr;
    private final Op train;
    private final Placeholder<TInt32> midH;
    private final Placeholder<TInt32> midW;
    private final Placeholder<TFloat32> scale2;
    private final Operand<TFloat32> loss2;
    private final Op train2;
    private final List<Slot> slots = new ArrayList<>();

    public AsdnTraining(AsdnConfig cfg, int intraOpThreads) {
        this(cfg, intraOpThreads, false);
    }

    /**
     * @param twoPass also build the two-pass path ({@link #stepTwoPass}): recursive deployment
     *                trained end to end, so the second pass learns from the first pass's output
     *                rather than only from bicubic-degraded input
     */
    public AsdnTraining(AsdnConfig cfg, int intraOpThreads, boolean twoPass) {
        this.cfg = cfg;
        this.graph = new Graph();
        this.net = new AsdnNetwork(graph, cfg, true);
        Ops tf = net.ops();
        lr = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
        hr = tf.withName("hr").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
        scaleH = tf.withName("scale_h").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        scaleW = tf.withName("scale_w").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        width = tf.withName("width").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
        stepSize = tf.withName("step_size").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Operand<TInt32> hrShape = tf.shape(hr);
        Operand<TInt32> outH = tf.gather(hrShape, tf.constant(1), tf.constant(0));
        Operand<TInt32> outW = tf.gather(hrShape, tf.constant(2), tf.constant(0));
        sr = net.forward(lr, outH, outW, scaleH, scaleW, width);
        loss = tf.withName("loss").math.mean(tf.math.abs(tf.math.sub(sr, hr)), tf.constant(new int[] {0, 1, 2, 3}));
        Operand<TFloat32> usage = net.takeUsage();
        for (AsdnNetwork.Param p : net.params().values()) {
            String n = p.spec.name();
            Shape shape = Shape.of(p.spec.shape());
            Variable<TFloat32> m = tf.withName(n + "_m").variable(shape, TFloat32.class);
            Variable<TFloat32> v = tf.withName(n + "_v").variable(shape, TFloat32.class);
            Placeholder<TFloat32> mv = tf.withName(n + "_m_value").placeholder(TFloat32.class, Placeholder.shape(shape));
            Placeholder<TFloat32> vv = tf.withName(n + "_v_value").placeholder(TFloat32.class, Placeholder.shape(shape));
            Assign<TFloat32> ma = tf.withName(n + "_m_assign").assign(m, mv);
            Assign<TFloat32> va = tf.withName(n + "_v_assign").assign(v, vv);
            slots.add(new Slot(p, m, v, mv, vv, ma, va));
        }
        train = maskedAdam("train", loss, usage);

        if (twoPass) {
            midH = tf.withName("mid_h").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
            midW = tf.withName("mid_w").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
            scale2 = tf.withName("scale2").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            // the engine clips each pass's output before the next pass (AsdnUpscaler)
            Operand<TFloat32> mid = tf.clipByValue(net.forward(lr, midH, midW, scaleH, scaleW, width),
                    tf.constant(0f), tf.constant(1f));
            Operand<TFloat32> sr2 = net.forward(mid, outH, outW, scale2, scale2, width);
            loss2 = tf.withName("loss2").math.mean(tf.math.abs(tf.math.sub(sr2, hr)),
                    tf.constant(new int[] {0, 1, 2, 3}));
            train2 = maskedAdam("train2", loss2, net.takeUsage());
        } else {
            midH = null;
            midW = null;
            scale2 = null;
            loss2 = null;
            train2 = null;
        }
        ConfigProto.Builder cp = ConfigProto.newBuilder();
        if (intraOpThreads > 0) {
            cp.setIntraOpParallelismThreads(intraOpThreads).setInterOpParallelismThreads(1);
        }
        session = new Session(graph, cp.build());
    }

    /** Gradients of {@code loss} and one Adam update of the weights (and moments) {@code usage} marks as used. */
    private Op maskedAdam(String name, Operand<TFloat32> loss, Operand<TFloat32> usage) {
        Ops tf = net.ops();
        Output<?>[] xs = new Output<?>[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            xs[i] = slots.get(i).param.read.asOutput();
        }
        Output<?>[] grads = graph.addGradients(name + "_grad", new Output<?>[] {loss.asOutput()}, xs, null);
        Output<?>[] used = graph.addGradients(name + "_usage", new Output<?>[] {usage.asOutput()}, xs, null);

        List<Op> deps = new ArrayList<>();
        for (Output<?> g : grads) {
            deps.add(g);
        }
        deps.add(loss);
        Ops tfc = tf.withControlDependencies(deps);
        Operand<TFloat32> ob1 = tf.constant(1 - BETA1);
        Operand<TFloat32> ob2 = tf.constant(1 - BETA2);
        Operand<TFloat32> eps = tf.constant(EPSILON);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            Operand<TFloat32> g = cast(grads[i]);
            Operand<TFloat32> mask = tf.dtypes.cast(tf.math.greater(cast(used[i]), tf.constant(0f)), TFloat32.class);
            Operand<TFloat32> mr = tf.identity(s.m);
            Operand<TFloat32> vr = tf.identity(s.v);
            Operand<TFloat32> mNew = net.add(mr, tf.math.mul(mask, tf.math.mul(ob1, tf.math.sub(g, mr))));
            Operand<TFloat32> vNew = net.add(vr, tf.math.mul(mask, tf.math.mul(ob2, tf.math.sub(tf.math.mul(g, g), vr))));
            Operand<TFloat32> upd = tf.math.div(tf.math.mul(stepSize, mNew), net.add(tf.math.sqrt(vNew), eps));
            Operand<TFloat32> wNew = tf.math.sub(s.param.read, tf.math.mul(mask, upd));
            updates.add(tfc.assign(s.m, mNew));
            updates.add(tfc.assign(s.v, vNew));
            updates.add(tfc.assign(s.param.variable, wNew));
        }
        return tf.withName(name).withControlDependencies(updates).noOp();
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32> cast(Output<?> o) {
        return (Output<TFloat32>) o;
    }

    public AsdnConfig config() {
        return cfg;
    }

    public Graph graph() {
        return graph;
    }

    public Session session() {
        return session;
    }

    /** Adam step size with bias correction for 1-based step t. */
    public static float adamStepSize(double learningRate, long t) {
        return (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t)));
    }

    /**
     * One masked Adam step. Batches: {@code lrData} [n, lh, lw, 3], {@code hrData} [n, hh, hw, 3],
     * RGB in [0, 1]. Returns the L1 loss before the update.
     */
    public float step(float[] lrData, float[] hrData, int n, int lh, int lw, int hh, int hw, double sH, double sW,
                      int subnetWidth, double learningRate, long t) {
        try (TFloat32 l = Tensors.of(lrData, n, lh, lw, 3);
             TFloat32 h = Tensors.of(hrData, n, hh, hw, 3);
             TFloat32 sh = TFloat32.scalarOf((float) sH);
             TFloat32 sw = TFloat32.scalarOf((float) sW);
             TInt32 w = TInt32.scalarOf(subnetWidth);
             TFloat32 ss = TFloat32.scalarOf(adamStepSize(learningRate, t));
             Result r = session.runner().feed(lr, l).feed(hr, h).feed(scaleH, sh).feed(scaleW, sw).feed(width, w)
                     .feed(stepSize, ss).addTarget(train).fetch(loss).run()) {
            return Tensors.toFloat(r.get(0));
        }
    }

    /**
     * One masked Adam step through two recursive passes: {@code lrData} [n, lh, lw, 3] goes to
     * (midH x midW) at step factor {@code s1}, is clipped to [0, 1], and goes on to the HR size
     * at {@code s2} (symmetric factors, as {@link RecursionPlanner} plans them). Needs the
     * two-pass constructor. Returns the L1 loss before the update.
     */
    public float stepTwoPass(float[] lrData, float[] hrData, int n, int lh, int lw, int mh, int mw, int hh, int hw,
                             double s1, double s2, int subnetWidth, double learningRate, long t) {
        if (train2 == null) {
            throw new IllegalStateException("built without the two-pass path");
        }
        try (TFloat32 l = Tensors.of(lrData, n, lh, lw, 3);
             TFloat32 h = Tensors.of(hrData, n, hh, hw, 3);
             TFloat32 a = TFloat32.scalarOf((float) s1);
             TFloat32 b = TFloat32.scalarOf((float) s2);
             TInt32 th = TInt32.scalarOf(mh);
             TInt32 tw = TInt32.scalarOf(mw);
             TInt32 w = TInt32.scalarOf(subnetWidth);
             TFloat32 ss = TFloat32.scalarOf(adamStepSize(learningRate, t));
             Result r = session.runner().feed(lr, l).feed(hr, h).feed(scaleH, a).feed(scaleW, a).feed(scale2, b)
                     .feed(midH, th).feed(midW, tw).feed(width, w).feed(stepSize, ss).addTarget(train2)
                     .fetch(loss2).run()) {
            return Tensors.toFloat(r.get(0));
        }
    }

    /** Loss and SR output without updating. */
    public float evalLoss(float[] lrData, float[] hrData, int n, int lh, int lw, int hh, int hw, double sH, double sW,
                          int subnetWidth) {
        try (TFloat32 l = Tensors.of(lrData, n, lh, lw, 3);
             TFloat32 h = Tensors.of(hrData, n, hh, hw, 3);
             TFloat32 sh = TFloat32.scalarOf((float) sH);
             TFloat32 sw = TFloat32.scalarOf((float) sW);
             TInt32 w = TInt32.scalarOf(subnetWidth);
             Result r = session.runner().feed(lr, l).feed(hr, h).feed(scaleH, sh).feed(scaleW, sw).feed(width, w)
                     .fetch(loss).run()) {
            return Tensors.toFloat(r.get(0));
        }
    }

    /** SR of a batch to (oh x ow): [n, oh, ow, 3] floats (not clipped). */
    public float[] infer(float[] lrData, int n, int lh, int lw, int oh, int ow, double sH, double sW, int subnetWidth) {
        float[] dummy = new float[n * oh * ow * 3];
        try (TFloat32 l = Tensors.of(lrData, n, lh, lw, 3);
             TFloat32 h = Tensors.of(dummy, n, oh, ow, 3);
             TFloat32 sh = TFloat32.scalarOf((float) sH);
             TFloat32 sw = TFloat32.scalarOf((float) sW);
             TInt32 w = TInt32.scalarOf(subnetWidth);
             Result r = session.runner().feed(lr, l).feed(hr, h).feed(scaleH, sh).feed(scaleW, sw).feed(width, w)
                     .fetch(sr).run()) {
            return Tensors.toArray(r.get(0));
        }
    }

    /** Random init ({@link Weights#random}); Adam moments zero. */
    public void initialize(long seed) {
        Map<String, float[]> zeros = Weights.zeros(cfg);
        setState(Weights.random(cfg, seed), zeros, zeros);
    }

    /** Assigns weights and (if non-null) Adam moments. */
    public void setState(Map<String, float[]> weights, Map<String, float[]> m, Map<String, float[]> v) {
        List<Tensor> open = new ArrayList<>();
        try {
            Session.Runner run = session.runner();
            for (Slot s : slots) {
                long[] shape = s.param.spec.shape();
                String n = s.param.spec.name();
                float[] wv = weights.get(n);
                if (wv == null) {
                    throw new IllegalArgumentException("missing weight " + n);
                }
                TFloat32 tw = Tensors.of(wv, shape);
                open.add(tw);
                run.feed(s.param.value, tw).addTarget(s.param.assign);
                if (m != null && v != null) {
                    TFloat32 tm = Tensors.of(m.get(n), shape);
                    TFloat32 tv = Tensors.of(v.get(n), shape);
                    open.add(tm);
                    open.add(tv);
                    run.feed(s.mValue, tm).addTarget(s.mAssign).feed(s.vValue, tv).addTarget(s.vAssign);
                }
            }
            run.run().close();
        } finally {
            for (Tensor t : open) {
                t.close();
            }
        }
    }

    /** Current weights, first and second moments, by weight name. */
    public Map<String, float[]>[] getState() {
        @SuppressWarnings("unchecked")
        Map<String, float[]>[] out = new Map[] {new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>()};
        Session.Runner run = session.runner();
        for (Slot s : slots) {
            run.fetch(s.param.read).fetch(s.m).fetch(s.v);
        }
        try (Result r = run.run()) {
            for (int i = 0; i < slots.size(); i++) {
                String n = slots.get(i).param.spec.name();
                out[0].put(n, Tensors.toArray(r.get(3 * i)));
                out[1].put(n, Tensors.toArray(r.get(3 * i + 1)));
                out[2].put(n, Tensors.toArray(r.get(3 * i + 2)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
