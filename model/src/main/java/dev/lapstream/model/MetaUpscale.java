package dev.lapstream.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Meta-SR's Meta-Upscale module (Hu et al., Eq. 1-6, Algorithm 1) on C-channel LR features F, to any (outH, outW)
 * in one pass, with separate vertical and horizontal factors r_h = outH / h, r_w = outW / w:
 * <ul>
 * <li>location projection (Eq. 2): output pixel (i, j) reads F at (i', j') = (floor(i / r_h), floor(j / r_w)),
 * computed exactly in integers as floor(i * h / outH);</li>
 * <li>weight prediction (Eq. 3-5): v(i, j) = (R_h(i), R_w(j), 1 / r_h, 1 / r_w) with R(i) = i / r - floor(i / r),
 * a two-layer MLP (4 -> H, ReLU -> 3 x 3 x C x 3, H = {@link AsdnConfig#upChannels()}) predicts the filter
 * W(i, j) = W2 g(i, j) + b2 with g = relu(W1 v + b1);</li>
 * <li>feature mapping (Eq. 6): the output is W(i, j) applied to the 3 x 3 neighbourhood of F(i', j') (zero-padded).</li>
 * </ul>
 *
 * <p>Same function, other order of sums: the output is linear in W, and W is linear in g, so
 * out(i, j, o) = sum_u g'_u(i, j) Q_{o,u}(i', j') with g' = (g, 1) and Q = one 3x3 convolution of F whose
 * 3 (H + 1) filters are the rows of W2 and b2. Q is computed once per LR pixel (27 C (H + 1) multiply-adds) and
 * each output pixel then costs a gather of its 3 (H + 1) values of Q and a dot product with g'. Evaluating the
 * MLP per output pixel, as written in the paper, costs 27 C H per output pixel (221k for C 64, H 64): r^2 times
 * more. The first layer is separable, W1 v = W1_h R_h(i) + W1_w R_w(j) + ..., so its pre-activations are per row
 * and per column; only the ReLU and the product run per output pixel, and g' is shared by the batch.
 *
 * <p>Width: a subnet reads its first ca = floor(C * width / C_full) feature channels, so Q's kernel (W2, b2) is
 * sliced along its input channels; the MLP's hidden units are not sliced: they depend only on the geometry (offsets
 * and scale), not on the image, cost 3 (H + 1) per output pixel, and each subnet must predict filters for every
 * scale with the same resolution in (offset, 1/r).
 */
final class MetaUpscale {

    private MetaUpscale() {
    }

    /** The MLP's weights, in checkpoint order; W2 stored [H, 3, 3, C, 3] so a subnet slices its input channels. */
    static List<AsdnConfig.ParamSpec> params(AsdnConfig cfg) {
        int c = cfg.channels();
        int hid = cfg.upChannels();
        return List.of(new AsdnConfig.ParamSpec("meta_w1", new long[] {4, hid}, Math.sqrt(2.0 / 4)),
                new AsdnConfig.ParamSpec("meta_b1", new long[] {hid}, 0),
                // small predicted filters at first (the output starts near the bicubic skip), as the IRBs' 0.1
                new AsdnConfig.ParamSpec("meta_w2", new long[] {hid, 3, 3, c, 3}, 0.1 * Math.sqrt(2.0 / (9 * c * hid))),
                new AsdnConfig.ParamSpec("meta_b2", new long[] {3, 3, c, 3}, 0));
    }

    /** Multiply-adds of one pass: Q per input pixel, the gathered dot product per output pixel. */
    static double macs(AsdnConfig cfg, int width, double inPixels, double outPixels) {
        long ca = cfg.active(cfg.channels(), width);
        long taps = cfg.upChannels() + 1L;
        return 27 * ca * taps * inPixels + 3 * taps * outPixels;
    }

    /** The location projection of one axis: LR index and offset R per output index, and 1 / r. */
    record Axis(Operand<TInt32> index, Operand<TFloat32> offset, Operand<TFloat32> inverseScale) {
    }

    /**
     * Eq. 2 and 4 along one axis of {@code in} LR pixels and {@code out} output pixels (r = out / in): i' =
     * floor(i * in / out) and R(i) = (i * in mod out) / out, in integers, so a boundary (i * in a multiple of out)
     * never rounds down as floor(i / r) in float32 can. Named {@code meta_<axis>_index} / {@code _offset}.
     */
    static Axis project(Ops tf, String axis, Operand<TInt32> in, Operand<TInt32> out) {
        Operand<TInt32> i = tf.range(tf.constant(0), out, tf.constant(1));
        Operand<TInt32> num = tf.math.mul(i, in);
        Operand<TInt32> index = tf.withName("meta_" + axis + "_index").math.floorDiv(num, out);
        Operand<TInt32> rem = tf.math.sub(num, tf.math.mul(index, out));
        Operand<TFloat32> outF = tf.dtypes.cast(out, TFloat32.class);
        Operand<TFloat32> offset = tf.withName("meta_" + axis + "_offset").math.div(tf.dtypes.cast(rem, TFloat32.class),
                outF);
        return new Axis(index, offset, tf.math.div(tf.dtypes.cast(in, TFloat32.class), outF));
    }

    /** The Meta-Upscale of {@code features} [N, h, w, ca] to [N, outH, outW, 3] (the residual over the bicubic skip). */
    static Operand<TFloat32> apply(AsdnNetwork net, Operand<TFloat32> features, Operand<TInt32> outH,
                                   Operand<TInt32> outW) {
        Ops tf = net.ops();
        int taps = net.config().upChannels() + 1;
        Operand<TInt32> shape = tf.shape(features);
        Operand<TInt32> n = dim(tf, shape, 0);
        Operand<TInt32> h = dim(tf, shape, 1);
        Operand<TInt32> w = dim(tf, shape, 2);
        Axis rows = project(tf, "row", h, outH);
        Axis cols = project(tf, "col", w, outW);

        Operand<TFloat32> q = tf.nn.conv2d(features, filterBasis(net), List.of(1L, 1L, 1L, 1L), "SAME");
        // Q at each output pixel's projected LR pixel: one gather of the flattened [N * h * w, 3 (H + 1)] map
        Operand<TInt32> pos = tf.math.add(tf.expandDims(tf.math.mul(rows.index(), w), tf.constant(1)),
                tf.expandDims(cols.index(), tf.constant(0))); // [outH, outW]
        Operand<TInt32> base = tf.math.mul(tf.range(tf.constant(0), n, tf.constant(1)), tf.math.mul(h, w));
        Operand<TInt32> at = tf.math.add(tf.reshape(base, tf.constant(new int[] {-1, 1, 1})),
                tf.expandDims(pos, tf.constant(0))); // [N, outH, outW]
        Operand<TFloat32> gathered = tf.gather(tf.reshape(q, tf.constant(new int[] {-1, 3 * taps})), at,
                tf.constant(0));
        Operand<TFloat32> perTap = tf.reshape(gathered, tf.stack(List.of(n, outH, outW, tf.constant(3),
                tf.constant(taps)))); // [N, outH, outW, 3, H + 1]
        Operand<TFloat32> g = tf.reshape(hidden(net, rows, cols, outH, outW),
                tf.stack(List.of(tf.constant(1), outH, outW, tf.constant(1), tf.constant(taps))));
        return tf.reduceSum(tf.math.mul(perTap, g), tf.constant(4));
    }

    /**
     * Q's kernel [3, 3, ca, 3 (H + 1)]: output channel o (H + 1) + u holds W2's row u (u < H) or b2 (u = H) for
     * colour o, restricted to the subnet's ca input channels.
     */
    private static Operand<TFloat32> filterBasis(AsdnNetwork net) {
        Ops tf = net.ops();
        int hid = net.config().upChannels();
        Operand<TInt32> ca = net.active(net.config().channels());
        Operand<TFloat32> w2 = tf.slice(net.params().get("meta_w2").read, tf.constant(new int[5]),
                tf.stack(List.of(tf.constant(hid), tf.constant(3), tf.constant(3), ca, tf.constant(3))));
        net.use(w2, null);
        Operand<TFloat32> b2 = tf.slice(net.params().get("meta_b2").read, tf.constant(new int[4]),
                tf.stack(List.of(tf.constant(3), tf.constant(3), ca, tf.constant(3))));
        net.use(b2, null);
        Operand<TFloat32> rows = tf.concat(List.of(w2, tf.expandDims(b2, tf.constant(0))), tf.constant(0));
        Operand<TFloat32> k = tf.linalg.transpose(rows, tf.constant(new int[] {1, 2, 3, 4, 0})); // [3,3,ca,3,H+1]
        return tf.reshape(k, tf.stack(List.of(tf.constant(3), tf.constant(3), ca, tf.constant(3 * (hid + 1)))));
    }

    /**
     * g' = (relu(W1 v + b1), 1) per output position, [outH, outW, H + 1]: the first layer's pre-activation is the sum
     * of a per-row part (R_h, 1 / r_h, b1) and a per-column part (R_w, 1 / r_w).
     */
    private static Operand<TFloat32> hidden(AsdnNetwork net, Axis rows, Axis cols, Operand<TInt32> outH,
                                            Operand<TInt32> outW) {
        Ops tf = net.ops();
        int hid = net.config().upChannels();
        AsdnNetwork.Param w1 = net.params().get("meta_w1");
        AsdnNetwork.Param b1 = net.params().get("meta_b1");
        net.use(w1.read, null);
        net.use(b1.read, null);
        Operand<TFloat32> perRow = net.add(net.add(tf.math.mul(tf.expandDims(rows.offset(), tf.constant(1)),
                w1Row(tf, w1, 0, hid)), tf.math.mul(rows.inverseScale(), w1Row(tf, w1, 2, hid))), b1.read); // [outH, H]
        Operand<TFloat32> perCol = net.add(tf.math.mul(tf.expandDims(cols.offset(), tf.constant(1)),
                w1Row(tf, w1, 1, hid)), tf.math.mul(cols.inverseScale(), w1Row(tf, w1, 3, hid))); // [outW, H]
        Operand<TFloat32> g = tf.nn.relu(net.add(tf.expandDims(perRow, tf.constant(1)),
                tf.expandDims(perCol, tf.constant(0)))); // [outH, outW, H]
        Operand<TFloat32> ones = tf.fill(tf.stack(List.of(outH, outW, tf.constant(1))), tf.constant(1f));
        return tf.concat(List.of(g, ones), tf.constant(2));
    }

    /** Row {@code k} of W1 [4, H]: the weights of input k of v = (R_h, R_w, 1 / r_h, 1 / r_w), as [1, H]. */
    private static Operand<TFloat32> w1Row(Ops tf, AsdnNetwork.Param w1, int k, int hid) {
        return tf.slice(w1.read, tf.constant(new int[] {k, 0}), tf.constant(new int[] {1, hid}));
    }

    private static Operand<TInt32> dim(Ops tf, Operand<TInt32> shape, int axis) {
        return tf.gather(shape, tf.constant(axis), tf.constant(0));
    }
}
