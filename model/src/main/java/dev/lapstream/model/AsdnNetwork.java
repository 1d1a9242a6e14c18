package dev.lapstream.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBicubic;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The ASDN graph with AnySR width slicing, built into a TensorFlow {@link Graph}.
 *
 * <p>The family ({@link ModelFamily}) decides where the feature mapping branch runs: on the
 * bicubic-upsampled image ({@link PreUpsampling}) or on the LR image ({@link LowResolution}, {@link MetaSr},
 * {@link ArbSr}), and how its features reach the output size (IRBs here, {@link MetaUpscale} or
 * {@link ScaleAwareUpsampler}). The
 * branch ({@link #featureMapping}): head 3x3 conv; {@code blocks} dense attention blocks (DAB: intra dense block of
 * {@code layers} 3x3 conv+ReLU layers with growth G, channel attention on the concatenation,
 * 1x1 local fusion + local residual), densely connected across blocks (each DAB reads a 1x1
 * compression of the concatenation of the head and all previous DAB outputs); global fusion
 * (1x1 over all block outputs, 3x3, + head residual). Then ({@link #reconstruct}) the two IRBs of the
 * LFR level (3x3 conv to 3 channels + spatial attention, weights of all 11 levels stacked and gathered
 * by level) and the LFR interpolation, at the output size; global skip (add the upsampled input). The dense concatenations are never
 * built: a convolution over one is the sum of a convolution per segment, and each segment meets
 * the kernels of all its readers in one wide convolution as soon as it exists (later layers of its
 * block: {@link #feedLaterLayers}; later block inputs and the global fusion: {@link #feedReaders}).
 * Only the local fusion concatenates its block's features, with the channel-attention gate folded
 * into its kernel ({@link #gatedFuse}).
 *
 * <p>Width: every layer uses the first floor(n * width / C) filters of its full-width
 * variable (Slice ops on the full variables; each dense segment is sliced on its own). Scale
 * pair: enters each CA MLP by feature interweaving: the MLP's first layer holds feature rows and
 * lambda scale-pair rows; the subnet uses its active feature rows and the first
 * floor(lambda * width / C) pair rows, which is the paper's interleaved
 * [f_1..f_{C/lambda}, s_h, s_w, f_..., s_h, s_w, ...] layout with the rows stored permuted.
 *
 * <p>Every read of a weight also adds its used part to {@link #takeUsage()}: the gradient of usage
 * w.r.t. the weights is the mask of weights a run used (LFR level i-1 counts with its
 * interpolation weight, so at an exact level it is unused), which masked Adam needs.
 */
public final class AsdnNetwork {

    /** A weight: the variable, its read value, and an assign-from-placeholder op for loading. */
    public static final class Param {
        public final AsdnConfig.ParamSpec spec;
        public final Variable<TFloat32> variable;
        public final Operand<TFloat32> read;
        public final Placeholder<TFloat32> value;
        public final Assign<TFloat32> assign;

        Param(AsdnConfig.ParamSpec spec, Variable<TFloat32> variable, Operand<TFloat32> read,
              Placeholder<TFloat32> value, Assign<TFloat32> assign) {
            this.spec = spec;
            this.variable = variable;
            this.read = read;
            this.value = value;
            this.assign = assign;
        }
    }

    private final AsdnConfig cfg;
    private final Graph graph;
    private final Ops tf;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final List<Operand<TFloat32>> usageTerms = new ArrayList<>();
    private final Map<Integer, Operand<TInt32>> activeCache = new HashMap<>();
    private final boolean training;
    private Operand<TInt32> width;

    /**
     * @param training build for training: the 1x1 readers of the global dense connection become one wide
     *                 convolution per feature, split by a transpose ({@link #sideBySide}), instead of one
     *                 broadcast matrix product ({@link #readerProducts}). The product serves 1.16x faster (C64,
     *                 full width) but its gradient, a [readers, pixels, C] intermediate summed over the readers,
     *                 made a training step 8 % slower. Same function either way.
     */
    public AsdnNetwork(Graph graph, AsdnConfig cfg, boolean training) {
        this.graph = graph;
        this.training = training;
        this.cfg = cfg;
        this.tf = Ops.create(graph);
        for (AsdnConfig.ParamSpec s : cfg.params()) {
            Variable<TFloat32> v = tf.withName(s.name()).variable(Shape.of(s.shape()), TFloat32.class);
            Operand<TFloat32> read = tf.withName(s.name() + "_read").identity(v);
            Placeholder<TFloat32> ph = tf.withName(s.name() + "_value").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(s.shape())));
            Assign<TFloat32> as = tf.withName(s.name() + "_assign").assign(v, ph);
            params.put(s.name(), new Param(s, v, read, ph, as));
        }
    }

    public Ops ops() {
        return tf;
    }

    public Graph graph() {
        return graph;
    }

    public AsdnConfig config() {
        return cfg;
    }

    public Map<String, Param> params() {
        return params;
    }

    /**
     * Sum over the weight slices read by the forward passes built since the last call; its gradient
     * w.r.t. each {@code read} is the usage mask of those passes (one graph can hold several
     * training paths, each with its own mask).
     */
    public Operand<TFloat32> takeUsage() {
        Operand<TFloat32> u = tf.constant(0f);
        for (Operand<TFloat32> t : usageTerms) {
            u = add(u, t);
        }
        usageTerms.clear();
        return u;
    }

    // ---------------------------------------------------------------- helpers

    /** AddV2 built directly (its gradient is registered; see DESIGN). */
    @SuppressWarnings("unchecked")
    Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
        Output<?> o = tf.scope().opBuilder("AddV2", "AddV2")
                .addInput(a.asOutput()).addInput(b.asOutput()).build().output(0);
        return (Output<TFloat32>) o;
    }

    /** BatchMatMulV2 built directly: its gradient is registered, BatchMatMulV3's (TF Java's wrapper) is not. */
    @SuppressWarnings("unchecked")
    private Operand<TFloat32> batchMatMul(Operand<TFloat32> a, Operand<TFloat32> b) {
        Output<?> o = tf.scope().opBuilder("BatchMatMulV2", "BatchMatMulV2")
                .addInput(a.asOutput()).addInput(b.asOutput()).build().output(0);
        return (Output<TFloat32>) o;
    }

    /** The subnet's count of a layer with {@code full} filters at full width: floor(full * width / C). */
    Operand<TInt32> active(int full) {
        return activeCache.computeIfAbsent(full, n -> tf.math.floorDiv(tf.math.mul(tf.constant(n), width),
                tf.constant(cfg.channels())));
    }

    /** Marks {@code slice} (of a weight's read value) as used by this pass, weighted by {@code factor} (null: 1). */
    void use(Operand<TFloat32> slice, Operand<TFloat32> factor) {
        Operand<TFloat32> s = tf.reduceSum(slice, tf.range(tf.constant(0), tf.rank(slice), tf.constant(1)));
        usageTerms.add(factor == null ? s : tf.math.mul(s, factor));
    }

    /** A channel segment of a concatenation: full offset and length, active length. */
    private record Seg(int offset, int full, Operand<TInt32> active) {
    }

    private Seg seg(int offset, int full) {
        return new Seg(offset, full, active(full));
    }

    private Seg fixedSeg(int offset, int full) {
        return new Seg(offset, full, tf.constant(full));
    }

    private Operand<TInt32> vec(List<Operand<TInt32>> parts) {
        return tf.stack(parts);
    }

    private Operand<TInt32> c(int v) {
        return tf.constant(v);
    }

    /** The kernel [k,k,cin,cout] sliced per active input segment to the active output count. */
    private List<Operand<TFloat32>> kernelParts(String name, List<Seg> in, Operand<TInt32> outActive) {
        Param p = params.get(name + "_w");
        int k = (int) p.spec.shape()[0];
        List<Operand<TFloat32>> parts = new ArrayList<>();
        for (Seg s : in) {
            Operand<TFloat32> part = tf.slice(p.read, vec(List.of(c(0), c(0), c(s.offset), c(0))),
                    vec(List.of(c(k), c(k), s.active, outActive)));
            use(part, null);
            parts.add(part);
        }
        return parts;
    }

    private Operand<TFloat32> bias(String name, Operand<TInt32> outActive) {
        Param p = params.get(name + "_b");
        Operand<TFloat32> b = tf.slice(p.read, vec(List.of(c(0))), vec(List.of(outActive)));
        use(b, null);
        return b;
    }

    /** A convolution of one segment's active channels to {@code outFull} (scaled by the width) outputs, with bias. */
    private Operand<TFloat32> conv(String name, Operand<TFloat32> x, Seg in, int outFull) {
        return sideBySide(x, in, List.of(name), active(outFull), true).get(0);
    }

    /**
     * Adds segment {@code x}'s share to the pre-activation of every later dense layer of its block
     * ({@code first} .. layers-1) with one convolution whose filters are those layers' kernels for
     * the segment side by side, split afterwards. Same function as one convolution per
     * (segment, layer), but one wide convolution instead of several narrow ones: TensorFlow's CPU
     * kernels reach about twice the multiply-adds per second at 48-64 output channels as at 8-16.
     */
    private void feedLaterLayers(String pre, Operand<TFloat32> x, Seg s, int first,
                                 List<List<Operand<TFloat32>>> partial) {
        List<String> layers = new ArrayList<>();
        for (int l = first; l < cfg.layers(); l++) {
            layers.add(pre + "l" + l);
        }
        if (layers.isEmpty()) {
            return;
        }
        // the block input reaches every layer: it carries their biases
        List<Operand<TFloat32>> parts = sideBySide(x, s, layers, active(cfg.growth()), first == 0);
        for (int i = 0; i < parts.size(); i++) {
            partial.get(first + i).add(parts.get(i));
        }
    }

    /**
     * Adds feature {@code k} of the global dense connection (0 = head, b + 1 = output of block b) to every
     * 1x1 convolution that reads it (the inputs of blocks max(1, k) .. B-1 and gff1) at once, against all those
     * readers' kernels for it (see the constructor for the form when training and when serving). Same function as one convolution per (feature, reader), in
     * B + 1 products instead of (B + 1)(B + 2) / 2 - 1 narrow convolutions (27 for B = 6), each of which costs
     * a pass over the feature map and an addition.
     */
    private void feedReaders(Operand<TFloat32> x, int k, List<List<Operand<TFloat32>>> readers) {
        int cc = cfg.channels();
        List<String> names = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int b = Math.max(1, k); b < cfg.blocks(); b++) {
            names.add("b" + b + "_in");
            slots.add(b - 1);
        }
        names.add("gff1");
        slots.add(cfg.blocks() - 1);
        // the head reaches every reader: it carries their biases
        List<Operand<TFloat32>> parts = training ? sideBySide(x, seg(k * cc, cc), names, active(cc), k == 0)
                : readerProducts(x, seg(k * cc, cc), names, active(cc), k == 0);
        for (int i = 0; i < parts.size(); i++) {
            readers.get(slots.get(i)).add(parts.get(i));
        }
    }

    /**
     * {@link #sideBySide} for 1x1 readers as one matrix product broadcast over the readers' kernels,
     * [1, pixels, cin] x [n, cin, k]: the parts come out reader-major, so taking them apart copies
     * nothing, where splitting the channels of one wide convolution's output copied every part.
     */
    private List<Operand<TFloat32>> readerProducts(Operand<TFloat32> x, Seg s, List<String> readers,
                                                   Operand<TInt32> outActive, boolean withBiases) {
        if (readers.size() == 1) {
            return sideBySide(x, s, readers, outActive, withBiases);
        }
        List<Operand<TFloat32>> kernels = new ArrayList<>();
        for (String name : readers) {
            kernels.add(tf.squeeze(kernelParts(name, List.of(s), outActive).get(0), Squeeze.axis(List.of(0L, 1L))));
        }
        Operand<TFloat32> y = batchMatMul(tf.reshape(x, vec(List.of(c(1), c(-1), s.active))),
                tf.stack(kernels)); // [n, N*H*W, k]
        if (withBiases) {
            List<Operand<TFloat32>> biases = new ArrayList<>();
            for (String name : readers) {
                biases.add(bias(name, outActive));
            }
            y = add(y, tf.expandDims(tf.stack(biases), c(1)));
        }
        return partMaps(y, readers.size(), x, outActive);
    }

    /**
     * Segment {@code x} convolved once with its share of every reader's kernel, side by side, and split into
     * one partial sum per reader. With {@code withBiases} the result also carries the readers' biases
     * (TensorFlow fuses them into the kernel); exactly one producer of each reader must do so.
     */
    private List<Operand<TFloat32>> sideBySide(Operand<TFloat32> x, Seg s, List<String> readers,
                                               Operand<TInt32> outActive, boolean withBiases) {
        List<Operand<TFloat32>> rows = new ArrayList<>();
        for (String name : readers) {
            rows.addAll(kernelParts(name, List.of(s), outActive));
        }
        Operand<TFloat32> kernel = rows.size() == 1 ? rows.get(0) : tf.concat(rows, c(3));
        Operand<TFloat32> y = tf.nn.conv2d(x, kernel, Arrays.asList(1L, 1L, 1L, 1L), "SAME");
        if (withBiases) {
            List<Operand<TFloat32>> biases = new ArrayList<>();
            for (String name : readers) {
                biases.add(bias(name, outActive));
            }
            y = tf.nn.biasAdd(y, biases.size() == 1 ? biases.get(0) : tf.concat(biases, c(0)));
        }
        return readers.size() == 1 ? List.of(y) : splitChannels(y, readers.size(), outActive);
    }

    /**
     * Splits the channels of {@code y} [N, H, W, n * k] into n parts [N, H, W, k]. TensorFlow's split along
     * the channel axis copies in k-float strides (slow for k = 8..32); moving the part index to the front
     * with one transpose lets the split along the first axis share the buffer instead.
     */
    private List<Operand<TFloat32>> splitChannels(Operand<TFloat32> y, int n, Operand<TInt32> k) {
        Operand<TFloat32> rows = tf.reshape(y, vec(List.of(c(-1), c(n), k))); // [N*H*W, n, k]
        Operand<TFloat32> byPart = tf.linalg.transpose(rows, tf.constant(new int[] {1, 0, 2})); // [n, N*H*W, k]
        return partMaps(byPart, n, y, k);
    }

    /** The n parts of {@code byPart} [n, N*H*W, k] as maps [N, H, W, k], N, H, W those of {@code like}. */
    private List<Operand<TFloat32>> partMaps(Operand<TFloat32> byPart, int n, Operand<TFloat32> like,
                                             Operand<TInt32> k) {
        Operand<TInt32> partShape = tf.concat(List.of(tf.slice(tf.shape(like), tf.constant(new int[] {0}),
                tf.constant(new int[] {3})), tf.reshape(k, tf.constant(new int[] {1}))), c(0));
        List<Operand<TFloat32>> parts = new ArrayList<>();
        for (Operand<TFloat32> part : tf.split(c(0), byPart, (long) n)) {
            parts.add(tf.reshape(part, partShape));
        }
        return parts;
    }

    private Operand<TFloat32> sum(List<Operand<TFloat32>> xs) {
        return xs.size() == 1 ? xs.get(0) : tf.math.addN(xs);
    }

    // ---------------------------------------------------------------- forward

    /**
     * Builds the forward pass of the config's family ({@link ModelFamily}).
     *
     * @param image  LR batch [N, h, w, 3], RGB in [0, 1]
     * @param outH   output height (int32 scalar)
     * @param outW   output width (int32 scalar)
     * @param scaleH vertical step factor (float scalar, for LFR and the CA MLPs)
     * @param scaleW horizontal step factor (float scalar)
     * @param width  active base channels (int32 scalar, 1..C)
     * @return the SR batch [N, outH, outW, 3] (not clipped)
     */
    public Operand<TFloat32> forward(Operand<TFloat32> image, Operand<TInt32> outH, Operand<TInt32> outW,
                                     Operand<TFloat32> scaleH, Operand<TFloat32> scaleW, Operand<TInt32> width) {
        this.width = width;
        activeCache.clear();
        return cfg.implementation().forward(this, image, outH, outW, scaleH, scaleW);
    }

    /** Bicubic resize (half-pixel centres, Keys a = -0.5) of images to (outH, outW). */
    Operand<TFloat32> bicubic(Operand<TFloat32> image, Operand<TInt32> outH, Operand<TInt32> outW) {
        return tf.withName("upsampled").image.resizeBicubic(image, tf.stack(List.of(outH, outW)),
                ResizeBicubic.halfPixelCenters(true), ResizeBicubic.alignCorners(false));
    }

    /** Bilinear resize (half-pixel centres) of feature maps to (outH, outW). */
    Operand<TFloat32> bilinear(Operand<TFloat32> x, Operand<TInt32> outH, Operand<TInt32> outW) {
        return tf.image.resizeBilinear(x, tf.stack(List.of(outH, outW)), ResizeBilinear.halfPixelCenters(true),
                ResizeBilinear.alignCorners(false));
    }

    /** The image plus the reconstructed residual: the network's output (global skip). */
    Operand<TFloat32> output(Operand<TFloat32> upsampled, Operand<TFloat32> residual) {
        return tf.withName("sr").identity(add(upsampled, residual));
    }

    /**
     * The feature mapping branch on an RGB batch in [0, 1] (centred first): head 3x3 conv, the densely connected
     * DABs, global fusion and the head residual; C channels at the input's size.
     */
    Operand<TFloat32> featureMapping(Operand<TFloat32> image, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW) {
        return featureMapping(image, scaleH, scaleW, BlockAdaption.NONE);
    }

    /** A family's change to a DAB's output before later blocks and the global fusion read it (ArbSR's adaption). */
    @FunctionalInterface
    interface BlockAdaption {
        /** No change: the graph of the ASDN families and Meta-SR. */
        BlockAdaption NONE = (block, output) -> output;

        Operand<TFloat32> adapt(int block, Operand<TFloat32> output);
    }

    /** {@link #featureMapping(Operand, Operand, Operand)} with each DAB's output passed through {@code adaption}. */
    Operand<TFloat32> featureMapping(Operand<TFloat32> image, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW,
                                     BlockAdaption adaption) {
        int cc = cfg.channels();
        int g = cfg.growth();
        Operand<TFloat32> x0 = tf.math.sub(image, tf.constant(0.5f));
        Operand<TFloat32> scalePair = tf.reshape(tf.stack(List.of(scaleH, scaleW)), tf.constant(new int[] {1, 2}));

        Operand<TFloat32> head = conv("head", x0, fixedSeg(0, 3), cc);
        // partial sums of the 1x1 convolutions that read block outputs: one per block input (blocks 1..B-1), then gff1
        List<List<Operand<TFloat32>>> readers = new ArrayList<>();
        for (int b = 0; b < cfg.blocks(); b++) {
            readers.add(new ArrayList<>());
        }
        feedReaders(head, 0, readers);
        for (int b = 0; b < cfg.blocks(); b++) {
            String pre = "b" + b + "_";
            Operand<TFloat32> xin = b == 0 ? head : sum(readers.get(b - 1));
            List<Operand<TFloat32>> dense = new ArrayList<>();
            List<Seg> denseSegs = new ArrayList<>();
            dense.add(xin);
            denseSegs.add(seg(0, cc));
            List<List<Operand<TFloat32>>> partial = new ArrayList<>();
            for (int j = 0; j < cfg.layers(); j++) {
                partial.add(new ArrayList<>());
            }
            feedLaterLayers(pre, xin, denseSegs.get(0), 0, partial);
            for (int j = 0; j < cfg.layers(); j++) {
                Operand<TFloat32> y = tf.nn.relu(sum(partial.get(j)));
                Seg ys = seg(cc + j * g, g);
                dense.add(y);
                denseSegs.add(ys);
                feedLaterLayers(pre, y, ys, j + 1, partial);
            }
            Operand<TFloat32> fb = adaption.adapt(b, add(gatedFuse(pre, dense, denseSegs, scalePair, xin), xin));
            feedReaders(fb, b + 1, readers);
        }
        Operand<TFloat32> gf = sum(readers.get(cfg.blocks() - 1));
        return add(conv("gff3", gf, seg(0, cc), cc), head);
    }

    /**
     * Sub-pixel convolution to {@code factor} times the size: 3x3 conv of the C features to factor² x {@code outFull}
     * channels, then depth-to-space. The kernel {@code name_w} is stored [3, 3, C, factor², outFull] so that a subnet
     * slices each of the factor² sub-pixel positions to its own first floor(outFull * width / C) channels.
     */
    Operand<TFloat32> subPixel(Operand<TFloat32> x, String name, int outFull, int factor) {
        int positions = factor * factor;
        Operand<TInt32> ca = active(cfg.channels());
        Operand<TInt32> ua = active(outFull);
        Param w = params.get(name + "_w");
        Operand<TFloat32> k = tf.slice(w.read, tf.constant(new int[] {0, 0, 0, 0, 0}),
                vec(List.of(c(3), c(3), ca, c(positions), ua)));
        use(k, null);
        Param b = params.get(name + "_b");
        Operand<TFloat32> bias = tf.slice(b.read, tf.constant(new int[] {0, 0}), vec(List.of(c(positions), ua)));
        use(bias, null);
        Operand<TInt32> depth = tf.math.mul(c(positions), ua);
        Operand<TFloat32> y = tf.nn.conv2d(x, tf.reshape(k, vec(List.of(c(3), c(3), ca, depth))),
                Arrays.asList(1L, 1L, 1L, 1L), "SAME");
        y = tf.nn.biasAdd(y, tf.reshape(bias, tf.reshape(depth, tf.constant(new int[] {1}))));
        return tf.nn.depthToSpace(y, (long) factor);
    }

    /**
     * The IRB of one stored level (3x3 conv to 3 channels + spatial attention) on {@code features} (their first
     * floor(channels * width / C) channels), without LFR interpolation: the residual at the features' size.
     */
    Operand<TFloat32> reconstructLevel(Operand<TFloat32> features, int channels, int level) {
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TInt32> li = c(level);
        Operand<TFloat32> o = tf.nn.conv2d(features, levelKernel(li, active(channels), one),
                Arrays.asList(1L, 1L, 1L, 1L), "SAME");
        return spatialAttention(tf.nn.biasAdd(o, levelSlice("irb_b", li, one)), li, one);
    }

    /**
     * The IRBs of the LFR level of max(scaleH, scaleW) on {@code features} (their first floor(channels * width / C)
     * channels) and the LFR interpolation (Eq. 2-4): the residual, 3 channels at the features' size.
     */
    Operand<TFloat32> reconstruct(Operand<TFloat32> features, int channels, Operand<TFloat32> scaleH,
                                  Operand<TFloat32> scaleW) {
        // LFR level from the larger step factor (see Lfr)
        Operand<TFloat32> r = tf.clipByValue(tf.math.maximum(scaleH, scaleW), tf.constant(1f), tf.constant(2f));
        Operand<TFloat32> t = tf.math.mul(tf.math.sub(r, tf.constant(1f)), tf.constant(10f));
        Operand<TFloat32> iF = tf.clipByValue(tf.math.ceil(tf.math.sub(t, tf.constant((float) Lfr.TOL))),
                tf.constant(0f), tf.constant((float) (cfg.levels() - 1)));
        Operand<TFloat32> wLfr = tf.withName("lfr_weight").clipByValue(tf.math.sub(iF, t), tf.constant(0f),
                tf.constant(1f));
        Operand<TInt32> li = tf.withName("lfr_level").dtypes.cast(iF, TInt32.class);
        Operand<TInt32> lp = tf.math.maximum(tf.math.sub(li, c(1)), c(0));

        Operand<TFloat32> one = tf.constant(1f);
        Operand<TInt32> ca = active(channels);
        Operand<TFloat32> ki = levelKernel(li, ca, one);
        Operand<TFloat32> kp = levelKernel(lp, ca, wLfr);
        Operand<TFloat32> both = tf.nn.conv2d(features, tf.concat(List.of(ki, kp), c(3)),
                Arrays.asList(1L, 1L, 1L, 1L), "SAME");
        Operand<TFloat32> bi = levelSlice("irb_b", li, one);
        Operand<TFloat32> bp = levelSlice("irb_b", lp, wLfr);
        both = tf.nn.biasAdd(both, tf.concat(List.of(bi, bp), c(0)));
        Operand<TFloat32> oi = tf.slice(both, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1, -1, 3}));
        Operand<TFloat32> op = tf.slice(both, tf.constant(new int[] {0, 0, 0, 3}), tf.constant(new int[] {-1, -1, -1, 3}));
        oi = spatialAttention(oi, li, one);
        op = spatialAttention(op, lp, wLfr);
        return add(oi, tf.math.mul(wLfr, tf.math.sub(op, oi)));
    }

    private Operand<TFloat32> levelKernel(Operand<TInt32> level, Operand<TInt32> ca, Operand<TFloat32> factor) {
        Param p = params.get("irb_w");
        Operand<TFloat32> k = tf.gather(p.read, level, c(0)); // [3,3,C,3]
        k = tf.slice(k, tf.constant(new int[] {0, 0, 0, 0}), vec(List.of(c(3), c(3), ca, c(3))));
        use(k, factor);
        return k;
    }

    private Operand<TFloat32> levelSlice(String name, Operand<TInt32> level, Operand<TFloat32> factor) {
        Operand<TFloat32> v = tf.gather(params.get(name).read, level, c(0));
        use(v, factor);
        return v;
    }

    private Operand<TFloat32> spatialAttention(Operand<TFloat32> o, Operand<TInt32> level, Operand<TFloat32> factor) {
        Operand<TFloat32> w1 = levelSlice("sa_w1", level, factor); // [3, h]
        Operand<TFloat32> b1 = levelSlice("sa_b1", level, factor);
        Operand<TFloat32> w2 = levelSlice("sa_w2", level, factor); // [h, 3]
        Operand<TFloat32> b2 = levelSlice("sa_b2", level, factor);
        Operand<TFloat32> k1 = tf.expandDims(tf.expandDims(w1, c(0)), c(0));
        Operand<TFloat32> k2 = tf.expandDims(tf.expandDims(w2, c(0)), c(0));
        List<Long> s1 = Arrays.asList(1L, 1L, 1L, 1L);
        Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(o, k1, s1, "SAME"), b1));
        Operand<TFloat32> m = tf.math.sigmoid(tf.nn.biasAdd(tf.nn.conv2d(h, k2, s1, "SAME"), b2));
        return tf.math.mul(o, m);
    }

    /**
     * The block's 1x1 fusion of its channel-attention-gated dense features. The gate scales input
     * channels, so it is folded into a per-image kernel: one batched matrix product over the
     * concatenated features instead of a gating multiply and a narrow convolution per segment.
     *
     * @param like a tensor of the output's shape (the block input)
     */
    private Operand<TFloat32> gatedFuse(String pre, List<Operand<TFloat32>> xs, List<Seg> segs,
                                        Operand<TFloat32> scalePair, Operand<TFloat32> like) {
        Operand<TFloat32> x = tf.concat(xs, c(3)); // [N, H, W, n]
        Operand<TInt32> shape = tf.shape(x);
        Operand<TInt32> batch = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        Operand<TFloat32> rows = tf.reshape(x, tf.concat(List.of(batch, tf.constant(new int[] {-1}),
                tf.slice(shape, tf.constant(new int[] {3}), tf.constant(new int[] {1}))), c(0))); // [N, H*W, n]
        Operand<TFloat32> gate = channelGate(pre, meanOverPixels(rows, batch), segs, scalePair); // [N, n]
        Operand<TInt32> oa = active(cfg.channels());
        Operand<TFloat32> k = tf.squeeze(tf.concat(kernelParts(pre + "fuse", segs, oa), c(2)),
                Squeeze.axis(List.of(0L, 1L))); // [n, c]
        Operand<TFloat32> perImage = tf.math.mul(tf.expandDims(gate, c(2)), k); // [N, n, c]
        Operand<TFloat32> y = tf.reshape(batchMatMul(rows, perImage), tf.shape(like));
        return tf.nn.biasAdd(y, bias(pre + "fuse", oa));
    }

    /**
     * The mean of {@code rows} [N, P, n] over its P pixels, [N, n], as a product with a row of ones: TensorFlow's
     * CPU reduction over the pixel axes of a feature map took 2-3 times as long as this matrix product.
     */
    private Operand<TFloat32> meanOverPixels(Operand<TFloat32> rows, Operand<TInt32> batch) {
        Operand<TInt32> pixels = tf.slice(tf.shape(rows), tf.constant(new int[] {1}), tf.constant(new int[] {1}));
        Operand<TFloat32> ones = tf.fill(tf.concat(List.of(batch, tf.constant(new int[] {1}), pixels), c(0)),
                tf.constant(1f)); // [N, 1, P]
        Operand<TFloat32> sums = tf.squeeze(batchMatMul(ones, rows), Squeeze.axis(List.of(1L))); // [N, n]
        return tf.math.div(sums, tf.dtypes.cast(tf.reshape(pixels, tf.constant(new int[0])), TFloat32.class));
    }

    /** Channel attention from the per-channel means {@code pooled} [N, n]: the sigmoid gate per image and channel. */
    private Operand<TFloat32> channelGate(String pre, Operand<TFloat32> pooled, List<Seg> segs,
                                         Operand<TFloat32> scalePair) {
        int hid = cfg.caHidden();
        Param w1f = params.get(pre + "ca_w1f");
        Param w2 = params.get(pre + "ca_w2");
        Param b2 = params.get(pre + "ca_b2");
        List<Operand<TFloat32>> rows = new ArrayList<>();
        List<Operand<TFloat32>> cols = new ArrayList<>();
        List<Operand<TFloat32>> biases = new ArrayList<>();
        for (Seg s : segs) {
            Operand<TFloat32> r = tf.slice(w1f.read, vec(List.of(c(s.offset), c(0))), vec(List.of(s.active, c(hid))));
            use(r, null);
            rows.add(r);
            Operand<TFloat32> cl = tf.slice(w2.read, vec(List.of(c(0), c(s.offset))), vec(List.of(c(hid), s.active)));
            use(cl, null);
            cols.add(cl);
            Operand<TFloat32> bb = tf.slice(b2.read, vec(List.of(c(s.offset))), vec(List.of(s.active)));
            use(bb, null);
            biases.add(bb);
        }
        Operand<TInt32> pairs = tf.math.floorDiv(tf.math.mul(c(cfg.lambda()), width), c(cfg.channels()));
        Operand<TFloat32> w1s = tf.slice(params.get(pre + "ca_w1s").read, tf.constant(new int[] {0, 0, 0}),
                vec(List.of(pairs, c(2), c(hid))));
        use(w1s, null);
        Operand<TFloat32> w1sSum = tf.reduceSum(w1s, c(0)); // [2, hid]
        Param b1 = params.get(pre + "ca_b1");
        use(b1.read, null);
        Operand<TFloat32> h = tf.linalg.matMul(pooled, tf.concat(rows, c(0)));
        h = add(h, tf.linalg.matMul(scalePair, w1sSum));
        h = tf.nn.relu(tf.nn.biasAdd(h, b1.read));
        return tf.math.sigmoid(tf.nn.biasAdd(tf.linalg.matMul(h, tf.concat(cols, c(1))), tf.concat(biases, c(0))));
    }
}
