package dev.lapstream.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs every part of the report in order and writes report.md, report.json and the PNGs. */
final class ReportRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReportRunner.class);

    private ReportRunner() {
    }

    static Report run(ReportConfig cfg) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(cfg.out());
        String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String machine = machine();
        List<String> notes = new ArrayList<>();
        Report r;
        try (MethodSet methods = new MethodSet(cfg, notes)) {
            List<BenchSet> benches = BenchSet.load(cfg);
            SymmetricSweep.Result sweep = SymmetricSweep.run(cfg, benches, methods);
            List<IntegerScales.Row> integer = IntegerScales.run(benches, methods, sweep);
            List<SpeedBench.Speed> speed = SpeedBench.run(cfg, benches.get(0).images().get(0).hr(), methods);
            SpeedChart.draw(cfg.out().resolve("speed.png"), speed);
            List<Tradeoff.Result> tradeoff = Tradeoff.build(cfg.out(), methods, speed, sweep, integer);
            AsymmetricGrid.Result asymmetric = AsymmetricGrid.run(cfg, benches.get(0), methods);
            List<String> crops = Crops.run(cfg.quick(), benches, methods, cfg.out());
            VideoFlicker.Result video = VideoFlicker.run(cfg, methods, notes);
            List<ReferenceChecks.Check> checks = ReferenceChecks.run(cfg.maxImages(), sweep, integer, notes);
            r = new Report(generated, cfg.command(), Math.round((System.nanoTime() - t0) / 1e9), machine,
                    Report.PROTOCOL, methods.modelInfo(), methods.peerInfo(),
                    benches.stream().map(BenchSet::name).toList(), sweep, integer, speed,
                    SpeedRatios.of(methods, speed, sweep), tradeoff, asymmetric, crops, video, checks, notes);
        }
        ReportJson.write(r, cfg.out().resolve("report.json"));
        Path md = cfg.out().resolve("report.md");
        MarkdownWriter.write(r, cfg.out(), md);
        LOG.info("report written to {} in {} s", md, r.seconds());
        return r;
    }

    private static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "%d cores, %s %s, Java %s, load average %.2f at start",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), os.getSystemLoadAverage());
    }
}
