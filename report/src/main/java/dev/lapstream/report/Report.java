package dev.lapstream.report;

import java.util.List;

/** Every number a report run measured: written as report.json by Jackson, rendered as report.md. */
record Report(String generated, String command, long seconds, String machine, String protocol,
              List<MethodSet.ModelInfo> models, List<MethodSet.PeerInfo> peers, List<String> sets,
              SymmetricSweep.Result sweep, List<IntegerScales.Row> integerScales, List<SpeedBench.Speed> speed,
              List<SpeedRatios.Ratio> speedRatios, List<Tradeoff.Result> tradeoff, AsymmetricGrid.Result asymmetric,
              List<String> crops, VideoFlicker.Result video, List<ReferenceChecks.Check> checks, List<String> notes) {

    static final String PROTOCOL = "PSNR/SSIM on BT.601 Y (16-235), HR cropped to a multiple of the scale, "
            + "ceil(scale) px shaved, LR by MATLAB-style antialiased bicubic unless marked 'cubic' "
            + "(OpenCV INTER_CUBIC, no antialiasing)";
}
