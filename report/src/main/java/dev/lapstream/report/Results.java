package dev.lapstream.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every number a report run measured; serialised as report.json and rendered as report.md. */
final class Results {

    /** Mean PSNR/SSIM over a set plus the per-image values ([psnr, ssim] by image name). */
    record Score(double psnr, double ssim, Map<String, double[]> perImage) {
    }

    record Speed(String method, int inW, int inH, int outW, int outH, int runs, double msPerFrame,
                 double outputMpPerSecond, Double macsPerOutputPixel) {
    }

    record VideoSeries(String method, double[] psnr, double[] flicker, double meanPsnr, double meanFlicker) {
    }

    String generated;
    String command;
    double seconds;
    String machine;
    String modelNote;
    Map<String, Object> model;
    List<String> sets = new ArrayList<>();
    List<Double> scales = new ArrayList<>();
    /** Sweep scales the lapstream model ran at, when restricted by --model-scales. */
    List<Double> modelScales;
    /** set -> method -> scale key ("2.0") -> score, MATLAB degradation, arbitrary-scale methods. */
    Map<String, Map<String, Map<String, Score>>> sweep = new LinkedHashMap<>();
    /** set -> method (peer or baseline) -> "x2" -> degradation key -> score. */
    Map<String, Map<String, Map<String, Map<String, Score>>>> integer = new LinkedHashMap<>();
    List<Speed> speed = new ArrayList<>();
    Map<String, Double> peerMacs = new LinkedHashMap<>();
    /** set name used for the grid; method -> "sh x sw" -> score. */
    String asymmetricSet;
    List<Double> asymmetricFactors = new ArrayList<>();
    Map<String, Map<String, Score>> asymmetric = new LinkedHashMap<>();
    List<String> crops = new ArrayList<>();
    String videoSource;
    int videoWidth;
    int videoHeight;
    List<VideoSeries> video = new ArrayList<>();
    List<Map<String, Object>> checks = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    /** "2.0", "2.5", "1.25": one decimal unless the scale needs two. */
    static String key(double s) {
        boolean tenths = Math.abs(s * 10 - Math.rint(s * 10)) < 1e-6;
        return String.format(java.util.Locale.ROOT, tenths ? "%.1f" : "%.2f", s);
    }

    static String pairKey(double sh, double sw) {
        return key(sh) + "x" + key(sw);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generated", generated);
        m.put("command", command);
        m.put("seconds", Math.round(seconds));
        m.put("machine", machine);
        m.put("model", model == null ? modelNote : model);
        m.put("protocol", "PSNR/SSIM on BT.601 Y (16-235), HR cropped to a multiple of the scale, "
                + "ceil(scale) px shaved, LR by MATLAB-style antialiased bicubic unless marked 'cubic' "
                + "(OpenCV INTER_CUBIC, no antialiasing)");
        m.put("sets", sets);
        m.put("scales", scales);
        if (modelScales != null) {
            m.put("modelScales", modelScales);
        }
        m.put("sweep", sweep);
        m.put("integerScales", integer);
        m.put("peerMacsPerOutputPixel", peerMacs);
        m.put("speed", speed);
        Map<String, Object> asym = new LinkedHashMap<>();
        asym.put("set", asymmetricSet);
        asym.put("factors", asymmetricFactors);
        asym.put("scores", asymmetric);
        m.put("asymmetric", asym);
        m.put("crops", crops);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("source", videoSource);
        v.put("hr", videoWidth + "x" + videoHeight);
        v.put("series", video);
        m.put("video", v);
        m.put("checks", checks);
        m.put("notes", notes);
        return m;
    }
}
