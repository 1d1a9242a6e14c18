package dev.lapstream.report;

import dev.lapstream.core.image.ColorSpace;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Side-by-side x4 crops: the window where bicubic errs most, every method's output of the same LR
 * (baselines, x4 peers, each model's full width) and the ground truth.
 */
final class Crops {

    private static final Logger LOG = LoggerFactory.getLogger(Crops.class);
    private static final int SCALE = 4;
    /** Images with fine, varied texture, in order of preference; else the first image. */
    private static final List<String> WANTED = List.of("butterfly", "zebra", "comic", "baby");

    private Crops() {
    }

    /** Writes the PNGs into {@code out} and returns their file names. */
    static List<String> run(boolean quick, List<BenchSet> benches, MethodSet methodSet, Path out) {
        List<BenchSet.Image> chosen = new ArrayList<>();
        for (String w : WANTED) {
            for (BenchSet b : benches) {
                b.images().stream().filter(i -> i.name().equals(w)).findFirst().ifPresent(chosen::add);
            }
        }
        if (chosen.isEmpty()) {
            chosen.add(benches.get(0).images().get(0));
        }
        List<Method> methods = new ArrayList<>(methodSet.baselines());
        methodSet.peers().stream().filter(m -> m.fixedScale() == SCALE).forEach(methods::add);
        methods.addAll(methodSet.fullWidths());
        List<String> files = new ArrayList<>();
        for (BenchSet.Image img : chosen.subList(0, Math.min(quick ? 1 : 3, chosen.size()))) {
            RgbImage hr = Protocol.cropHr(img.hr(), SCALE, SCALE);
            int size = Math.min(96, Math.min(hr.width(), hr.height()) - 2 * SCALE);
            RgbImage lr = Protocol.degrade(hr, SCALE, SCALE);
            List<RgbImage> outs = new ArrayList<>();
            for (Method m : methods) {
                outs.add(m.upscale(lr, hr.width(), hr.height()));
            }
            int[] at = worstWindow(outs.get(0), hr, size, SCALE);
            RgbImage truth = Images.crop(hr, at[0], at[1], size, size);
            List<RgbImage> panels = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < methods.size(); i++) {
                RgbImage c = Images.crop(outs.get(i), at[0], at[1], size, size);
                panels.add(c);
                labels.add(String.format(Locale.ROOT, "%s %.2f dB", methods.get(i).name(),
                        Quality.psnrY(c, truth, 0, img.grey())));
            }
            panels.add(truth);
            labels.add("ground truth");
            String file = "crop_" + img.name() + "_x" + SCALE + ".png";
            writeLabelled(panels, labels, 2, out.resolve(file));
            files.add(file);
            LOG.info("crops {} written ({} px window at {},{})", file, size, at[0], at[1]);
        }
        return files;
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
}
