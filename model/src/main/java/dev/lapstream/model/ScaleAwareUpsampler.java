package dev.lapstream.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ArbSR's scale-aware upsampler (Wang et al., Sec. 3.2, Eq. 4-5) from C-channel LR features F to an RGB residual of
 * any (outH, outW), r_h = outH / h and r_w = outW / w apart:
 * <ul>
 * <li>coordinate projection (Eq. 4-5): output pixel (i, j) has the LR centre C(i) = (i + 0.5) / r_h - 0.5 and the
 * relative distance R(i) = (i + 0.5) / r_h - floor((i + 0.5) / r_h) - 0.5 (likewise j), computed in integers;</li>
 * <li>an MLP on (R_h(i), R_w(j), 1 / r_h, 1 / r_w) (4 -> H = {@link AsdnConfig#upChannels()}, ReLU) with two heads:
 * sampling offsets (delta_y, delta_x) in LR pixels (zero at first: plain bilinear at the centre) and sigmoid routing
 * weights of {@link #EXPERTS} expert kernels;</li>
 * <li>each expert is a 3x3 kernel C -> 3 with bias; the output is sum_k route_k(i, j) expert_k applied to F sampled
 * bilinearly at (C(i) + delta_y, C(j) + delta_x): the 3x3 neighbourhood of the sampled point (the paper's k x k
 * neighbourhood with k = 3 and a residual in RGB, where the paper samples k = 1 and ends in a convolution).</li>
 * </ul>
 *
 * <p>Same function, cheaper order: bilinear sampling is linear in the map and commutes with the kernels, so every
 * expert runs once per LR pixel (Q = F * W_k, 27 C K multiply-adds) and each output pixel samples Q's 3K channels:
 * four neighbours gathered (GatherV2) and weighted by (1 - w_y, w_y) x (1 - w_x, w_x), w = p - floor(p). The
 * gradient reaches the features through the gather and the offsets through the weights (floor has none). At the
 * border neighbours are clamped to the edge; Q is zero-padded on the LR grid, as a convolution is.
 *
 * <p>The MLP's first layer is separable (per row plus per column), so per output pixel only the ReLU and the heads
 * run, once for the batch. Width: a subnet reads its first ca feature channels, so the experts are sliced along their
 * input channels; the MLP is not sliced: it sees only geometry and scale, costs (2 + K) H per output pixel, and every
 * subnet has to place its samples with the same resolution in (offset, 1 / r).
 */
final class ScaleAwareUpsampler {

    /** Expert kernels (the authors' code: 4). */
    static final int EXPERTS = 4;

    private ScaleAwareUpsampler() {
    }

    /** The upsampler's weights, in checkpoint order; experts stored [3, 3, C, K, 3] so a subnet slices its channels. */
    static List<AsdnConfig.ParamSpec> params(AsdnConfig cfg) {
        int c = cfg.channels();
        int hid = cfg.upChannels();
        return List.of(new AsdnConfig.ParamSpec("arb_w1", new long[] {4, hid}, Math.sqrt(2.0 / 4)),
                new AsdnConfig.ParamSpec("arb_b1", new long[] {hid}, 0),
                new AsdnConfig.ParamSpec("arb_offset_w", new long[] {hid, 2}, 0),
                new AsdnConfig.ParamSpec("arb_offset_b", new long[] {2}, 0),
                new AsdnConfig.ParamSpec("arb_route_w", new long[] {hid, EXPERTS}, Math.sqrt(1.0 / hid)),
                new AsdnConfig.ParamSpec("arb_route_b", new long[] {EXPERTS}, 0),
                // small residual at first (the output starts near the bicubic skip), as the IRBs' 0.1
                new AsdnConfig.ParamSpec("arb_experts_w", new long[] {3, 3, c, EXPERTS, 3},
                        0.1 * Math.sqrt(2.0 / (9 * c))),
                new AsdnConfig.ParamSpec("arb_experts_b", new long[] {EXPERTS, 3}, 0));
    }

    /** Multiply-adds of one pass: the experts per input pixel; MLP, four-neighbour sampling and mixing per output pixel. */
    static double macs(AsdnConfig cfg, int width, double inPixels, double outPixels) {
        long ca = cfg.active(cfg.channels(), width);
        long q = 3L * EXPERTS;
        return 9 * ca * q * inPixels + ((2L + EXPERTS + 1) * cfg.upChannels() + 4 * q + q) * outPixels;
    }

    /** The projection of one axis: LR centre C and relative distance R per output index, and 1 / r. */
    record Axis(Operand<TFloat32> centre, Operand<TFloat32> relative, Operand<TFloat32> inverseScale) {
    }

    /**
     * Eq. 4-5 along one axis of {@code in} LR pixels and {@code out} output pixels: with m = (2i + 1) in and
     * q = floor(m / 2 out) (exact, in integers), R = (m - 2 out q) / 2 out - 0.5 and C = q + R. Named
     * {@code arb_<axis>_centre} / {@code _relative}.
     */
    static Axis project(Ops tf, String axis, Operand<TInt32> in, Operand<TInt32> out) {
        Operand<TInt32> i = tf.range(tf.constant(0), out, tf.constant(1));
        Operand<TInt32> m = tf.math.mul(tf.math.add(tf.math.mul(i, tf.constant(2)), tf.constant(1)), in);
        Operand<TInt32> twiceOut = tf.math.mul(out, tf.constant(2));
        Operand<TInt32> q = tf.math.floorDiv(m, twiceOut);
        Operand<TFloat32> rem = tf.dtypes.cast(tf.math.sub(m, tf.math.mul(q, twiceOut)), TFloat32.class);
        Operand<TFloat32> relative = tf.withName("arb_" + axis + "_relative").math.sub(tf.math.div(rem,
                tf.dtypes.cast(twiceOut, TFloat32.class)), tf.constant(0.5f));
        Operand<TFloat32> centre = tf.withName("arb_" + axis + "_centre").math.add(tf.dtypes.cast(q, TFloat32.class),
                relative);
        return new Axis(centre, relative, tf.math.div(tf.dtypes.cast(in, TFloat32.class),
                tf.dtypes.cast(out, TFloat32.class)));
    }

    /** The upsampler on {@code features} [N, h, w, ca]: the residual [N, outH, outW, 3] over the bicubic skip. */
    static Operand<TFloat32> apply(AsdnNetwork net, Operand<TFloat32> features, Operand<TInt32> outH,
                                   Operand<TInt32> outW) {
        Ops tf = net.ops();
        Operand<TInt32> shape = tf.shape(features);
        Operand<TInt32> n = dim(tf, shape, 0);
        Operand<TInt32> h = dim(tf, shape, 1);
        Operand<TInt32> w = dim(tf, shape, 2);
        Axis rows = project(tf, "row", h, outH);
        Axis cols = project(tf, "col", w, outW);

        Operand<TFloat32> g = tf.reshape(hidden(net, rows, cols), tf.constant(new int[] {-1,
                net.config().upChannels()})); // [outH * outW, H]
        Operand<TFloat32> offsets = tf.withName("arb_offsets").reshape(head(net, g, "arb_offset"),
                tf.stack(List.of(outH, outW, tf.constant(2))));
        Operand<TFloat32> route = tf.math.sigmoid(head(net, g, "arb_route")); // [outH * outW, K]

        Operand<TFloat32> py = net.add(tf.expandDims(rows.centre(), tf.constant(1)), channel(tf, offsets, 0));
        Operand<TFloat32> px = net.add(tf.expandDims(cols.centre(), tf.constant(0)), channel(tf, offsets, 1));
        Operand<TFloat32> sampled = sample(net, expertMaps(net, features), n, h, w, py, px); // [N, outH, outW, 3K]
        Operand<TFloat32> perExpert = tf.reshape(sampled, tf.stack(List.of(n, outH, outW, tf.constant(EXPERTS),
                tf.constant(3))));
        Operand<TFloat32> weights = tf.reshape(route, tf.stack(List.of(tf.constant(1), outH, outW,
                tf.constant(EXPERTS), tf.constant(1))));
        return tf.reduceSum(tf.math.mul(perExpert, weights), tf.constant(3));
    }

    /**
     * Bilinear samples of {@code q} [N, h, w, d] at rows {@code py} and columns {@code px} [outH, outW] (LR pixel
     * coordinates, centres at integers): the four neighbours, clamped to the map, weighted by the distances.
     */
    static Operand<TFloat32> sample(AsdnNetwork net, Operand<TFloat32> q, Operand<TInt32> n, Operand<TInt32> h,
                                    Operand<TInt32> w, Operand<TFloat32> py, Operand<TFloat32> px) {
        Ops tf = net.ops();
        Operand<TFloat32> y0 = tf.math.floor(py);
        Operand<TFloat32> x0 = tf.math.floor(px);
        Operand<TFloat32> wy = tf.expandDims(tf.expandDims(tf.math.sub(py, y0), tf.constant(0)), tf.constant(3));
        Operand<TFloat32> wx = tf.expandDims(tf.expandDims(tf.math.sub(px, x0), tf.constant(0)), tf.constant(3));
        Operand<TInt32> yi = tf.dtypes.cast(y0, TInt32.class);
        Operand<TInt32> xi = tf.dtypes.cast(x0, TInt32.class);
        Operand<TInt32> top = clamp(tf, yi, h);
        Operand<TInt32> bottom = clamp(tf, tf.math.add(yi, tf.constant(1)), h);
        Operand<TInt32> left = clamp(tf, xi, w);
        Operand<TInt32> right = clamp(tf, tf.math.add(xi, tf.constant(1)), w);

        Operand<TInt32> depth = dim(tf, tf.shape(q), 3);
        Operand<TFloat32> flat = tf.reshape(q, tf.stack(List.of(tf.constant(-1), depth))); // [N * h * w, d]
        Operand<TInt32> base = tf.reshape(tf.math.mul(tf.range(tf.constant(0), n, tf.constant(1)), tf.math.mul(h, w)),
                tf.constant(new int[] {-1, 1, 1}));
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> upper = net.add(tf.math.mul(gather(tf, flat, base, top, left, w), tf.math.sub(one, wx)),
                tf.math.mul(gather(tf, flat, base, top, right, w), wx));
        Operand<TFloat32> lower = net.add(tf.math.mul(gather(tf, flat, base, bottom, left, w), tf.math.sub(one, wx)),
                tf.math.mul(gather(tf, flat, base, bottom, right, w), wx));
        return net.add(tf.math.mul(upper, tf.math.sub(one, wy)), tf.math.mul(lower, wy));
    }

    /** Rows {@code y} and columns {@code x} [outH, outW] of every image of {@code flat} [N * h * w, d]. */
    private static Operand<TFloat32> gather(Ops tf, Operand<TFloat32> flat, Operand<TInt32> base, Operand<TInt32> y,
                                            Operand<TInt32> x, Operand<TInt32> w) {
        Operand<TInt32> at = tf.math.add(base, tf.expandDims(tf.math.add(tf.math.mul(y, w), x), tf.constant(0)));
        return tf.gather(flat, at, tf.constant(0)); // [N, outH, outW, d]
    }

    private static Operand<TInt32> clamp(Ops tf, Operand<TInt32> i, Operand<TInt32> size) {
        return tf.math.minimum(tf.math.maximum(i, tf.constant(0)), tf.math.sub(size, tf.constant(1)));
    }

    /** Q [N, h, w, 3K]: every expert's 3x3 kernel and bias on the subnet's ca feature channels, channel k * 3 + colour. */
    private static Operand<TFloat32> expertMaps(AsdnNetwork net, Operand<TFloat32> features) {
        Ops tf = net.ops();
        Operand<TInt32> ca = net.active(net.config().channels());
        Operand<TFloat32> k = tf.slice(net.params().get("arb_experts_w").read, tf.constant(new int[5]),
                tf.stack(List.of(tf.constant(3), tf.constant(3), ca, tf.constant(EXPERTS), tf.constant(3))));
        net.use(k, null);
        Operand<TFloat32> b = net.params().get("arb_experts_b").read;
        net.use(b, null);
        Operand<TFloat32> kernel = tf.reshape(k, tf.stack(List.of(tf.constant(3), tf.constant(3), ca,
                tf.constant(3 * EXPERTS))));
        return tf.nn.biasAdd(tf.nn.conv2d(features, kernel, List.of(1L, 1L, 1L, 1L), "SAME"),
                tf.reshape(b, tf.constant(new int[] {3 * EXPERTS})));
    }

    /**
     * relu(W1 v + b1) per output position, [outH, outW, H], v = (R_h, R_w, 1 / r_h, 1 / r_w): the pre-activation is
     * a per-row part (R_h, 1 / r_h, b1) plus a per-column part (R_w, 1 / r_w).
     */
    private static Operand<TFloat32> hidden(AsdnNetwork net, Axis rows, Axis cols) {
        Ops tf = net.ops();
        int hid = net.config().upChannels();
        Operand<TFloat32> w1 = whole(net, "arb_w1");
        Operand<TFloat32> b1 = whole(net, "arb_b1");
        Operand<TFloat32> perRow = net.add(net.add(tf.math.mul(tf.expandDims(rows.relative(), tf.constant(1)),
                row(tf, w1, 0, hid)), tf.math.mul(rows.inverseScale(), row(tf, w1, 2, hid))), b1); // [outH, H]
        Operand<TFloat32> perCol = net.add(tf.math.mul(tf.expandDims(cols.relative(), tf.constant(1)),
                row(tf, w1, 1, hid)), tf.math.mul(cols.inverseScale(), row(tf, w1, 3, hid))); // [outW, H]
        return tf.nn.relu(net.add(tf.expandDims(perRow, tf.constant(1)), tf.expandDims(perCol, tf.constant(0))));
    }

    /** A head {@code name_w}, {@code name_b} on the hidden units g [P, H]: [P, outputs]. */
    private static Operand<TFloat32> head(AsdnNetwork net, Operand<TFloat32> g, String name) {
        return net.ops().nn.biasAdd(net.ops().linalg.matMul(g, whole(net, name + "_w")), whole(net, name + "_b"));
    }

    private static Operand<TFloat32> whole(AsdnNetwork net, String name) {
        Operand<TFloat32> p = net.params().get(name).read;
        net.use(p, null);
        return p;
    }

    /** Row {@code k} of W1 [4, H], as [1, H]. */
    private static Operand<TFloat32> row(Ops tf, Operand<TFloat32> w1, int k, int hid) {
        return tf.slice(w1, tf.constant(new int[] {k, 0}), tf.constant(new int[] {1, hid}));
    }

    /** Channel {@code c} of {@code x} [outH, outW, 2], as [outH, outW]. */
    private static Operand<TFloat32> channel(Ops tf, Operand<TFloat32> x, int c) {
        return tf.squeeze(tf.slice(x, tf.constant(new int[] {0, 0, c}), tf.constant(new int[] {-1, -1, 1})),
                Squeeze.axis(List.of(2L)));
    }

    private static Operand<TInt32> dim(Ops tf, Operand<TInt32> shape, int axis) {
        return tf.gather(shape, tf.constant(axis), tf.constant(0));
    }
}
