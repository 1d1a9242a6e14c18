package dev.lapstream.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Architecture of an ASDN network with AnySR width slicing. All counts are at full width; a
 * subnet of width {@code w} (active base channels, {@code 0 < w <= channels}) uses the first
 * {@code floor(n * w / channels)} filters of every layer that has {@code n} filters at full width.
 *
 * @param family     the network family ({@link ModelFamily#of}): {@code asdn} (pre-upsampling, the paper's),
 *                   {@code asdn-lr} (FMB on the LR input), {@code meta-sr} (FMB on the LR input, Meta-Upscale) or
 *                   {@code arbsr} (FMB on the LR input with scale-aware adaption, scale-aware upsampler);
 *                   absent in older model files, which are {@code asdn}
 * @param channels   base feature width C (head, block outputs, fusion)
 * @param growth     growth rate G of the intra dense layers
 * @param blocks     number of dense attention blocks (DAB) in the feature mapping branch
 * @param layers     3x3 dense layers per DAB
 * @param caHidden   hidden units of each channel-attention MLP and of ArbSR's routing MLPs (not sliced)
 * @param lambda     how many times the scale pair is interwoven into each CA MLP's input
 * @param saHidden   hidden channels of each IRB's spatial attention
 * @param levels     number of Laplacian levels / IRBs (11: r = 1.0, 1.1, ..., 2.0; unused by {@code meta-sr})
 * @param upChannels channels carried at the output size: the upsampled features the IRBs read ({@code asdn-lr}),
 *                   the hidden units of the MLP on geometry and scale ({@code meta-sr}, {@code arbsr}); 0 for {@code asdn}
 * @param widths     the subnet widths (active base channels) trained and served, ascending, last = channels
 */
@JsonPropertyOrder({"family", "channels", "growth", "blocks", "layers", "caHidden", "lambda", "saHidden", "levels",
        "upChannels", "widths"})
public record AsdnConfig(String family, int channels, int growth, int blocks, int layers, int caHidden, int lambda,
                         int saHidden, int levels, int upChannels, int[] widths) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The shipped pre-upsampling model's architecture: C 64, G 32, 5 DABs of 2 dense layers, subnets
     * 32 / 48 / 64; 395k multiply-adds per output pixel. Growth 32 keeps the 50 % subnet's layers 16 channels
     * wide, which oneDNN runs far better than 8 (see models/README.md).
     */
    public static AsdnConfig preUpsampling() {
        return new AsdnConfig(PreUpsampling.NAME, 64, 32, 5, 2, 16, 8, 8, 11, 0, new int[] {32, 48, 64});
    }

    /** The low-resolution family with the same FMB, upsampled features C / 2 wide. */
    public static AsdnConfig lowResolution() {
        return new AsdnConfig(LowResolution.NAME, 64, 32, 5, 2, 16, 8, 8, 11, 32, new int[] {32, 48, 64});
    }

    /**
     * Meta-SR's Meta-Upscale on the same FMB: a 4 -> 64 -> 3 x 3 x C x 3 weight-prediction MLP (the paper has 256
     * hidden units; 64 keeps the Meta-Upscale at 29 % of the FMB's multiply-adds per LR pixel, see {@link MetaSr}).
     */
    public static AsdnConfig metaSr() {
        return new AsdnConfig(MetaSr.NAME, 64, 32, 5, 2, 16, 8, 8, 11, 64, new int[] {32, 48, 64});
    }

    /**
     * ArbSR's scale-aware adaption (after DABs 1 and 3) and upsampler on the same FMB: a 4 -> 64 MLP on geometry and
     * scale predicting offsets and the routing of 4 expert 3x3 kernels (see {@link ArbSr}).
     */
    public static AsdnConfig arbSr() {
        return new AsdnConfig(ArbSr.NAME, 64, 32, 5, 2, 16, 8, 8, 11, 64, new int[] {32, 48, 64});
    }

    /** Default of {@code lapstream train}: the low-resolution family. */
    public static AsdnConfig defaults() {
        return lowResolution();
    }

    public AsdnConfig {
        family = family == null ? PreUpsampling.NAME : family;
        if (channels <= 0 || growth <= 0 || blocks <= 0 || layers <= 0 || caHidden <= 0 || lambda <= 0
                || saHidden <= 0 || levels < 2 || upChannels < 0) {
            throw new IllegalArgumentException("bad config");
        }
        if (widths == null || widths.length == 0 || widths[widths.length - 1] != channels) {
            throw new IllegalArgumentException("widths must end with the full width " + channels);
        }
        if (ModelFamily.of(family).upsamplesFeatures() && upChannels == 0) {
            throw new IllegalArgumentException("family " + family + " needs upChannels > 0");
        }
    }

    /** The implementation of {@link #family}. */
    public ModelFamily implementation() {
        return ModelFamily.of(family);
    }

    /** Active count of a layer with {@code full} filters in the subnet of width {@code width}. */
    public int active(int full, int width) {
        return (int) Math.floorDiv((long) full * width, channels);
    }

    /** Channels entering the channel attention of a DAB (its concatenated dense features). */
    public int blockConcat() {
        return channels + layers * growth;
    }

    /** Multiply-adds per pixel of the map the FMB runs on (head to global fusion), subnet {@code width}. */
    public long fmbMacsPerPixel(int width) {
        long c = active(channels, width);
        long g = active(growth, width);
        long m = 9L * 3 * c; // head
        for (int b = 0; b < blocks; b++) {
            if (b > 0) {
                m += (b + 1) * c * c; // inter-block dense compression 1x1
            }
            for (int j = 0; j < layers; j++) {
                m += 9L * (c + j * g) * g;
            }
            m += (c + layers * g) * c; // local fusion 1x1
        }
        m += (blocks + 1) * c * c; // global fusion 1x1
        m += 9L * c * c; // global 3x3
        return m;
    }

    /** Multiply-adds per output pixel of the two IRBs of an LFR level (reading {@code inputs}) and their spatial attention. */
    public long reconstructionMacsPerPixel(int width, int inputs) {
        long r = active(inputs, width);
        return 2 * 9L * r * 3 + 2 * 2 * 3L * saHidden;
    }

    /**
     * Multiply-adds per output pixel of the engine's passes for a symmetric or asymmetric factor pair (the
     * recursion of {@link RecursionPlanner}, with steps of at most the family's {@link ModelFamily#maxStepFactor});
     * for the low-resolution families this falls with the scale.
     */
    public double macsPerOutputPixel(int width, double scaleH, double scaleW) {
        double in = 1;
        double total = 0;
        for (double[] f : RecursionPlanner.factors(scaleH, scaleW, RecursionPlanner.DEFAULT,
                implementation().maxStepFactor())) {
            double out = in * f[0] * f[1];
            total += implementation().macs(this, width, in, out);
            in = out;
        }
        return total / in;
    }

    /** Weight count. */
    public long parameters() {
        long n = 0;
        for (ParamSpec p : params()) {
            n += p.size();
        }
        return n;
    }

    /** One weight tensor: name (no '/'), shape and init std (0 = zeros). */
    public record ParamSpec(String name, long[] shape, double std) {
        public long size() {
            long s = 1;
            for (long d : shape) {
                s *= d;
            }
            return s;
        }
    }

    /** All weights in a fixed order (the checkpoint order). */
    public List<ParamSpec> params() {
        List<ParamSpec> p = new ArrayList<>();
        int c = channels;
        conv(p, "head", 3, 3, c, 1.0);
        for (int b = 0; b < blocks; b++) {
            String pre = String.format(Locale.ROOT, "b%d_", b);
            if (b > 0) {
                conv(p, pre + "in", 1, (b + 1) * c, c, 1.0);
            }
            for (int j = 0; j < layers; j++) {
                conv(p, pre + "l" + j, 3, c + j * growth, growth, 1.0);
            }
            int n = blockConcat();
            p.add(new ParamSpec(pre + "ca_w1f", new long[] {n, caHidden}, Math.sqrt(2.0 / (n + 2 * lambda))));
            p.add(new ParamSpec(pre + "ca_w1s", new long[] {lambda, 2, caHidden}, Math.sqrt(2.0 / (n + 2 * lambda))));
            p.add(new ParamSpec(pre + "ca_b1", new long[] {caHidden}, 0));
            p.add(new ParamSpec(pre + "ca_w2", new long[] {caHidden, n}, 0));
            p.add(new ParamSpec(pre + "ca_b2", new long[] {n}, 0));
            conv(p, pre + "fuse", 1, n, c, 0.5);
        }
        conv(p, "gff1", 1, (blocks + 1) * c, c, 1.0);
        conv(p, "gff3", 3, c, c, 1.0);
        p.addAll(implementation().outputParams(this));
        return p;
    }

    /** The {@code levels} stacked IRBs reading {@code r} channels and their spatial attention, in checkpoint order. */
    public List<ParamSpec> reconstructionParams(int r) {
        return List.of(new ParamSpec("irb_w", new long[] {levels, 3, 3, r, 3}, 0.1 * Math.sqrt(2.0 / (9 * r))),
                new ParamSpec("irb_b", new long[] {levels, 3}, 0),
                new ParamSpec("sa_w1", new long[] {levels, 3, saHidden}, Math.sqrt(2.0 / 3)),
                new ParamSpec("sa_b1", new long[] {levels, saHidden}, 0),
                new ParamSpec("sa_w2", new long[] {levels, saHidden, 3}, 0),
                new ParamSpec("sa_b2", new long[] {levels, 3}, 0));
    }

    private static void conv(List<ParamSpec> p, String name, int k, int cin, int cout, double gain) {
        p.add(new ParamSpec(name + "_w", new long[] {k, k, cin, cout}, gain * Math.sqrt(2.0 / (k * k * cin))));
        p.add(new ParamSpec(name + "_b", new long[] {cout}, 0));
    }

    /** Compact JSON, read back by {@link #fromJson}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AsdnConfig fromJson(String json) {
        try {
            return JSON.readValue(json, AsdnConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a model config: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AsdnConfig other && other.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
