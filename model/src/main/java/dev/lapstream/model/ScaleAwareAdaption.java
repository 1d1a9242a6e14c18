package dev.lapstream.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ArbSR's scale-aware feature adaption (Wang et al., Sec. 3.2, Eq. 3) of a DAB's output F:
 * F_fuse = F + F_adapt * M, where
 * <ul>
 * <li>F_adapt is a scale-aware convolution: {@link #EXPERTS} expert 3x3 kernels (C -> C) and biases mixed by
 * routing weights softmax(W2 relu(W1 (1 / s_h, 1 / s_w) + b1) + b2), as the authors' code does (the routing MLP's
 * hidden layer has {@link AsdnConfig#caHidden()} units). The mixture depends only on the scale pair, so it is formed
 * once per pass and F_adapt costs one plain convolution;</li>
 * <li>M in (0, 1) is the scale-dependency mask, one channel per pixel: 3x3 conv C -> C / 8, ReLU, 3x3 conv -> 1,
 * sigmoid. The paper's hourglass of four convolutions (with a pooling and an upsampling) is cut to two: the mask
 * only has to find where features depend on the scale, and two layers keep it at an eighth of F_adapt's cost.</li>
 * </ul>
 * Adaption follows every other DAB (blocks 1, 3, ...: the paper's K = 2 for EDSR); after every block it would add
 * half of the FMB's cost again.
 *
 * <p>Width: the experts' input and output channels and the mask's hidden channels are sliced with the FMB (they are
 * feature channels); the routing MLP is not: it sees only the scale pair, costs nothing per pixel, and every subnet
 * needs the same resolution in scale.
 */
final class ScaleAwareAdaption {

    /** Expert kernels per scale-aware convolution (the authors' code: 4). */
    static final int EXPERTS = 4;

    private ScaleAwareAdaption() {
    }

    /** Whether DAB {@code block} is followed by an adaption. */
    static boolean adapts(int block) {
        return block % 2 == 1;
    }

    /** The DABs followed by an adaption. */
    static List<Integer> blocks(AsdnConfig cfg) {
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < cfg.blocks(); i++) {
            if (adapts(i)) {
                b.add(i);
            }
        }
        return b;
    }

    /** Hidden channels of the mask at full width. */
    static int maskHidden(AsdnConfig cfg) {
        return Math.max(1, cfg.channels() / 8);
    }

    /** The weights of every adaption, in checkpoint order. */
    static List<AsdnConfig.ParamSpec> params(AsdnConfig cfg) {
        int c = cfg.channels();
        int r = cfg.caHidden();
        int m = maskHidden(cfg);
        List<AsdnConfig.ParamSpec> p = new ArrayList<>();
        for (int b : blocks(cfg)) {
            String pre = "b" + b + "_saa_";
            p.add(new AsdnConfig.ParamSpec(pre + "route_w1", new long[] {2, r}, Math.sqrt(2.0 / 2)));
            p.add(new AsdnConfig.ParamSpec(pre + "route_b1", new long[] {r}, 0));
            p.add(new AsdnConfig.ParamSpec(pre + "route_w2", new long[] {r, EXPERTS}, Math.sqrt(1.0 / r)));
            p.add(new AsdnConfig.ParamSpec(pre + "route_b2", new long[] {EXPERTS}, 0));
            // small adaption at first: the block's output passes almost unchanged, as the DAB's fusion gain of 0.5
            p.add(new AsdnConfig.ParamSpec(pre + "experts_w", new long[] {EXPERTS, 3, 3, c, c},
                    0.1 * Math.sqrt(2.0 / (9 * c))));
            p.add(new AsdnConfig.ParamSpec(pre + "experts_b", new long[] {EXPERTS, c}, 0));
            p.add(new AsdnConfig.ParamSpec(pre + "mask1_w", new long[] {3, 3, c, m}, Math.sqrt(2.0 / (9 * c))));
            p.add(new AsdnConfig.ParamSpec(pre + "mask1_b", new long[] {m}, 0));
            p.add(new AsdnConfig.ParamSpec(pre + "mask2_w", new long[] {3, 3, m, 1}, Math.sqrt(1.0 / (9 * m))));
            p.add(new AsdnConfig.ParamSpec(pre + "mask2_b", new long[] {1}, 0));
        }
        return p;
    }

    /** Multiply-adds per pixel of the map the FMB runs on, all adaptions of the subnet {@code width}. */
    static long macsPerPixel(AsdnConfig cfg, int width) {
        long ca = cfg.active(cfg.channels(), width);
        long ma = Math.max(1, cfg.active(maskHidden(cfg), width));
        return blocks(cfg).size() * (9 * ca * ca + 9 * ca * ma + 9 * ma);
    }

    /** The adaption of the network's FMB for the pass's step factors (scaleH, scaleW). */
    static AsdnNetwork.BlockAdaption of(AsdnNetwork net, Operand<TFloat32> scaleH, Operand<TFloat32> scaleW) {
        Ops tf = net.ops();
        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> inverse = tf.reshape(tf.stack(List.of(tf.math.div(one, scaleH), tf.math.div(one, scaleW))),
                tf.constant(new int[] {1, 2}));
        return (block, f) -> adapts(block) ? adapt(net, "b" + block + "_saa_", f, inverse) : f;
    }

    private static Operand<TFloat32> adapt(AsdnNetwork net, String pre, Operand<TFloat32> f,
                                           Operand<TFloat32> inverseScales) {
        Ops tf = net.ops();
        Operand<TInt32> ca = net.active(net.config().channels());
        // at least one hidden channel in the narrowest subnet of a tiny net
        Operand<TInt32> ma = tf.math.maximum(net.active(maskHidden(net.config())), tf.constant(1));
        Operand<TFloat32> route = routing(net, pre, inverseScales); // [1, K]
        Operand<TFloat32> experts = slice(net, pre + "experts_w", List.of(tf.constant(EXPERTS), tf.constant(3),
                tf.constant(3), ca, ca));
        Operand<TFloat32> kernel = tf.reshape(tf.linalg.matMul(route, tf.reshape(experts,
                tf.constant(new int[] {EXPERTS, -1}))), tf.stack(List.of(tf.constant(3), tf.constant(3), ca, ca)));
        Operand<TFloat32> bias = tf.reshape(tf.linalg.matMul(route, slice(net, pre + "experts_b",
                List.of(tf.constant(EXPERTS), ca))), tf.expandDims(ca, tf.constant(0)));
        Operand<TFloat32> adapted = tf.nn.biasAdd(conv(tf, f, kernel), bias);

        Operand<TFloat32> hidden = tf.nn.relu(tf.nn.biasAdd(conv(tf, f, slice(net, pre + "mask1_w",
                List.of(tf.constant(3), tf.constant(3), ca, ma))), slice(net, pre + "mask1_b", List.of(ma))));
        Operand<TFloat32> mask = tf.math.sigmoid(tf.nn.biasAdd(conv(tf, hidden, slice(net, pre + "mask2_w",
                List.of(tf.constant(3), tf.constant(3), ma, tf.constant(1)))), whole(net, pre + "mask2_b")));
        return net.add(f, tf.math.mul(adapted, mask));
    }

    /** Softmax routing weights [1, K] of the experts from (1 / s_h, 1 / s_w) [1, 2]. */
    private static Operand<TFloat32> routing(AsdnNetwork net, String pre, Operand<TFloat32> inverseScales) {
        Ops tf = net.ops();
        Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(inverseScales, whole(net, pre + "route_w1")),
                whole(net, pre + "route_b1")));
        return tf.nn.softmax(tf.nn.biasAdd(tf.linalg.matMul(h, whole(net, pre + "route_w2")),
                whole(net, pre + "route_b2")));
    }

    private static Operand<TFloat32> whole(AsdnNetwork net, String name) {
        Operand<TFloat32> w = net.params().get(name).read;
        net.use(w, null);
        return w;
    }

    /** The leading block of weight {@code name} of the given sizes (the subnet's part), marked used. */
    private static Operand<TFloat32> slice(AsdnNetwork net, String name, List<Operand<TInt32>> sizes) {
        Ops tf = net.ops();
        Operand<TFloat32> s = tf.slice(net.params().get(name).read, tf.constant(new int[sizes.size()]),
                tf.stack(sizes));
        net.use(s, null);
        return s;
    }

    private static Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel) {
        return tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME");
    }
}
