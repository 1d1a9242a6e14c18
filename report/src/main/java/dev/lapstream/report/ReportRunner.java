package dev.lapstream.report;

import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.ColorSpace;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.ingest.MediaItem;
import dev.lapstream.ingest.VideoSource;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every measurement of the report and writes report.md, report.json and the PNGs. */
final class ReportRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReportRunner.class);

    /** Loaded benchmark image; {@code grey} selects the grey-plane metric for single-channel files. */
    record Img(String name, RgbImage hr, boolean grey) {
    }

    record Bench(String name, List<Img> images) {
    }

    private final ReportConfig cfg;
    private final Results res = new Results();
    private final List<Method> arbitrary = new ArrayList<>();
    private final List<Method> peers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private LapstreamModel model;

    ReportRunner(ReportConfig cfg) {
        this.cfg = cfg;
    }

    Results run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(cfg.out());
        res.generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        res.command = cfg.command();
        res.machine = machine();
        try {
            setUpMethods();
            List<Bench> benches = loadBenches();
            for (Bench b : benches) {
                res.sets.add(b.name());
            }
            sweep(benches);
            integerScales(benches);
            speed(benches.get(0).images().get(0).hr());
            asymmetric(benches.get(0));
            crops(benches);
            video();
            checks();
        } finally {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("close failed: {}", e.toString());
                }
            }
        }
        res.seconds = (System.nanoTime() - t0) / 1e9;
        Path json = cfg.out().resolve("report.json");
        ReportJson.write(res, json);
        MarkdownWriter.write(res, cfg, cfg.out().resolve("report.md"));
        LOG.info("report written to {} in {} s", cfg.out().resolve("report.md"), Math.round(res.seconds));
        return res;
    }

    private static String machine() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "%d cores, %s %s, Java %s, load average %.2f at start",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), os.getSystemLoadAverage());
    }

    // ---------------------------------------------------------------- methods

    private void setUpMethods() {
        BicubicUpscaler bicubic = new BicubicUpscaler();
        arbitrary.add(new Method("bicubic", "bicubic", 0, bicubic::upscale));
        arbitrary.add(new Method("lanczos3", "lanczos3", 0,
                (lr, w, h) -> Resize.resize(lr, w, h, Resize.Kernel.LANCZOS3)));
        if (cfg.model() != null) {
            model = new LapstreamModel(cfg.model());
            closeables.add(model);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dir", cfg.model().toString());
            m.put("config", model.describe());
            Map<String, Long> macs = new LinkedHashMap<>();
            for (int w : model.widths()) {
                arbitrary.add(new Method(lapName(w), "lapstream", 0, (lr, ow, oh) -> model.upscale(lr, ow, oh, w)));
                macs.put(lapName(w), Math.round(model.macsPerPixel(w, 2)));
            }
            m.put("macsPerOutputPixelAtX2", macs);
            m.put("training", trainingCard(cfg.model()));
            res.model = m;
            LOG.info("lapstream model {} widths {}", cfg.model(), model.widths());
        } else {
            res.modelNote = "No lapstream model given (--model): lapstream rows are absent from this report.";
        }
        if (cfg.peers() != null && Files.isDirectory(cfg.peers())) {
            for (Path pb : PeerModel.list(cfg.peers())) {
                PeerModel p = PeerModel.load(pb);
                if (cfg.quick() && !p.family().equals("ESPCN")) {
                    p.close();
                    continue;
                }
                closeables.add(p);
                peers.add(new Method(p.name(), p.family(), p.scale(), p::upscale));
                double macs = p.macsPerOutputPixel();
                res.peerMacs.put(p.name(), Math.rint(macs));
                LOG.info("peer {} loaded ({} multiply-adds per output pixel)", p.name(), Math.round(macs));
            }
        } else {
            res.notes.add("No peer models found" + (cfg.peers() == null ? "" : " in " + cfg.peers())
                    + ": peer rows are absent.");
        }
    }

    /** The trainer's card beside the SavedModel (step, training time), if any: says which snapshot was measured. */
    static Object trainingCard(Path modelDir) {
        Path card = modelDir.resolve("training.json");
        if (!Files.isRegularFile(card)) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(card.toFile());
            Map<String, Object> t = new LinkedHashMap<>();
            for (String k : List.of("step", "trainingSeconds")) {
                if (j.has(k)) {
                    t.put(k, j.get(k).asLong());
                }
            }
            return t;
        } catch (IOException e) {
            return null;
        }
    }

    static String lapName(int width) {
        return "lapstream-w" + width;
    }

    private List<Method> lapMethods() {
        return arbitrary.stream().filter(m -> m.family().equals("lapstream")).toList();
    }

    // ---------------------------------------------------------------- data

    private List<Bench> loadBenches() {
        List<Bench> out = new ArrayList<>();
        for (String s : cfg.sets()) {
            Path dir = cfg.data().resolve(s);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("benchmark set not found: " + dir);
            }
            List<Img> imgs = new ArrayList<>();
            for (Path f : Images.list(dir)) {
                if (cfg.maxImages() > 0 && imgs.size() >= cfg.maxImages()) {
                    break;
                }
                String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                imgs.add(new Img(name, Images.load(f), Images.isGreyFile(f)));
            }
            if (imgs.isEmpty()) {
                throw new IllegalArgumentException("no images in " + dir);
            }
            out.add(new Bench(s, imgs));
        }
        return out;
    }

    // ---------------------------------------------------------------- quality

    /** Mean PSNR/SSIM of each method on a set at one scale pair and degradation. */
    static Map<String, Results.Score> evaluate(Bench b, double sh, double sw, Degradation deg, List<Method> methods) {
        int n = b.images().size();
        Map<String, double[][]> acc = new LinkedHashMap<>();
        for (Method m : methods) {
            acc.put(m.name(), new double[n][]);
        }
        int shave = Protocol.shave(sh, sw);
        for (int i = 0; i < n; i++) {
            Img img = b.images().get(i);
            RgbImage hr = Protocol.cropHr(img.hr(), sh, sw);
            RgbImage lr = deg.apply(hr, sh, sw);
            for (Method m : methods) {
                RgbImage up = m.upscale(lr, hr.width(), hr.height());
                acc.get(m.name())[i] = new double[] {
                    Quality.psnrY(up, hr, shave, img.grey()), Quality.ssimY(up, hr, shave, img.grey())};
            }
        }
        Map<String, Results.Score> out = new LinkedHashMap<>();
        for (Method m : methods) {
            double[][] v = acc.get(m.name());
            double p = 0;
            double s = 0;
            Map<String, double[]> per = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                p += v[i][0];
                s += v[i][1];
                per.put(b.images().get(i).name(), new double[] {round(v[i][0], 3), round(v[i][1], 4)});
            }
            out.put(m.name(), new Results.Score(round(p / n, 3), round(s / n, 4), per));
        }
        return out;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.rint(v * f) / f;
    }

    private List<Double> sweepScales() {
        if (cfg.scales() != null && !cfg.scales().isEmpty()) {
            return cfg.scales();
        }
        List<Double> s = new ArrayList<>();
        if (cfg.quick()) {
            s.addAll(List.of(1.5, 2.0, 3.0, 4.0));
        } else {
            for (int i = 11; i <= 40; i++) {
                s.add(i / 10.0);
            }
            s.add(8.0);
        }
        return s;
    }

    private void sweep(List<Bench> benches) {
        res.scales = sweepScales();
        res.modelScales = model == null ? null : cfg.modelScales();
        for (Bench b : benches) {
            Map<String, Map<String, Results.Score>> byMethod = new LinkedHashMap<>();
            for (Method m : arbitrary) {
                byMethod.put(m.name(), new LinkedHashMap<>());
            }
            for (double s : res.scales) {
                long t = System.nanoTime();
                List<Method> here = arbitrary.stream().filter(m -> !m.family().equals("lapstream")
                        || cfg.modelScales() == null || cfg.modelScales().stream().anyMatch(x -> Math.abs(x - s) < 1e-9))
                        .toList();
                Map<String, Results.Score> r = evaluate(b, s, s, Degradation.MATLAB, here);
                StringBuilder line = new StringBuilder();
                for (var e : r.entrySet()) {
                    byMethod.get(e.getKey()).put(Results.key(s), e.getValue());
                    line.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue().psnr()));
                }
                LOG.info("sweep {} x{}:{} dB ({} ms)", b.name(), Results.key(s), line, (System.nanoTime() - t) / 1_000_000);
            }
            res.sweep.put(b.name(), byMethod);
        }
    }

    /** Integer scales under both degradations: the peers, and the baselines for context. */
    private void integerScales(List<Bench> benches) {
        List<Method> baselines = arbitrary.stream().filter(m -> !m.family().equals("lapstream")).toList();
        List<Integer> scales = new ArrayList<>();
        for (int s : List.of(2, 3, 4, 8)) {
            if (res.scales.contains((double) s)) {
                scales.add(s);
            }
        }
        for (Bench b : benches) {
            Map<String, Map<String, Map<String, Results.Score>>> byMethod = new LinkedHashMap<>();
            for (Method m : peers) {
                long t = System.nanoTime();
                Map<String, Map<String, Results.Score>> byScale = byMethod.computeIfAbsent(m.family(),
                        k -> new LinkedHashMap<>());
                Map<String, Results.Score> byDeg = new LinkedHashMap<>();
                for (Degradation d : Degradation.values()) {
                    byDeg.put(d.key(), evaluate(b, m.fixedScale(), m.fixedScale(), d, List.of(m)).get(m.name()));
                }
                byScale.put("x" + m.fixedScale(), byDeg);
                LOG.info("peer {} {}: {} {} dB, {} {} dB ({} ms)", b.name(), m.name(),
                        Degradation.MATLAB.key(), byDeg.get("matlab").psnr(), Degradation.CUBIC.key(),
                        byDeg.get("cubic").psnr(), (System.nanoTime() - t) / 1_000_000);
            }
            for (int s : scales) {
                Map<String, Results.Score> cubic = evaluate(b, s, s, Degradation.CUBIC, baselines);
                for (Method m : baselines) {
                    Map<String, Results.Score> byDeg = new LinkedHashMap<>();
                    byDeg.put("matlab", res.sweep.get(b.name()).get(m.name()).get(Results.key(s)));
                    byDeg.put("cubic", cubic.get(m.name()));
                    byMethod.computeIfAbsent(m.name(), k -> new LinkedHashMap<>()).put("x" + s, byDeg);
                }
                LOG.info("baselines {} x{} under plain cubic: bicubic {} dB", b.name(), s, cubic.get("bicubic").psnr());
            }
            res.integer.put(b.name(), byMethod);
        }
    }

    // ---------------------------------------------------------------- speed

    private void speed(RgbImage source) {
        int[][] sizes = cfg.quick() ? new int[][] {{320, 240}} : new int[][] {{320, 240}, {640, 480}};
        List<Method> methods = new ArrayList<>(arbitrary);
        peers.stream().filter(m -> m.fixedScale() == 2).forEach(methods::add);
        for (int[] sz : sizes) {
            RgbImage in = Resize.resize(source, sz[0], sz[1]);
            int ow = sz[0] * 2;
            int oh = sz[1] * 2;
            for (Method m : methods) {
                int warm = m.family().equals("bicubic") || m.family().equals("lanczos3") ? 2 : 1;
                for (int i = 0; i < warm; i++) {
                    m.upscale(in, ow, oh);
                }
                double minSeconds = cfg.quick() ? 0.2 : 2.0;
                int minRuns = cfg.quick() ? 1 : 3;
                List<Double> ms = new ArrayList<>();
                long start = System.nanoTime();
                while (true) {
                    long t = System.nanoTime();
                    m.upscale(in, ow, oh);
                    ms.add((System.nanoTime() - t) / 1e6);
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    // enough runs for a median, but a slow network need not repeat for minutes
                    if ((ms.size() >= minRuns && elapsed >= minSeconds) || elapsed >= 30 || ms.size() >= 50) {
                        break;
                    }
                }
                double med = median(ms);
                Double macs = m.family().equals("lapstream")
                        ? Double.valueOf(model.macsPerPixel(Integer.parseInt(m.name().substring(m.name().indexOf("-w") + 2)), 2))
                        : res.peerMacs.get(m.name());
                Results.Speed sp = new Results.Speed(m.name(), sz[0], sz[1], ow, oh, ms.size(), round(med, 2),
                        round(ow * (double) oh / 1e6 / (med / 1000), 3), macs);
                res.speed.add(sp);
                LOG.info("speed {} {}x{} -> {}x{}: {} ms/frame, {} MP/s ({} runs)", m.name(), sz[0], sz[1], ow, oh,
                        sp.msPerFrame(), sp.outputMpPerSecond(), ms.size());
            }
        }
        Map<String, Double> bars = new LinkedHashMap<>();
        int[] last = sizes[sizes.length - 1];
        for (Results.Speed s : res.speed) {
            if (s.inW() == last[0]) {
                bars.put(s.method(), s.msPerFrame());
            }
        }
        Charts.bars(cfg.out().resolve("speed.png"), String.format(Locale.ROOT,
                "Milliseconds per frame, x2 from %dx%d (log scale, lower is better)", last[0], last[1]),
                "ms per frame", bars, true);
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    // ---------------------------------------------------------------- asymmetric

    private void asymmetric(Bench b) {
        List<Double> f = cfg.quick() ? List.of(1.5, 3.0) : List.of(1.5, 2.0, 2.5, 3.0, 3.5, 4.0);
        res.asymmetricSet = b.name();
        res.asymmetricFactors = f;
        List<Method> methods = new ArrayList<>();
        methods.add(arbitrary.get(0)); // bicubic
        List<Method> lap = lapMethods();
        if (!lap.isEmpty()) {
            methods.add(lap.get(lap.size() - 1)); // full width
        }
        for (Method m : methods) {
            res.asymmetric.put(m.name(), new LinkedHashMap<>());
        }
        for (double sh : f) {
            long t = System.nanoTime();
            for (double sw : f) {
                Map<String, Results.Score> r = evaluate(b, sh, sw, Degradation.MATLAB, methods);
                r.forEach((k, v) -> res.asymmetric.get(k).put(Results.pairKey(sh, sw), v));
            }
            LOG.info("asymmetric {} vertical x{} done ({} ms)", b.name(), Results.key(sh), (System.nanoTime() - t) / 1_000_000);
        }
    }

    // ---------------------------------------------------------------- crops

    private void crops(List<Bench> benches) {
        int scale = 4;
        List<String> wanted = List.of("butterfly", "zebra", "comic", "baby");
        List<Img> chosen = new ArrayList<>();
        for (String w : wanted) {
            for (Bench b : benches) {
                b.images().stream().filter(i -> i.name().equals(w)).findFirst().ifPresent(chosen::add);
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(benches.get(0).images().get(0));
        }
        int limit = cfg.quick() ? 1 : 3;
        List<Method> methods = new ArrayList<>(arbitrary.stream().filter(m -> !m.family().equals("lapstream")).toList());
        peers.stream().filter(m -> m.fixedScale() == scale).forEach(methods::add);
        List<Method> lap = lapMethods();
        if (!lap.isEmpty()) {
            methods.add(lap.get(lap.size() - 1));
        }
        for (Img img : chosen.subList(0, Math.min(limit, chosen.size()))) {
            RgbImage hr = Protocol.cropHr(img.hr(), scale, scale);
            int size = Math.min(96, Math.min(hr.width(), hr.height()) - 2 * scale);
            RgbImage lr = Protocol.degrade(hr, scale, scale);
            List<RgbImage> outs = new ArrayList<>();
            for (Method m : methods) {
                outs.add(m.upscale(lr, hr.width(), hr.height()));
            }
            int[] at = worstWindow(outs.get(0), hr, size, scale);
            List<RgbImage> panels = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < methods.size(); i++) {
                RgbImage c = Images.crop(outs.get(i), at[0], at[1], size, size);
                panels.add(c);
                labels.add(String.format(Locale.ROOT, "%s %.2f dB", methods.get(i).name(),
                        Quality.psnrY(c, Images.crop(hr, at[0], at[1], size, size), 0, img.grey())));
            }
            panels.add(Images.crop(hr, at[0], at[1], size, size));
            labels.add("ground truth");
            String file = "crop_" + img.name() + "_x" + scale + ".png";
            writeLabelled(panels, labels, 2, cfg.out().resolve(file));
            res.crops.add(file);
            LOG.info("crops {} written ({} px window at {},{})", file, size, at[0], at[1]);
        }
    }

    /** Top-left of the {@code size} window (on a stride grid, inside the shave) where {@code test} errs most. */
    static int[] worstWindow(RgbImage test, RgbImage ref, int size, int shave) {
        double[] a = ColorSpace.yBt601(test);
        double[] b = ColorSpace.yBt601(ref);
        int w = ref.width();
        int h = ref.height();
        int stride = 16;
        double best = -1;
        int[] at = {Math.max(0, (w - size) / 2), Math.max(0, (h - size) / 2)};
        for (int y = shave; y + size <= h - shave; y += stride) {
            for (int x = shave; x + size <= w - shave; x += stride) {
                double se = 0;
                for (int r = y; r < y + size; r++) {
                    for (int c = x; c < x + size; c++) {
                        double d = a[r * w + c] - b[r * w + c];
                        se += d * d;
                    }
                }
                if (se > best) {
                    best = se;
                    at = new int[] {x, y};
                }
            }
        }
        return at;
    }

    /** Panels magnified {@code zoom}x (nearest neighbour, so pixels stay visible) with a label above each. */
    static void writeLabelled(List<RgbImage> panels, List<String> labels, int zoom, Path png) {
        int gap = 6;
        int header = 22;
        int pw = panels.get(0).width() * zoom;
        int ph = panels.get(0).height() * zoom;
        BufferedImage canvas = new BufferedImage(panels.size() * (pw + gap) - gap, ph + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < panels.size(); i++) {
                int x = i * (pw + gap);
                g.drawImage(Images.toBufferedImage(panels.get(i)), x, header, pw, ph, null);
                g.setColor(Color.BLACK);
                g.drawString(labels.get(i), x + 2, 15);
            }
        } finally {
            g.dispose();
        }
        try {
            ImageIO.write(canvas, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- video

    private void video() {
        if (cfg.videoFrames() <= 0 || cfg.video() == null || !Files.isRegularFile(cfg.video())) {
            res.notes.add("Video section skipped: " + (cfg.video() == null ? "no clip given"
                    : cfg.videoFrames() <= 0 ? "--video-frames 0" : cfg.video() + " not found") + ".");
            return;
        }
        int scale = 2;
        List<RgbImage> frames = new ArrayList<>();
        try (VideoSource src = VideoSource.open(cfg.video())) {
            for (MediaItem it = src.next(); it != null && frames.size() < cfg.videoFrames(); it = src.next()) {
                if (it instanceof MediaItem.Video v) {
                    frames.add(Protocol.cropHr(v.frame().image(), scale, scale));
                }
            }
        }
        res.videoSource = cfg.video().getFileName() + ", first " + frames.size() + " frames as HR, x" + scale
                + " MATLAB-bicubic LR";
        res.videoWidth = frames.get(0).width();
        res.videoHeight = frames.get(0).height();
        List<Method> methods = new ArrayList<>(arbitrary.stream().filter(m -> !m.family().equals("lapstream")).toList());
        List<Method> lap = lapMethods();
        if (!lap.isEmpty()) {
            methods.add(lap.get(0));
            if (lap.size() > 1) {
                methods.add(lap.get(lap.size() - 1));
            }
        }
        int shave = Protocol.shave(scale, scale);
        Map<String, double[][]> lines = new LinkedHashMap<>();
        for (Method m : methods) {
            long t = System.nanoTime();
            double[] psnr = new double[frames.size()];
            double[] flicker = new double[frames.size()];
            double[] prevErr = null;
            for (int i = 0; i < frames.size(); i++) {
                RgbImage hr = frames.get(i);
                RgbImage up = m.upscale(Protocol.degrade(hr, scale, scale), hr.width(), hr.height());
                psnr[i] = round(Quality.psnrY(up, hr, shave), 3);
                double[] err = error(up, hr);
                flicker[i] = prevErr == null ? Double.NaN : round(meanAbsDiff(err, prevErr, hr.width(), hr.height(), shave), 4);
                prevErr = err;
            }
            double mp = Arrays.stream(psnr).average().orElse(Double.NaN);
            double mf = Arrays.stream(flicker).filter(Double::isFinite).average().orElse(Double.NaN);
            res.video.add(new Results.VideoSeries(m.name(), psnr, flicker, round(mp, 3), round(mf, 4)));
            double[][] pts = new double[psnr.length][];
            for (int i = 0; i < psnr.length; i++) {
                pts[i] = new double[] {i, psnr[i]};
            }
            lines.put(m.name(), pts);
            LOG.info("video {}: mean PSNR {} dB, flicker {} ({} ms)", m.name(), round(mp, 2), round(mf, 3),
                    (System.nanoTime() - t) / 1_000_000);
        }
        Charts.xy(cfg.out().resolve("video_psnr.png"), "PSNR (Y) per frame, " + cfg.video().getFileName() + " x" + scale,
                "frame", "PSNR (dB)", lines, Map.of());
    }

    /** Signed Y error (BT.601) of a frame. */
    static double[] error(RgbImage up, RgbImage hr) {
        double[] a = ColorSpace.yBt601(up);
        double[] b = ColorSpace.yBt601(hr);
        for (int i = 0; i < a.length; i++) {
            a[i] -= b[i];
        }
        return a;
    }

    /** Mean |e_t - e_(t-1)| inside the shave: error that changes between frames is seen as flicker. */
    static double meanAbsDiff(double[] e, double[] prev, int w, int h, int shave) {
        double s = 0;
        long n = 0;
        for (int y = shave; y < h - shave; y++) {
            for (int x = shave; x < w - shave; x++) {
                s += Math.abs(e[y * w + x] - prev[y * w + x]);
                n++;
            }
        }
        return s / n;
    }

    // ---------------------------------------------------------------- checks

    private static final Map<String, double[]> PUBLISHED_BICUBIC = Map.of(
            "Set5", new double[] {33.66, 30.39, 28.42},
            "Set14", new double[] {30.24, 27.55, 26.00});
    /** DESIGN.md's measured peers on Set5 (best of the two degradations), x2/x3/x4; NaN = not given. */
    private static final Map<String, double[]> DESIGN_PEERS_SET5 = new LinkedHashMap<>();

    static {
        DESIGN_PEERS_SET5.put("ESPCN", new double[] {35.9, 30.6, 28.5});
        DESIGN_PEERS_SET5.put("FSRCNN", new double[] {35.7, 30.6, 28.5});
        DESIGN_PEERS_SET5.put("LapSRN", new double[] {34.5, Double.NaN, 28.8});
    }

    private void checks() {
        if (cfg.maxImages() > 0) {
            res.notes.add("Pipeline check skipped: --max-images " + cfg.maxImages()
                    + " evaluates a subset, which the published means do not describe.");
            return;
        }
        for (String set : res.sets) {
            double[] pub = PUBLISHED_BICUBIC.get(set);
            if (pub == null) {
                continue;
            }
            for (int s = 2; s <= 4; s++) {
                Results.Score sc = res.sweep.get(set).get("bicubic").get(Results.key(s));
                if (sc == null) {
                    continue;
                }
                addCheck(set, "bicubic", s, sc.psnr(), pub[s - 2], 0.05, "published");
            }
        }
        Map<String, Map<String, Map<String, Results.Score>>> set5 = res.integer.get("Set5");
        if (set5 == null) {
            return;
        }
        for (var e : DESIGN_PEERS_SET5.entrySet()) {
            Map<String, Map<String, Results.Score>> byScale = set5.get(e.getKey());
            if (byScale == null) {
                continue;
            }
            for (int s = 2; s <= 4; s++) {
                double ref = e.getValue()[s - 2];
                Map<String, Results.Score> byDeg = byScale.get("x" + s);
                if (byDeg == null || Double.isNaN(ref)) {
                    continue;
                }
                Map<String, Object> c = addCheck("Set5", e.getKey(), s, best(byDeg), ref, 0.15, "DESIGN.md measured");
                if (!Boolean.TRUE.equals(c.get("pass"))) {
                    // say which degradation the reference seems to describe, if one of them matches
                    for (var d : byDeg.entrySet()) {
                        if (Math.abs(d.getValue().psnr() - ref) <= 0.15) {
                            c.put("note", String.format(Locale.ROOT, "the reference matches this peer's %s-degradation "
                                    + "number (%.2f); its better number is on the other degradation",
                                    d.getKey(), d.getValue().psnr()));
                        }
                    }
                }
            }
        }
    }

    private Map<String, Object> addCheck(String set, String method, int scale, double got, double ref, double tol,
                                         String source) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("set", set);
        c.put("method", method);
        c.put("scale", scale);
        c.put("psnr", got);
        c.put("reference", ref);
        c.put("referenceSource", source);
        c.put("diff", round(got - ref, 3));
        c.put("tolerance", tol);
        c.put("pass", Math.abs(got - ref) <= tol);
        res.checks.add(c);
        LOG.info("check {} {} x{}: {} vs {} {} -> {}", set, method, scale, got, source, ref,
                Math.abs(got - ref) <= tol ? "ok" : "OFF");
        return c;
    }

    /** A peer's better PSNR over the two degradations. */
    static double best(Map<String, Results.Score> byDeg) {
        return byDeg.values().stream().mapToDouble(Results.Score::psnr).max().orElse(Double.NaN);
    }
}
