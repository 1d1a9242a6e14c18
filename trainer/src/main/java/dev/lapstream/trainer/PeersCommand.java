package dev.lapstream.trainer;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.model.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lapstream peers}: the OpenCV dnn_superres frozen graphs (ESPCN, FSRCNN, FSRCNN-small,
 * LapSRN) under the same protocol, with both degradations (MATLAB antialiased bicubic and
 * OpenCV's plain cubic, which they were trained on). Input: full-range Y in [0,1]; Cb/Cr are
 * upscaled bicubically and merged; PSNR on BT.601 Y of the merged RGB.
 */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "Evaluate the OpenCV dnn_superres peer models (ESPCN, FSRCNN, LapSRN) on benchmark folders.")
public final class PeersCommand implements Callable<Integer> {

    @Option(names = "--peers", defaultValue = "../shared/peers/opencv-dnn-superres") Path peers;

    @Option(names = "--data", required = true, split = ",") List<Path> data;

    @Option(names = "--out", defaultValue = "eval-out/peers.csv") Path out;

    @Override
    public Integer call() throws Exception {
        List<String> csv = new ArrayList<>();
        csv.add("dataset,peer,scale,degradation,psnr,ssim");
        System.out.printf(Locale.ROOT, "%-8s %-14s %5s  %-12s %8s %7s%n", "dataset", "peer", "scale", "degradation",
                "PSNR", "SSIM");
        try (var files = Files.list(peers)) {
            for (Path pb : files.filter(f -> f.toString().endsWith(".pb")).sorted().toList()) {
                String name = pb.getFileName().toString().replace(".pb", "");
                int scale = Integer.parseInt(name.substring(name.lastIndexOf('x') + 1));
                if (scale > 4) {
                    continue;
                }
                try (Graph g = new Graph()) {
                    g.importGraphDef(GraphDef.parseFrom(Files.readAllBytes(pb)));
                    try (Session s = new Session(g)) {
                        for (Path d : data) {
                            for (String deg : new String[] {"matlab", "opencv"}) {
                                double[] r = evaluate(s, d, scale, deg.equals("matlab"));
                                System.out.printf(Locale.ROOT, "%-8s %-14s %5s  %-12s %8.3f %7.4f%n",
                                        d.getFileName(), name.substring(0, name.lastIndexOf('_')), "x" + scale, deg,
                                        r[0], r[1]);
                                csv.add(String.format(Locale.ROOT, "%s,%s,%d,%s,%.4f,%.5f", d.getFileName(),
                                        name.substring(0, name.lastIndexOf('_')), scale, deg, r[0], r[1]));
                            }
                        }
                    }
                }
            }
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, csv);
        System.out.println("wrote " + out);
        return 0;
    }

    static double[] evaluate(Session s, Path dir, int scale, boolean matlab) {
        double ps = 0;
        double ss = 0;
        List<Path> files = Images.list(dir);
        for (Path f : files) {
            RgbImage hr = Protocol.cropHr(Images.load(f), scale, scale);
            int lw = hr.width() / scale;
            int lh = hr.height() / scale;
            RgbImage lr = matlab ? Resize.resize(hr, lw, lh) : Resize.opencvCubic(hr, lw, lh);
            RgbImage sr = run(s, lr, hr.width(), hr.height());
            boolean grey = Images.isGreyFile(f);
            ps += Quality.psnrY(sr, hr, scale, grey);
            ss += Quality.ssimY(sr, hr, scale, grey);
        }
        return new double[] {ps / files.size(), ss / files.size()};
    }

    /** Y through the network, Cb/Cr by bicubic, merged (OpenCV full-range YCrCb). */
    static RgbImage run(Session s, RgbImage lr, int ow, int oh) {
        int n = lr.width() * lr.height();
        float[] y = new float[n];
        float[] cc = new float[n * 2];
        byte[] p = lr.pixels();
        for (int i = 0; i < n; i++) {
            float r = p[i * 3] & 0xff;
            float g = p[i * 3 + 1] & 0xff;
            float b = p[i * 3 + 2] & 0xff;
            float yy = 0.299f * r + 0.587f * g + 0.114f * b;
            y[i] = yy / 255f;
            cc[i * 2] = (r - yy) * 0.713f + 128f;
            cc[i * 2 + 1] = (b - yy) * 0.564f + 128f;
        }
        float[] ys;
        try (TFloat32 t = Tensors.of(y, 1, lr.height(), lr.width(), 1);
             Result r = s.runner().feed("IteratorGetNext", t).fetch("NCHW_output").run()) {
            ys = Tensors.toArray(r.get(0));
        }
        if (ys.length != ow * oh) {
            throw new IllegalStateException("peer output " + ys.length + " != " + ow + "x" + oh);
        }
        float[] cu = Resize.resizeInterleaved(cc, lr.width(), lr.height(), 2, ow, oh, true);
        float[] rgb = new float[ow * oh * 3];
        for (int i = 0; i < ow * oh; i++) {
            float yy = ys[i] * 255f;
            float cr = cu[i * 2] - 128f;
            float cb = cu[i * 2 + 1] - 128f;
            rgb[i * 3] = yy + 1.403f * cr;
            rgb[i * 3 + 1] = yy - 0.714f * cr - 0.344f * cb;
            rgb[i * 3 + 2] = yy + 1.773f * cb;
        }
        return Images.fromFloat(rgb, ow, oh, 1f);
    }
}
