package dev.lapstream.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Renders {@link Results} as report.md and draws the quality-versus-scale plots. */
final class MarkdownWriter {

    private MarkdownWriter() {
    }

    static void write(Results r, ReportConfig cfg, Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# lapstream benchmark report\n\n");
        md.append("Regenerate everything in this folder with one command from the repository root "
                + "(this run took ").append(Math.max(1, Math.round(r.seconds / 60))).append(" min on this machine")
                .append(r.model == null ? "; with `--model` the network's inference on every image, scale and width "
                        + "dominates: expect about an hour per full sweep, or pass `--scales` to thin it" : "")
                .append("):\n\n");
        md.append("```\n./lapstream report --data ../shared/data/bench --peers ../shared/peers/opencv-dnn-superres "
                + "[--model models/<dir>] --out docs\n```\n\n");
        md.append("`--quick` runs a reduced version (Set5, 4 scales, ESPCN only) in under a minute. ");
        md.append("This run: `").append(r.command).append("`, ").append(r.generated).append(", ")
                .append(Math.round(r.seconds)).append(" s; ").append(r.machine).append(".\n\n");
        md.append(r.model == null ? "**" + r.modelNote + "**" : "lapstream model: `" + r.model.get("dir") + "` "
                + r.model.get("config") + (r.model.get("training") == null ? ""
                        : ", training card " + r.model.get("training"))).append("\n\n");
        md.append("Protocol (the project's one implementation, `dev.lapstream.core.quality.Protocol` / `Quality`): "
                + "PSNR and SSIM on BT.601 Y (16-235), HR cropped to a multiple of the scale, ceil(scale) pixels "
                + "shaved, LR made by MATLAB-style antialiased bicubic. The OpenCV peers were trained on plain cubic "
                + "LR (OpenCV `INTER_CUBIC`, a = -0.75, no antialiasing), so they are also run on that degradation "
                + "and their better number is the one compared. Raw numbers (per image too): [report.json](report.json).\n\n");

        checks(md, r);
        integerTable(md, r);
        sweep(md, r, cfg.out());
        speed(md, r);
        asymmetric(md, r);
        crops(md, r);
        video(md, r);
        if (!r.notes.isEmpty()) {
            md.append("## Notes\n\n");
            for (String n : r.notes) {
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

    private static void checks(StringBuilder md, Results r) {
        md.append("## Pipeline check\n\n");
        md.append("Bicubic must reproduce the published rows within 0.05 dB; the peers (best of the two "
                + "degradations) should land near the values measured in DESIGN.md (given to 0.1 dB; tolerance 0.15).\n\n");
        md.append("| set | method | scale | PSNR (dB) | reference | source | diff | ok |\n|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> c : r.checks) {
            Object note = c.get("note");
            md.append(String.format(Locale.ROOT, "| %s | %s | x%s | %.2f | %.2f | %s | %+.2f | %s |%n", c.get("set"),
                    c.get("method"), c.get("scale"), (Double) c.get("psnr"), (Double) c.get("reference"),
                    c.get("referenceSource"), (Double) c.get("diff"),
                    Boolean.TRUE.equals(c.get("pass")) ? "yes" : "**no**" + (note == null ? "" : ": " + note)));
        }
        md.append('\n');
    }

    private static void integerTable(StringBuilder md, Results r) {
        md.append("## Integer scales: peers and baselines under both degradations\n\n");
        md.append("PSNR (dB) / SSIM on Y. Per scale, *MATLAB* = antialiased bicubic LR (the protocol), "
                + "*cubic* = plain OpenCV cubic LR; the better PSNR of each peer is in bold. "
                + "lapstream rows use the MATLAB degradation only (what it is trained on).\n\n");
        for (String set : r.sets) {
            Map<String, Map<String, Map<String, Results.Score>>> bySet = r.integer.getOrDefault(set, Map.of());
            Set<String> scales = new LinkedHashSet<>();
            bySet.values().forEach(m -> scales.addAll(m.keySet()));
            List<String> sc = new ArrayList<>(scales);
            sc.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
            md.append("### ").append(set).append("\n\n| method |");
            for (String s : sc) {
                md.append(' ').append(s).append(" MATLAB | ").append(s).append(" cubic |");
            }
            md.append("\n|---|");
            md.append("---|---|".repeat(sc.size()));
            md.append('\n');
            Map<String, Map<String, Map<String, Results.Score>>> rows = new LinkedHashMap<>(bySet);
            // lapstream from the sweep (MATLAB degradation)
            Map<String, Map<String, Results.Score>> sweep = r.sweep.getOrDefault(set, Map.of());
            for (var e : sweep.entrySet()) {
                if (!e.getKey().startsWith("lapstream")) {
                    continue;
                }
                Map<String, Map<String, Results.Score>> byScale = new LinkedHashMap<>();
                for (String s : sc) {
                    Results.Score v = e.getValue().get(Results.key(Integer.parseInt(s.substring(1))));
                    if (v != null) {
                        byScale.put(s, Map.of("matlab", v));
                    }
                }
                rows.put(e.getKey(), byScale);
            }
            for (var e : rows.entrySet()) {
                boolean peer = !e.getKey().equals("bicubic") && !e.getKey().equals("lanczos3")
                        && !e.getKey().startsWith("lapstream");
                md.append("| ").append(e.getKey()).append(" |");
                for (String s : sc) {
                    Map<String, Results.Score> byDeg = e.getValue().get(s);
                    if (byDeg == null) {
                        md.append(" | |");
                        continue;
                    }
                    double best = ReportRunner.best(byDeg);
                    for (String d : List.of("matlab", "cubic")) {
                        Results.Score v = byDeg.get(d);
                        if (v == null) {
                            md.append(" — |");
                        } else {
                            boolean bold = peer && v.psnr() == best;
                            md.append(' ').append(bold ? "**" : "").append(f2(v.psnr())).append(bold ? "**" : "")
                                    .append(" / ").append(f4(v.ssim())).append(" |");
                        }
                    }
                }
                md.append('\n');
            }
            md.append('\n');
        }
    }

    private static void sweep(StringBuilder md, Results r, Path out) {
        md.append("## Quality versus scale\n\n");
        List<String> ks = r.scales.stream().map(Results::key).toList();
        md.append("Symmetric scales ").append(ks.size() > 8 ? ks.get(0) + ", " + ks.get(1) + " ... " + ks.get(ks.size() - 1)
                : String.join(", ", ks)).append(" (the plots stop at 4; larger scales are in the tables), "
                + "MATLAB degradation. Peers are drawn as points at their scales with their better number.");
        if (r.modelScales != null) {
            md.append(" lapstream ran at ").append(String.join(", ", r.modelScales.stream().map(Results::key).toList()))
                    .append(" only (`--model-scales`), to bound the run time; its other cells are empty.");
        }
        md.append("\n\n");
        for (String set : r.sets) {
            Map<String, Map<String, Results.Score>> byMethod = r.sweep.get(set);
            for (String metric : List.of("psnr", "ssim")) {
                Map<String, double[][]> lines = new LinkedHashMap<>();
                for (var e : byMethod.entrySet()) {
                    List<double[]> pts = new ArrayList<>();
                    e.getValue().forEach((k, v) -> {
                        double s = Double.parseDouble(k);
                        if (s <= 4.0 + 1e-9) {
                            pts.add(new double[] {s, metric.equals("psnr") ? v.psnr() : v.ssim()});
                        }
                    });
                    lines.put(e.getKey(), pts.toArray(new double[0][]));
                }
                Map<String, double[][]> points = new LinkedHashMap<>();
                for (var e : r.integer.getOrDefault(set, Map.of()).entrySet()) {
                    if (e.getKey().equals("bicubic") || e.getKey().equals("lanczos3")) {
                        continue;
                    }
                    List<double[]> pts = new ArrayList<>();
                    e.getValue().forEach((k, byDeg) -> {
                        int s = Integer.parseInt(k.substring(1));
                        if (s <= 4) {
                            Results.Score best = byDeg.values().stream()
                                    .max((a, b) -> Double.compare(a.psnr(), b.psnr())).orElseThrow();
                            pts.add(new double[] {s, metric.equals("psnr") ? best.psnr() : best.ssim()});
                        }
                    });
                    points.put(e.getKey() + " (best)", pts.toArray(new double[0][]));
                }
                String png = metric + "_" + set + ".png";
                Charts.xy(out.resolve(png), set + ": " + metric.toUpperCase(Locale.ROOT) + " on Y versus scale",
                        "scale", metric.equals("psnr") ? "PSNR (dB)" : "SSIM", lines, points);
                md.append("![").append(set).append(' ').append(metric).append("](").append(png).append(") ");
            }
            md.append("\n\n<details><summary>").append(set).append(": table (PSNR dB / SSIM)</summary>\n\n| scale |");
            List<String> methods = new ArrayList<>(byMethod.keySet());
            for (String m : methods) {
                md.append(' ').append(m).append(" |");
            }
            md.append("\n|---|").append("---|".repeat(methods.size())).append('\n');
            for (double s : r.scales) {
                md.append("| ").append(Results.key(s)).append(" |");
                for (String m : methods) {
                    Results.Score v = byMethod.get(m).get(Results.key(s));
                    md.append(' ').append(v == null ? "—" : f2(v.psnr()) + " / " + f4(v.ssim())).append(" |");
                }
                md.append('\n');
            }
            md.append("\n</details>\n\n");
        }
    }

    private static void speed(StringBuilder md, Results r) {
        md.append("## Speed (x2)\n\n");
        md.append("Median wall time per frame after warm-up, measured in this run on the same CPU (TensorFlow "
                + "with its default threads; other jobs on the machine show in the load average above). "
                + "A peer's time includes its Y extraction, the bicubic Cb/Cr and the merge, as a user would run it. "
                + "Multiply-adds per output pixel are counted from each graph's convolutions (peers) or from the "
                + "architecture (lapstream, one network pass; scales above 2 run more passes).\n\n");
        md.append("| method | input | output | ms / frame | output MP/s | multiply-adds / output px | runs |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Results.Speed s : r.speed) {
            md.append(String.format(Locale.ROOT, "| %s | %dx%d | %dx%d | %.1f | %.2f | %s | %d |%n", s.method(),
                    s.inW(), s.inH(), s.outW(), s.outH(), s.msPerFrame(), s.outputMpPerSecond(),
                    s.macsPerOutputPixel() == null ? "—" : String.format(Locale.ROOT, "%,.0f", s.macsPerOutputPixel()),
                    s.runs()));
        }
        md.append("\n![speed](speed.png)\n\n");
    }

    private static void asymmetric(StringBuilder md, Results r) {
        md.append("## Asymmetric scales (").append(r.asymmetricSet).append(")\n\n");
        boolean lap = r.asymmetric.size() > 1;
        String lapName = lap ? new ArrayList<>(r.asymmetric.keySet()).get(1) : null;
        md.append(lap ? "Cells: bicubic PSNR (dB) and, after the arrow, " + lapName + " (gain in brackets). "
                : "Cells: bicubic PSNR (dB) on Y. ");
        md.append("Rows: vertical factor; columns: horizontal factor; MATLAB degradation per axis, "
                + "ceil(larger factor) px shaved.\n\n| v \\ h |");
        for (double sw : r.asymmetricFactors) {
            md.append(" x").append(Results.key(sw)).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(r.asymmetricFactors.size())).append('\n');
        Map<String, Results.Score> bic = r.asymmetric.get("bicubic");
        for (double sh : r.asymmetricFactors) {
            md.append("| x").append(Results.key(sh)).append(" |");
            for (double sw : r.asymmetricFactors) {
                String k = Results.pairKey(sh, sw);
                double b = bic.get(k).psnr();
                md.append(' ').append(f2(b));
                if (lap) {
                    double l = r.asymmetric.get(lapName).get(k).psnr();
                    md.append(" → ").append(f2(l)).append(String.format(Locale.ROOT, " (%+.2f)", l - b));
                }
                md.append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static void crops(StringBuilder md, Results r) {
        md.append("## Side by side (x4, same MATLAB-bicubic LR for every method)\n\n");
        md.append("96x96 HR window where bicubic errs most, magnified 2x with nearest neighbour; "
                + "the PSNR in each label is of that window only.\n\n");
        for (String c : r.crops) {
            md.append("![").append(c).append("](").append(c).append(")\n\n");
        }
    }

    private static void video(StringBuilder md, Results r) {
        if (r.video.isEmpty()) {
            return;
        }
        md.append("## Video: PSNR per frame and temporal flicker\n\n");
        md.append(r.videoSource).append(" (").append(r.videoWidth).append('x').append(r.videoHeight)
                .append("). Flicker = mean |e(t) - e(t-1)| of successive frames' Y errors (lower is steadier).\n\n");
        md.append("| method | mean PSNR (dB) | min | max | flicker (Y levels) |\n|---|---|---|---|---|\n");
        for (Results.VideoSeries v : r.video) {
            double min = java.util.Arrays.stream(v.psnr()).min().orElse(Double.NaN);
            double max = java.util.Arrays.stream(v.psnr()).max().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.3f |%n", v.method(), v.meanPsnr(), min, max,
                    v.meanFlicker()));
        }
        md.append("\n![video](video_psnr.png)\n\n");
    }
}
