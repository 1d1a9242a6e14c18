package dev.lapstream.model;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The ASDN inference engine: loads a SavedModel directory once (or takes weights directly) and
 * upscales RGB frames to any size, planning recursive passes of at most the family's
 * {@link ModelFamily#maxStepFactor} ({@link RecursionPlanner}), asymmetric factors included. Axes that shrink are served at 1 by
 * the network and finished with MATLAB-style bicubic; pure downscales are bicubic only.
 *
 * <p>The AnySR subnet width (active base channels, one of {@link AsdnConfig#widths()} for best
 * results) can be changed between frames with {@link #setWidth}. Thread-safe: passes are
 * serialised on the session (TensorFlow parallelises inside a pass, with
 * {@code intraOpThreads} threads; 0 = TensorFlow's default; note the first session in a process
 * fixes the pool size).
 */
public final class AsdnUpscaler implements Upscaler {

    private final AsdnConfig config;
    private final SavedModelBundle bundle;
    private final Graph ownGraph;
    private final Session session;
    private final String inImage;
    private final String inScaleH;
    private final String inScaleW;
    private final String inWidth;
    private final String out;
    private volatile int width;

    /** Loads a SavedModel exported by {@link InferenceGraph#export}. */
    public AsdnUpscaler(Path savedModelDir, int intraOpThreads) {
        this(savedModelDir, intraOpThreads, 0);
    }

    /** @param gpuMemoryFraction the most of a GPU's memory this process takes (0: as much as it grows to) */
    public AsdnUpscaler(Path savedModelDir, int intraOpThreads, double gpuMemoryFraction) {
        try {
            this.config = AsdnConfig.fromJson(Files.readString(savedModelDir.resolve(InferenceGraph.CONFIG_FILE),
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("not an lapstream ASDN model dir (no asdn.json): " + savedModelDir, e);
        }
        this.bundle = SavedModelBundle.loader(savedModelDir.toString()).withTags("serve")
                .withConfigProto(InferenceGraph.config(intraOpThreads, gpuMemoryFraction)).load();
        this.ownGraph = null;
        this.session = bundle.session();
        SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get(InferenceGraph.SIG_WIDTH);
        if (sig == null) {
            bundle.close();
            throw new IllegalArgumentException("SavedModel lacks signature " + InferenceGraph.SIG_WIDTH);
        }
        this.inImage = sig.getInputsMap().get("image").getName();
        this.inScaleH = sig.getInputsMap().get("scale_h").getName();
        this.inScaleW = sig.getInputsMap().get("scale_w").getName();
        this.inWidth = sig.getInputsMap().get("width").getName();
        this.out = sig.getOutputsMap().get("output").getName();
        this.width = config.channels();
    }

    /** Builds the serving graph in-process from weights (evaluation of checkpoints, tests). */
    public AsdnUpscaler(AsdnConfig config, Map<String, float[]> weights, int intraOpThreads) {
        this.config = config;
        InferenceGraph ig = new InferenceGraph(config);
        this.bundle = null;
        this.ownGraph = ig.graph;
        try {
            this.session = ig.session(weights, intraOpThreads);
        } catch (RuntimeException e) {
            ig.graph.close();
            throw e;
        }
        this.inImage = "image:0";
        this.inScaleH = "scale_h:0";
        this.inScaleW = "scale_w:0";
        this.inWidth = "width:0";
        this.out = "output:0";
        this.width = config.channels();
    }

    public AsdnConfig config() {
        return config;
    }

    /** Active base channels used from the next pass on (clamped to 1..C). */
    public void setWidth(int w) {
        this.width = Math.max(1, Math.min(config.channels(), w));
    }

    public int width() {
        return width;
    }

    @Override
    public List<Integer> widths() {
        return Arrays.stream(config.widths()).boxed().toList();
    }

    /** The family, and the subnet width when narrower than full: the model label of metrics and frame headers. */
    @Override
    public String name() {
        return width == config.channels() ? config.family() : config.family() + "-w" + width;
    }

    /**
     * One network pass on a float image [h, w, 3] in [0, 1]; output is round(h*sh) x round(w*sw).
     */
    public float[] pass(float[] rgb, int h, int w, double sh, double sw, int subnetWidth) {
        return pass(List.of(rgb), h, w, sh, sw, subnetWidth).get(0);
    }

    /**
     * One network pass on a batch of float images [h, w, 3] of one size, as one session call (the graph's
     * input is [N, h, w, 3]): each output is round(h*sh) x round(w*sw).
     */
    public List<float[]> pass(List<float[]> images, int h, int w, double sh, double sw, int subnetWidth) {
        int n = images.size();
        try (TFloat32 img = Tensors.of(concat(images), n, h, w, 3);
             TFloat32 th = TFloat32.scalarOf((float) sh);
             TFloat32 tw = TFloat32.scalarOf((float) sw);
             TInt32 tWidth = TInt32.scalarOf(subnetWidth)) {
            float[] all;
            synchronized (session) {
                try (Result r = session.runner().feed(inImage, img).feed(inScaleH, th).feed(inScaleW, tw)
                        .feed(inWidth, tWidth).fetch(out).run()) {
                    all = Tensors.toArray(r.get(0));
                }
            }
            return split(all, n);
        }
    }

    private static float[] concat(List<float[]> images) {
        if (images.size() == 1) {
            return images.get(0);
        }
        int each = images.get(0).length;
        float[] all = new float[each * images.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, all, i * each, each);
        }
        return all;
    }

    private static List<float[]> split(float[] all, int n) {
        if (n == 1) {
            return List.of(all);
        }
        int each = all.length / n;
        List<float[]> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(Arrays.copyOfRange(all, i * each, (i + 1) * each));
        }
        return parts;
    }

    /** Upscales float RGB [h, w, 3] in [0, 1] to exactly outH x outW with the given subnet width. */
    public float[] upscale(float[] rgb, int h, int w, int outH, int outW, int subnetWidth) {
        return upscale((x, ih, iw, oh, ow, sh, sw, wd) -> pass(x, ih, iw, sh, sw, wd), config.implementation(), rgb,
                h, w, outH, outW, subnetWidth);
    }

    /**
     * Serve asymmetric pairs with asymmetric network passes ({@link RecursionPlanner}'s rule)
     * instead of symmetric SR + bicubic downscaling. Off by default: the network is trained on
     * symmetric degradations and over-sharpens the less-enlarged axis. System property
     * {@code lapstream.asdn.directAsymmetric=true} turns it on (for experiments).
     */
    static final boolean DIRECT_ASYMMETRIC = Boolean.getBoolean("lapstream.asdn.directAsymmetric");

    /** One network pass on a batch of images of one size (each float RGB [h, w, 3]), outputs in input order. */
    @FunctionalInterface
    interface BatchPass {
        List<float[]> run(List<float[]> images, int h, int w, int outH, int outW, double sh, double sw, int width);
    }

    /**
     * The engine's planning on any pass implementation of a {@code family}: asymmetric pairs become symmetric SR
     * plus a bicubic shrink of one axis (unless the family's passes are asymmetric,
     * {@link ModelFamily#asymmetricPasses}, or {@link #DIRECT_ASYMMETRIC}); the rest go to {@link #upscaleDirect}.
     */
    public static float[] upscale(SrPass pass, ModelFamily family, float[] rgb, int h, int w, int outH, int outW,
                                  int subnetWidth) {
        BatchPass one = (xs, ih, iw, oh, ow, sh, sw, wd) -> List.of(pass.run(xs.get(0), ih, iw, oh, ow, sh, sw, wd));
        return upscale(one, family, List.of(rgb), h, w, outH, outW, subnetWidth).get(0);
    }

    /** {@link #upscale(SrPass, ModelFamily, float[], int, int, int, int, int)} for a batch of images of one size. */
    static List<float[]> upscale(BatchPass pass, ModelFamily family, List<float[]> rgb, int h, int w, int outH,
                                 int outW, int subnetWidth) {
        OptionalInt fixed = family.fixedScale();
        if (fixed.isPresent()) {
            return upscaleFixed(pass, fixed.getAsInt(), rgb, h, w, outH, outW, subnetWidth);
        }
        int netH = Math.max(outH, h);
        int netW = Math.max(outW, w);
        if (!DIRECT_ASYMMETRIC && !family.asymmetricPasses() && Math.abs((double) netH / h - (double) netW / w) > 1e-9) {
            // asymmetric pair: symmetric SR to the larger factor, then MATLAB-antialiased bicubic
            // down on the other axis (beats bicubic by 2.1-3.4 dB on the Set5 grid, where direct
            // asymmetric passes fell up to 2.3 dB below bicubic; see models/README.md)
            double r = Math.max((double) netH / h, (double) netW / w);
            int sh = (int) Math.round(h * r);
            int sw = (int) Math.round(w * r);
            return upscaleDirect(pass, family, rgb, h, w, sh, sw, subnetWidth).stream()
                    .map(big -> Resize.resizeInterleaved(big, sw, sh, 3, outW, outH, true)).toList();
        }
        return upscaleDirect(pass, family, rgb, h, w, outH, outW, subnetWidth);
    }

    /**
     * A fixed-scale family's one pass of {@code s}, for targets that are s times the input up to the rounding of a
     * size (each side within s - 1 pixels of s h, s w: e.g. 427x240 to 1280x720 at x3), finished by bicubic to the
     * exact size. Any other target is refused: a fixed-scale network serving x2.5 by x2 plus bicubic would quietly
     * fall behind the any-scale model it was tuned from.
     */
    static List<float[]> upscaleFixed(BatchPass pass, int s, List<float[]> rgb, int h, int w, int outH, int outW,
                                      int subnetWidth) {
        int sh = s * h;
        int sw = s * w;
        if (Math.abs(outH - sh) >= s || Math.abs(outW - sw) >= s) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fixed-scale model serves only x%d: %dx%d to %dx%d is x%.3f by x%.3f (use an any-scale model)",
                    s, w, h, outW, outH, (double) outW / w, (double) outH / h));
        }
        List<float[]> out = pass.run(rgb, h, w, sh, sw, s, s, subnetWidth);
        if (sh == outH && sw == outW) {
            return out;
        }
        return out.stream().map(x -> Resize.resizeInterleaved(x, sw, sh, 3, outW, outH, true)).toList();
    }

    /**
     * The passes of {@link RecursionPlanner} straight to (outH, outW) (step factors fed as out/in of
     * each pass, so the last pass lands exactly on the requested size), then bicubic for axes that shrink.
     */
    static List<float[]> upscaleDirect(BatchPass pass, ModelFamily family, List<float[]> rgb, int h, int w, int outH,
                                       int outW, int subnetWidth) {
        int netH = Math.max(outH, h);
        int netW = Math.max(outW, w);
        List<float[]> cur = rgb;
        int ch = h;
        int cw = w;
        if (netH != h || netW != w || (outH == h && outW == w)) {
            List<RecursionPlanner.Step> steps = RecursionPlanner.plan(h, w, netH, netW, RecursionPlanner.DEFAULT,
                    family.maxStepFactor());
            for (RecursionPlanner.Step s : steps) {
                double sh = (double) s.outHeight() / ch;
                double sw = (double) s.outWidth() / cw;
                cur = pass.run(cur, ch, cw, s.outHeight(), s.outWidth(), sh, sw, subnetWidth);
                ch = s.outHeight();
                cw = s.outWidth();
            }
        }
        if (ch != outH || cw != outW) {
            int fromH = ch;
            int fromW = cw;
            cur = cur.stream().map(x -> Resize.resizeInterleaved(x, fromW, fromH, 3, outW, outH, true)).toList();
        }
        return cur;
    }

    @Override
    public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
        return upscale(input, outWidth, outHeight, width);
    }

    /**
     * Upscales with the subnet of {@code subnetWidth} active base channels (one of
     * {@link #widths()}; values <= 0 mean the current {@link #width()}).
     */
    @Override
    public RgbImage upscale(RgbImage input, int outWidth, int outHeight, int subnetWidth) {
        return upscaleAll(List.of(input), outWidth, outHeight, subnetWidth).get(0);
    }

    /** The inputs (all of one size) as one batch: each network pass of the plan is one session call for all. */
    @Override
    public List<RgbImage> upscaleAll(List<RgbImage> inputs, int outWidth, int outHeight, int subnetWidth) {
        Images.requireOneSize(inputs);
        RgbImage first = inputs.get(0);
        int wd = Math.min(config.channels(), subnetWidth <= 0 ? width : subnetWidth);
        if (outWidth <= first.width() && outHeight <= first.height()
                && !(outWidth == first.width() && outHeight == first.height())) {
            return inputs.stream().map(in -> Resize.resize(in, outWidth, outHeight)).toList();
        }
        List<float[]> f = inputs.stream().map(in -> Images.toFloat(in, 1f / 255f)).toList();
        return upscale((BatchPass) (xs, ih, iw, oh, ow, sh, sw, w) -> pass(xs, ih, iw, sh, sw, w),
                config.implementation(), f, first.height(), first.width(), outHeight, outWidth, wd).stream()
                .map(o -> Images.fromFloat(o, outWidth, outHeight, 1f / 255f)).toList();
    }

    @Override
    public void close() {
        if (bundle != null) {
            bundle.close();
        } else {
            session.close();
            ownGraph.close();
        }
    }
}
