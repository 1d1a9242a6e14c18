package dev.lapstream.report;

import dev.lapstream.core.image.ColorSpace;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * One OpenCV dnn_superres peer (frozen TensorFlow graph, fixed integer scale) run in TensorFlow
 * Java as OpenCV runs it: Y = .299R + .587G + .114B in [0,1] goes through the net
 * ({@code IteratorGetNext} [1,H,W,1] -> {@code NCHW_output} [1,1,sH,sW]); Cb/Cr come from a
 * bicubic upscale of the RGB input and the three are merged back to RGB.
 */
public final class PeerModel implements Upscaler {

    private static final Pattern FILE = Pattern.compile("(.+)_x(\\d+)\\.pb");
    static final String INPUT = "IteratorGetNext";
    static final String OUTPUT = "NCHW_output";

    private final String family;
    private final int scale;
    private final Graph graph;
    private final Session session;

    private PeerModel(String family, int scale, Graph graph) {
        this.family = family;
        this.scale = scale;
        this.graph = graph;
        this.session = new Session(graph);
    }

    /** Loads {@code <Family>_x<scale>.pb}. */
    public static PeerModel load(Path pb) {
        Matcher m = FILE.matcher(pb.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("peer file must be named <Family>_x<scale>.pb: " + pb);
        }
        Graph g = new Graph();
        try {
            g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
        } catch (IOException e) {
            g.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        return new PeerModel(m.group(1), Integer.parseInt(m.group(2)), g);
    }

    /** Every {@code *_x<n>.pb} in {@code dir}, sorted by family then scale. */
    public static List<Path> list(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> FILE.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> {
                        Matcher ma = FILE.matcher(a.getFileName().toString());
                        Matcher mb = FILE.matcher(b.getFileName().toString());
                        ma.matches();
                        mb.matches();
                        int c = ma.group(1).compareTo(mb.group(1));
                        return c != 0 ? c : Integer.compare(Integer.parseInt(ma.group(2)), Integer.parseInt(mb.group(2)));
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String family() {
        return family;
    }

    public int scale() {
        return scale;
    }

    @Override
    public String name() {
        return family + "_x" + scale;
    }

    /** The network's Y output, [0,1], for a Y plane in [0,1]. */
    public float[] runY(float[] y, int w, int h) {
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, h, w, 1), DataBuffers.of(y, true, false));
             Result r = session.runner().feed(INPUT, in).fetch(OUTPUT).run()) {
            TFloat32 out = (TFloat32) r.get(0);
            long[] dims = out.shape().asArray();
            if (dims.length != 4 || dims[2] != (long) h * scale || dims[3] != (long) w * scale) {
                throw new IllegalStateException(name() + ": unexpected output shape " + out.shape());
            }
            float[] o = new float[(int) out.shape().size()];
            out.copyTo(DataBuffers.of(o, false, false));
            return o;
        }
    }

    @Override
    public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
        int w = input.width();
        int h = input.height();
        if (outWidth != w * scale || outHeight != h * scale) {
            throw new IllegalArgumentException(name() + " only upscales by exactly " + scale);
        }
        float[] yUp = runY(ColorSpace.yFullRange01(input), w, h);
        RgbImage chroma = Resize.resize(input, outWidth, outHeight);
        return mergeY(chroma, yUp);
    }

    /**
     * Replaces the full-range luma of {@code base} by {@code y} (0..1) and keeps its Cb/Cr
     * (OpenCV's YCrCb: Cr = .713 (R - Y), Cb = .564 (B - Y)).
     */
    static RgbImage mergeY(RgbImage base, float[] y) {
        byte[] p = base.pixels();
        float[] out = new float[p.length];
        for (int i = 0; i < y.length; i++) {
            float r = p[i * 3] & 0xff;
            float g = p[i * 3 + 1] & 0xff;
            float b = p[i * 3 + 2] & 0xff;
            float y0 = 0.299f * r + 0.587f * g + 0.114f * b;
            float cr = (r - y0) * 0.713f;
            float cb = (b - y0) * 0.564f;
            float yn = y[i] * 255f;
            out[i * 3] = yn + 1.403f * cr;
            out[i * 3 + 1] = yn - 0.714f * cr - 0.344f * cb;
            out[i * 3 + 2] = yn + 1.773f * cb;
        }
        return Images.fromFloat(out, base.width(), base.height(), 1f);
    }

    /**
     * Multiply-adds per output pixel, counted from the graph: every Conv2D (output area x
     * kh kw cin cout) and Conv2DBackpropInput (input area x kh kw cin cout), with the areas
     * measured by running a 32x32 input. Cheap element-wise ops are ignored.
     */
    public double macsPerOutputPixel() {
        int n = 32;
        List<Output<?>> areas = new ArrayList<>();
        List<Long> filterMacs = new ArrayList<>();
        List<Boolean> nchw = new ArrayList<>();
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
            GraphOperation op = it.next();
            String t = op.type();
            if (!t.equals("Conv2D") && !t.equals("Conv2DBackpropInput")) {
                continue;
            }
            Shape f = op.input(1).shape();
            if (f.numDimensions() != 4 || f.hasUnknownDimension()) {
                return Double.NaN;
            }
            filterMacs.add(f.size(0) * f.size(1) * f.size(2) * f.size(3));
            areas.add(t.equals("Conv2D") ? op.output(0) : op.input(2));
            String fmt;
            try {
                fmt = op.attributes().getAttrString("data_format");
            } catch (RuntimeException e) {
                fmt = "NHWC";
            }
            nchw.add("NCHW".equals(fmt));
        }
        float[] y = new float[n * n];
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, n, n, 1), DataBuffers.of(y, true, false))) {
            Session.Runner run = session.runner().feed(INPUT, in);
            for (Output<?> o : areas) {
                run.fetch(o);
            }
            double total = 0;
            try (Result r = run.run()) {
                for (int i = 0; i < areas.size(); i++) {
                    Tensor t = r.get(i);
                    long[] d = t.shape().asArray();
                    double area = nchw.get(i) ? (double) d[2] * d[3] : (double) d[1] * d[2];
                    total += area * filterMacs.get(i);
                }
            }
            return total / ((double) n * scale * n * scale);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
