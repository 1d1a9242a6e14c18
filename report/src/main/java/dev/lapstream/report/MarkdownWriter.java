package dev.lapstream.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Renders a {@link Report} as report.md and draws the quality-versus-scale plots. */
final class MarkdownWriter {

    private MarkdownWriter() {
    }

    static void write(Report r, Path out, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        header(md, r);
        checks(md, r);
        integerTable(md, r);
        sweep(md, r, out);
        speed(md, r);
        asymmetric(md, r);
        crops(md, r);
        video(md, r);
        if (!r.notes().isEmpty()) {
            md.append("## Notes\n\n");
            for (String n : r.notes()) {
                md.append("- ").append(n).append('\n');
            }
            md.append('\n');
        }
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    private static String f2(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "—";
    }

    private static String f4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "—";
    }

    private static String cell(Score s) {
        return s == null ? "—" : f2(s.psnr()) + " / " + f4(s.ssim());
    }

    private static void header(StringBuilder md, Report r) {
        md.append("# lapstream benchmark report\n\n");
        md.append("Regenerate everything in this folder with one command from the repository root "
                + "(this run took ").append(Math.max(1, Math.round(r.seconds() / 60.0))).append(" min on this machine")
                .append(r.models().isEmpty() ? "; with `--model` the network's inference on every image, scale and "
                        + "width dominates: expect about an hour per model and full sweep, or pass `--model-scales` "
                        + "to thin it" : "")
                .append("):\n\n");
        md.append("```\n./lapstream report --data ../shared/data/bench --peers ../shared/peers/opencv-dnn-superres "
                + "[--model models/<dir> ...] --out docs\n```\n\n");
        md.append("`--quick` runs a reduced version (Set5, 4 scales, ESPCN only) in under a minute. ");
        md.append("This run: `").append(r.command()).append("`, ").append(r.generated()).append(", ")
                .append(r.seconds()).append(" s; ").append(r.machine()).append(".\n\n");
        if (r.models().isEmpty()) {
            md.append("**No lapstream model given (--model): lapstream rows are absent from this report.**\n\n");
        }
        for (MethodSet.ModelInfo m : r.models()) {
            md.append("lapstream model `").append(m.label()).append("` (`").append(m.dir()).append("`, rows `")
                    .append(m.label()).append("-w<width>`): ").append(m.config());
            if (m.training() != null) {
                md.append(", training card: step ").append(m.training().step()).append(", ")
                        .append(m.training().trainingSeconds()).append(" s of training");
            }
            md.append("\n\n");
        }
        md.append("Protocol (the project's one implementation, `dev.lapstream.core.quality.Protocol` / `Quality`): "
                + "PSNR and SSIM on BT.601 Y (16-235), HR cropped to a multiple of the scale, ceil(scale) pixels "
                + "shaved, LR made by MATLAB-style antialiased bicubic. The OpenCV peers were trained on plain cubic "
                + "LR (OpenCV `INTER_CUBIC`, a = -0.75, no antialiasing), so they are also run on that degradation "
                + "and their better number is the one compared. Raw numbers (per image too): [report.json](report.json).\n\n");
    }

    private static void checks(StringBuilder md, Report r) {
        md.append("## Pipeline check\n\n");
        md.append("Bicubic must reproduce the published rows within 0.05 dB; the peers (best of the two "
                + "degradations) should land near the values measured in DESIGN.md (given to 0.1 dB; tolerance 0.15).\n\n");
        md.append("| set | method | scale | PSNR (dB) | reference | source | diff | ok |\n|---|---|---|---|---|---|---|---|\n");
        for (ReferenceChecks.Check c : r.checks()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | x%d | %.2f | %.2f | %s | %+.2f | %s |%n", c.set(),
                    c.method(), c.scale(), c.psnr(), c.reference(), c.referenceSource(), c.diff(),
                    c.pass() ? "yes" : "**no**" + (c.note() == null ? "" : ": " + c.note())));
        }
        md.append('\n');
    }

    private static void integerTable(StringBuilder md, Report r) {
        md.append("## Integer scales: peers and baselines under both degradations\n\n");
        md.append("PSNR (dB) / SSIM on Y. Per scale, *MATLAB* = antialiased bicubic LR (the protocol), "
                + "*cubic* = plain OpenCV cubic LR; the better PSNR of each peer is in bold. "
                + "lapstream rows (one per model and width) use the MATLAB degradation only (what they are trained on).\n\n");
        for (String set : r.sets()) {
            List<IntegerScales.Row> here = r.integerScales().stream().filter(x -> x.set().equals(set)).toList();
            List<Integer> sc = new ArrayList<>(new TreeSet<>(here.stream().map(IntegerScales.Row::scale).toList()));
            md.append("### ").append(set).append("\n\n| method |");
            for (int s : sc) {
                md.append(" x").append(s).append(" MATLAB | x").append(s).append(" cubic |");
            }
            md.append("\n|---|").append("---|---|".repeat(sc.size())).append('\n');
            Map<String, List<IntegerScales.Row>> rows = new LinkedHashMap<>();
            for (IntegerScales.Row x : here) {
                rows.computeIfAbsent(x.method(), k -> new ArrayList<>()).add(x);
            }
            for (var e : rows.entrySet()) {
                md.append("| ").append(e.getKey()).append(" |");
                for (int s : sc) {
                    IntegerScales.Row x = e.getValue().stream().filter(v -> v.scale() == s).findFirst().orElse(null);
                    if (x == null) {
                        md.append(" | |");
                        continue;
                    }
                    boolean peer = x.kind() == Method.Kind.PEER;
                    for (Score v : new Score[] {x.matlab(), x.cubic()}) {
                        boolean bold = peer && v.psnr() == x.bestPsnr();
                        md.append(' ').append(bold ? "**" : "").append(f2(v.psnr())).append(bold ? "**" : "")
                                .append(" / ").append(f4(v.ssim())).append(" |");
                    }
                }
                md.append('\n');
            }
            for (SymmetricSweep.Curve c : r.sweep().of(set).curves()) {
                if (c.kind() != Method.Kind.LAPSTREAM) {
                    continue;
                }
                md.append("| ").append(c.method()).append(" |");
                for (int s : sc) {
                    md.append(' ').append(cell(c.at(s))).append(" | — |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    private static void sweep(StringBuilder md, Report r, Path out) {
        SymmetricSweep.Result sw = r.sweep();
        md.append("## Quality versus scale\n\n");
        List<String> ks = sw.scales().stream().map(SymmetricSweep::key).toList();
        md.append("Symmetric scales ").append(ks.size() > 8 ? ks.get(0) + ", " + ks.get(1) + " ... " + ks.get(ks.size() - 1)
                : String.join(", ", ks)).append(" (the plots stop at 4; larger scales are in the tables), "
                + "MATLAB degradation. Peers are drawn as points at their scales with their better number.");
        if (sw.modelScales() != null) {
            md.append(" lapstream ran at ").append(String.join(", ", sw.modelScales().stream().map(SymmetricSweep::key)
                    .toList())).append(" only (`--model-scales`), to bound the run time; its other cells are empty.");
        }
        md.append("\n\n");
        for (String set : r.sets()) {
            List<SymmetricSweep.Curve> curves = sw.of(set).curves();
            for (String metric : List.of("psnr", "ssim")) {
                boolean psnr = metric.equals("psnr");
                Map<String, double[][]> lines = new LinkedHashMap<>();
                for (SymmetricSweep.Curve c : curves) {
                    lines.put(c.method(), c.points().stream().filter(p -> p.scale() <= 4.0 + 1e-9)
                            .map(p -> new double[] {p.scale(), psnr ? p.score().psnr() : p.score().ssim()})
                            .toArray(double[][]::new));
                }
                Map<String, List<double[]>> byPeer = new LinkedHashMap<>();
                r.integerScales().stream().filter(x -> x.set().equals(set) && x.kind() == Method.Kind.PEER
                        && x.scale() <= 4).forEach(x -> byPeer.computeIfAbsent(x.method() + " (best)",
                        k -> new ArrayList<>()).add(new double[] {x.scale(), psnr ? x.best().psnr() : x.best().ssim()}));
                Map<String, double[][]> points = new LinkedHashMap<>();
                byPeer.forEach((k, v) -> points.put(k, v.toArray(double[][]::new)));
                String png = metric + "_" + set + ".png";
                Charts.xy(out.resolve(png), set + ": " + metric.toUpperCase(Locale.ROOT) + " on Y versus scale",
                        "scale", psnr ? "PSNR (dB)" : "SSIM", lines, points);
                md.append("![").append(set).append(' ').append(metric).append("](").append(png).append(") ");
            }
            md.append("\n\n<details><summary>").append(set).append(": table (PSNR dB / SSIM)</summary>\n\n| scale |");
            for (SymmetricSweep.Curve c : curves) {
                md.append(' ').append(c.method()).append(" |");
            }
            md.append("\n|---|").append("---|".repeat(curves.size())).append('\n');
            for (double s : sw.scales()) {
                md.append("| ").append(SymmetricSweep.key(s)).append(" |");
                for (SymmetricSweep.Curve c : curves) {
                    md.append(' ').append(cell(c.at(s))).append(" |");
                }
                md.append('\n');
            }
            md.append("\n</details>\n\n");
        }
    }

    private static void speed(StringBuilder md, Report r) {
        md.append("## Speed (x2, x4)\n\n");
        md.append("Median wall time per frame after warm-up, measured in this run on the same CPU (TensorFlow "
                + "with its default threads; other jobs on the machine show in the load average above). "
                + "Every method that serves the scale is timed (the peers at their own factors). "
                + "A peer's time includes its Y extraction, the bicubic Cb/Cr and the merge, as a user would run it. "
                + "Multiply-adds per output pixel are counted from each graph's convolutions (peers) or from the "
                + "architecture (lapstream: every pass the engine runs at that scale, so x4 pays for its two "
                + "recursive passes, and the low-resolution family's cost falls with the scale). lapstream models run "
                + "as the worker runs them, in tiles of " + LapstreamModel.TILE + " input pixels with "
                + LapstreamModel.TILE_MARGIN + " of context (a whole 640x480 frame at x4 through the pre-upsampling "
                + "family would need more than 24 GB).\n\n");
        md.append("| method | scale | input | output | ms / frame | output MP/s | multiply-adds / output px | runs |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (SpeedBench.Speed s : r.speed()) {
            md.append(String.format(Locale.ROOT, "| %s | x%d | %dx%d | %dx%d | %.1f | %.2f | %s | %d |%n", s.method(),
                    s.scale(), s.inW(), s.inH(), s.outW(), s.outH(), s.msPerFrame(), s.outputMpPerSecond(),
                    s.macsPerOutputPixel() == null ? "—" : String.format(Locale.ROOT, "%,.0f", s.macsPerOutputPixel()),
                    s.runs()));
        }
        md.append("\n![speed](speed.png)\n\n");
        if (!r.speedRatios().isEmpty()) {
            md.append("Each model's full width against the first model's (`").append(r.models().get(0).label())
                    .append("`), and its narrowest subnet against its full width (PSNR on ").append(r.sets().get(0))
                    .append("), output MP/s from the widest input timed:\n\n")
                    .append("| model | scale | input | full width | output MP/s | × first model's | narrowest | "
                            + "its × full width's MP/s | its dB below full width |\n|---|---|---|---|---|---|---|---|---|\n");
            for (SpeedRatios.Ratio x : r.speedRatios()) {
                md.append(String.format(Locale.ROOT, "| %s | x%d | %dx%d | %s | %.2f | %.2f | %s | %.2f | %s |%n",
                        x.model(), x.scale(), x.inW(), x.inH(), x.method(), x.outputMpPerSecond(), x.versusFirst(),
                        x.narrowest(), x.narrowestSpeedup(), f2(x.narrowestPsnrLoss())));
            }
            md.append('\n');
        }
        for (Tradeoff.Result t : r.tradeoff()) {
            md.append("PSNR on ").append(t.set()).append(" at x").append(t.scale()).append(" versus output MP/s from ")
                    .append(t.inW()).append('x').append(t.inH()).append(" (every method and width; peers with their "
                    + "better degradation):\n\n![PSNR versus speed x").append(t.scale()).append("](").append(t.png())
                    .append(")\n\n");
        }
    }

    private static void asymmetric(StringBuilder md, Report r) {
        AsymmetricGrid.Result a = r.asymmetric();
        md.append("## Asymmetric scales (").append(a.set()).append(")\n\n");
        List<String> models = a.methods().subList(1, a.methods().size());
        md.append(models.isEmpty() ? "Cells: bicubic PSNR (dB) on Y. "
                : "Cells: bicubic PSNR (dB) and, after the arrow, the model's full width (gain in brackets); one "
                + "grid per model. ");
        md.append("Rows: vertical factor; columns: horizontal factor; MATLAB degradation per axis, "
                + "ceil(larger factor) px shaved.\n\n");
        if (models.isEmpty()) {
            grid(md, a, null);
        }
        for (String lap : models) {
            if (models.size() > 1) {
                md.append("### ").append(lap).append("\n\n");
            }
            grid(md, a, lap);
        }
    }

    /** Bicubic's PSNR per factor pair, and {@code lap}'s with its gain unless it is null. */
    private static void grid(StringBuilder md, AsymmetricGrid.Result a, String lap) {
        String bicubic = a.methods().get(0);
        md.append("| v \\ h |");
        for (double sw : a.factors()) {
            md.append(" x").append(SymmetricSweep.key(sw)).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(a.factors().size())).append('\n');
        for (double sh : a.factors()) {
            md.append("| x").append(SymmetricSweep.key(sh)).append(" |");
            for (double sw : a.factors()) {
                double b = a.score(bicubic, sh, sw).psnr();
                md.append(' ').append(f2(b));
                if (lap != null) {
                    double l = a.score(lap, sh, sw).psnr();
                    md.append(" → ").append(f2(l)).append(String.format(Locale.ROOT, " (%+.2f)", l - b));
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static void crops(StringBuilder md, Report r) {
        md.append("## Side by side (x4, same MATLAB-bicubic LR for every method)\n\n");
        md.append("96x96 HR window where bicubic errs most, magnified 2x with nearest neighbour; "
                + "the PSNR in each label is of that window only.\n\n");
        for (String c : r.crops()) {
            md.append("![").append(c).append("](").append(c).append(")\n\n");
        }
    }

    private static void video(StringBuilder md, Report r) {
        VideoFlicker.Result v = r.video();
        if (v == null) {
            return;
        }
        md.append("## Video: PSNR per frame and temporal flicker\n\n");
        md.append(v.source()).append(" (").append(v.width()).append('x').append(v.height())
                .append("). Flicker = mean |e(t) - e(t-1)| of successive frames' Y errors (lower is steadier).\n\n");
        md.append("| method | mean PSNR (dB) | min | max | flicker (Y levels) |\n|---|---|---|---|---|\n");
        for (VideoFlicker.Series s : v.series()) {
            double min = Arrays.stream(s.psnr()).min().orElse(Double.NaN);
            double max = Arrays.stream(s.psnr()).max().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.3f |%n", s.method(), s.meanPsnr(), min,
                    max, s.meanFlicker()));
        }
        md.append("\n![video](video_psnr.png)\n\n");
    }
}
