package dev.lapstream.report;

import dev.lapstream.core.image.ColorSpace;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.ingest.MediaItem;
import dev.lapstream.ingest.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clip's frames as HR at x2: PSNR per frame and temporal flicker (how much the error changes from
 * frame to frame) of the baselines and each model's narrowest and full width.
 */
final class VideoFlicker {

    private static final Logger LOG = LoggerFactory.getLogger(VideoFlicker.class);
    private static final int SCALE = 2;

    record Result(String source, int width, int height, List<Series> series) {
    }

    record Series(String method, double[] psnr, double[] flicker, double meanPsnr, double meanFlicker) {
    }

    private VideoFlicker() {
    }

    /** The section, or null (with the reason in {@code notes}) when there is no clip to read. */
    static Result run(ReportConfig cfg, MethodSet methodSet, List<String> notes) {
        if (cfg.videoFrames() <= 0 || cfg.video() == null || !Files.isRegularFile(cfg.video())) {
            notes.add("Video section skipped: " + (cfg.video() == null ? "no clip given"
                    : cfg.videoFrames() <= 0 ? "--video-frames 0" : cfg.video() + " not found") + ".");
            return null;
        }
        List<RgbImage> frames = frames(cfg.video(), cfg.videoFrames());
        List<Method> methods = new ArrayList<>(methodSet.baselines());
        methods.addAll(methodSet.narrowestAndFull());
        int shave = Protocol.shave(SCALE, SCALE);
        List<Series> series = new ArrayList<>();
        Map<String, double[][]> lines = new LinkedHashMap<>();
        for (Method m : methods) {
            long t = System.nanoTime();
            double[] psnr = new double[frames.size()];
            double[] flicker = new double[frames.size()];
            double[] prevErr = null;
            for (int i = 0; i < frames.size(); i++) {
                RgbImage hr = frames.get(i);
                RgbImage up = m.upscale(Protocol.degrade(hr, SCALE, SCALE), hr.width(), hr.height());
                psnr[i] = Score.round(Quality.psnrY(up, hr, shave), 3);
                double[] err = error(up, hr);
                flicker[i] = prevErr == null ? Double.NaN
                        : Score.round(meanAbsDiff(err, prevErr, hr.width(), hr.height(), shave), 4);
                prevErr = err;
            }
            double mp = Arrays.stream(psnr).average().orElse(Double.NaN);
            double mf = Arrays.stream(flicker).filter(Double::isFinite).average().orElse(Double.NaN);
            series.add(new Series(m.name(), psnr, flicker, Score.round(mp, 3), Score.round(mf, 4)));
            double[][] pts = new double[psnr.length][];
            for (int i = 0; i < psnr.length; i++) {
                pts[i] = new double[] {i, psnr[i]};
            }
            lines.put(m.name(), pts);
            LOG.info("video {}: mean PSNR {} dB, flicker {} ({} ms)", m.name(), Score.round(mp, 2),
                    Score.round(mf, 3), (System.nanoTime() - t) / 1_000_000);
        }
        Charts.xy(cfg.out().resolve("video_psnr.png"), "PSNR (Y) per frame, " + cfg.video().getFileName() + " x" + SCALE,
                "frame", "PSNR (dB)", lines, Map.of());
        return new Result(cfg.video().getFileName() + ", first " + frames.size() + " frames as HR, x" + SCALE
                + " MATLAB-bicubic LR", frames.get(0).width(), frames.get(0).height(), series);
    }

    /** The clip's first {@code max} video frames, cropped to a multiple of the scale. */
    private static List<RgbImage> frames(Path clip, int max) {
        List<RgbImage> frames = new ArrayList<>();
        try (VideoSource src = VideoSource.open(clip)) {
            for (MediaItem it = src.next(); it != null && frames.size() < max; it = src.next()) {
                if (it instanceof MediaItem.Video v) {
                    frames.add(Protocol.cropHr(v.frame().image(), SCALE, SCALE));
                }
            }
        }
        return frames;
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
}
