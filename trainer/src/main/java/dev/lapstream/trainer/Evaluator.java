package dev.lapstream.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.model.AsdnUpscaler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The benchmark protocol (../shared/DESIGN.md, {@link Protocol}) for bicubic and the model over
 * image folders, scale pairs and subnet widths: mean PSNR/SSIM on Y per (dataset, scale, width),
 * per-image rows, side-by-side crops (bicubic | model | ground truth).
 */
public final class Evaluator {

    /** A scale pair (vertical, horizontal). */
    public record Scale(double h, double w) {
        public static Scale parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            int x = t.indexOf('x', 1);
            int colon = t.indexOf(':');
            int sep = colon >= 0 ? colon : x;
            if (t.startsWith("x")) {
                t = t.substring(1);
                sep = t.indexOf(':') >= 0 ? t.indexOf(':') : t.indexOf('x');
            }
            if (sep > 0) {
                return new Scale(Double.parseDouble(t.substring(0, sep)), Double.parseDouble(t.substring(sep + 1)));
            }
            double v = Double.parseDouble(t);
            return new Scale(v, v);
        }

        public boolean symmetric() {
            return h == w;
        }

        @Override
        public String toString() {
            return symmetric() ? fmt(h) : fmt(h) + ":" + fmt(w);
        }

        static String fmt(double v) {
            return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                    : String.format(Locale.ROOT, "%s", Double.toString(v));
        }
    }

    /** One averaged result row. */
    public record Row(String dataset, Scale scale, int width, int images, double bicubicPsnr, double bicubicSsim,
                      double psnr, double ssim, double msPerImage) {
    }

    /** One image's result. */
    public record ImageRow(String dataset, String image, Scale scale, int width, double bicubicPsnr,
                           double bicubicSsim, double psnr, double ssim, double ms) {
    }

    /** What is evaluated: an upscaler with a subnet width. */
    @FunctionalInterface
    public interface Model {
        RgbImage upscale(RgbImage lr, int outWidth, int outHeight, int width);
    }

    private final Model model;
    private final Consumer<String> out;
    private final List<ImageRow> imageRows = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final boolean ssim;

    public Evaluator(AsdnUpscaler model, boolean ssim, Consumer<String> out) {
        this(model::upscale, ssim, out);
    }

    public Evaluator(Model model, boolean ssim, Consumer<String> out) {
        this.model = model;
        this.ssim = ssim;
        this.out = out;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<ImageRow> imageRows() {
        return imageRows;
    }

    /**
     * Evaluates one folder. {@code cropsDir} (nullable) receives side-by-side crops of the first
     * {@code crops} images per scale and width.
     */
    public void evaluate(Path dir, List<Scale> scales, int[] widths, Path cropsDir, int crops, int cropSize)
            throws IOException {
        String ds = dir.getFileName().toString();
        List<Path> files = Images.list(dir);
        List<RgbImage> originals = new ArrayList<>();
        List<Boolean> grey = new ArrayList<>();
        for (Path f : files) {
            originals.add(Images.load(f));
            grey.add(Images.isGreyFile(f));
        }
        for (Scale s : scales) {
            int shave = Protocol.shave(s.h(), s.w());
            List<RgbImage> hrs = new ArrayList<>();
            List<RgbImage> lrs = new ArrayList<>();
            List<RgbImage> bics = new ArrayList<>();
            double[] bp = new double[files.size()];
            double[] bs = new double[files.size()];
            for (int i = 0; i < files.size(); i++) {
                RgbImage hr = Protocol.cropHr(originals.get(i), s.h(), s.w());
                RgbImage lr = Protocol.degrade(hr, s.h(), s.w());
                RgbImage bic = Resize.resize(lr, hr.width(), hr.height());
                hrs.add(hr);
                lrs.add(lr);
                bics.add(bic);
                bp[i] = Quality.psnrY(bic, hr, shave, grey.get(i));
                bs[i] = ssim ? Quality.ssimY(bic, hr, shave, grey.get(i)) : Double.NaN;
            }
            for (int width : widths) {
                double sp = 0;
                double ss = 0;
                double sbp = 0;
                double sbs = 0;
                double ms = 0;
                for (int i = 0; i < files.size(); i++) {
                    RgbImage hr = hrs.get(i);
                    long t0 = System.nanoTime();
                    RgbImage sr = model.upscale(lrs.get(i), hr.width(), hr.height(), width);
                    double dt = (System.nanoTime() - t0) / 1e6;
                    double p = Quality.psnrY(sr, hr, shave, grey.get(i));
                    double q = ssim ? Quality.ssimY(sr, hr, shave, grey.get(i)) : Double.NaN;
                    imageRows.add(new ImageRow(ds, files.get(i).getFileName().toString(), s, width, bp[i], bs[i], p, q,
                            dt));
                    sp += p;
                    ss += q;
                    sbp += bp[i];
                    sbs += bs[i];
                    ms += dt;
                    if (cropsDir != null && i < crops) {
                        saveCrop(cropsDir, ds, files.get(i), s, width, bics.get(i), sr, hr, cropSize);
                    }
                }
                int n = files.size();
                Row r = new Row(ds, s, width, n, sbp / n, sbs / n, sp / n, ss / n, ms / n);
                rows.add(r);
                out.accept(format(r));
            }
        }
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-8s %-9s %5s %3s  %-16s  %-16s  %7s  %9s", "dataset", "scale", "width",
                "n", "bicubic PSNR/SSIM", "model PSNR/SSIM", "gain", "ms/image");
    }

    public static String format(Row r) {
        return String.format(Locale.ROOT, "%-8s %-9s %5d %3d  %7.3f / %.4f  %7.3f / %.4f  %+7.3f  %9.1f", r.dataset(),
                "x" + r.scale(), r.width(), r.images(), r.bicubicPsnr(), r.bicubicSsim(), r.psnr(), r.ssim(),
                r.psnr() - r.bicubicPsnr(), r.msPerImage());
    }

    private static void saveCrop(Path dir, String ds, Path file, Scale s, int width, RgbImage bic, RgbImage sr,
                                 RgbImage hr, int size) {
        int cw = Math.min(size, hr.width());
        int ch = Math.min(size, hr.height());
        // the crop with the most detail (highest grey-level variance) on a coarse grid
        int bx = 0;
        int by = 0;
        double best = -1;
        int stepX = Math.max(1, (hr.width() - cw) / 6);
        int stepY = Math.max(1, (hr.height() - ch) / 6);
        for (int y = 0; y + ch <= hr.height(); y += stepY) {
            for (int x = 0; x + cw <= hr.width(); x += stepX) {
                double v = variance(hr, x, y, cw, ch);
                if (v > best) {
                    best = v;
                    bx = x;
                    by = y;
                }
            }
        }
        RgbImage side = Images.hconcat(4, Images.crop(bic, bx, by, cw, ch), Images.crop(sr, bx, by, cw, ch),
                Images.crop(hr, bx, by, cw, ch));
        String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Images.savePng(side, dir.resolve(ds + "_" + base + "_x" + s.toString().replace(':', 'x') + "_w" + width
                + ".png"));
    }

    private static double variance(RgbImage img, int x0, int y0, int w, int h) {
        double s = 0;
        double s2 = 0;
        for (int y = y0; y < y0 + h; y += 2) {
            for (int x = x0; x < x0 + w; x += 2) {
                double g = img.get(x, y, 1);
                s += g;
                s2 += g * g;
            }
        }
        double n = Math.ceil(w / 2.0) * Math.ceil(h / 2.0);
        double m = s / n;
        return s2 / n - m * m;
    }

    public void writeCsv(Path file) throws IOException {
        StringBuilder b = new StringBuilder(
                "dataset,scale_h,scale_w,width,images,bicubic_psnr,bicubic_ssim,psnr,ssim,ms_per_image\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%.4f,%.5f,%.4f,%.5f,%.1f%n", r.dataset(),
                    r.scale().h(), r.scale().w(), r.width(), r.images(), r.bicubicPsnr(), r.bicubicSsim(), r.psnr(),
                    r.ssim(), r.msPerImage()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    public void writeJson(Path file, String modelDescription) throws IOException {
        List<ResultJson> results = rows.stream().map(r -> new ResultJson(r.dataset(), r.scale().h(), r.scale().w(),
                r.width(), r.images(), new Metric(r.bicubicPsnr(), finite(r.bicubicSsim())),
                new Metric(r.psnr(), finite(r.ssim())), r.msPerImage())).toList();
        List<ImageJson> images = imageRows.stream().map(r -> new ImageJson(r.dataset(), r.image(), r.scale().h(),
                r.scale().w(), r.width(), r.bicubicPsnr(), r.psnr(), finite(r.ssim()), r.ms())).toList();
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), new EvaluationJson(modelDescription, PROTOCOL, results, images));
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROTOCOL =
            "Y BT.601, shave ceil(scale), HR cropped so sides divide by the scale, LR MATLAB bicubic antialiased";

    /** SSIM is NaN when it was not computed ({@code --no-ssim}): written as null. */
    private static Double finite(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** {@code results.json}: the mean rows and the per-image rows. */
    record EvaluationJson(String model, String protocol, List<ResultJson> results, List<ImageJson> images) {
    }

    record Metric(double psnr, Double ssim) {
    }

    record ResultJson(String dataset, @JsonProperty("scale_h") double scaleH, @JsonProperty("scale_w") double scaleW,
                      int width, int images, Metric bicubic, Metric model,
                      @JsonProperty("ms_per_image") double msPerImage) {
    }

    record ImageJson(String dataset, String image, @JsonProperty("scale_h") double scaleH,
                     @JsonProperty("scale_w") double scaleW, int width, @JsonProperty("bicubic_psnr") double bicubicPsnr,
                     double psnr, Double ssim, double ms) {
    }
}
