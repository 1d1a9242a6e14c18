package dev.lapstream.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What one report run measures.
 *
 * @param data        folder holding the benchmark sets (e.g. {@code Set5/}, {@code Set14/})
 * @param sets        which sets, in order
 * @param peers       folder of the OpenCV dnn_superres {@code *.pb}, or null
 * @param models      lapstream SavedModel folders, in order (none: lapstream rows absent); the first is the
 *                    one the others' speed is compared with
 * @param video       HR clip for the video section, or null
 * @param out         output folder (report.md, report.json, PNGs)
 * @param quick       fewer scales, fewer peers, short timings (tests)
 * @param maxImages   cap on images per set (0 = all)
 * @param videoFrames frames of the clip (0 = no video section)
 * @param scales      symmetric scales of the sweep, or null for the default (1.1 ... 4.0 step 0.1, 8)
 * @param modelScales sweep scales at which the lapstream models run, or null for all of them
 * @param command     the command line to print at the top of the report
 */
record ReportConfig(Path data, List<String> sets, Path peers, List<Path> models, Path video, Path out, boolean quick,
                    int maxImages, int videoFrames, List<Double> scales, List<Double> modelScales, String command) {
}
