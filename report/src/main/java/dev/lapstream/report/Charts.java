package dev.lapstream.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts for the report (JFreeChart, headless). */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Distinct colours (no pale yellow), reused in order for every chart. */
    private static final Color[] PALETTE = {
        new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0x7f7f7f), new Color(0xbcbd22)};

    private Charts() {
    }

    /**
     * Lines (x ascending) plus point-only series (e.g. fixed-scale peers), one colour each.
     * Each series is a list of {x, y} pairs.
     */
    static void xy(Path png, String title, String xLabel, String yLabel,
                   Map<String, double[][]> lines, Map<String, double[][]> points) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        int i = 0;
        for (var e : lines.entrySet()) {
            data.addSeries(series(e.getKey(), e.getValue()));
            r.setSeriesLinesVisible(i, true);
            r.setSeriesShapesVisible(i, e.getValue().length <= 12);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            i++;
        }
        for (var e : points.entrySet()) {
            data.addSeries(series(e.getKey(), e.getValue()));
            r.setSeriesLinesVisible(i, false);
            r.setSeriesShapesVisible(i, true);
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
            i++;
        }
        NumberAxis x = new NumberAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, r);
        style(plot);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        save(chart, png, 900, 560);
    }

    /**
     * One named series of {x, y} points; {@code labels} (or null) are drawn beside its points, {@code line}
     * joins them in order.
     */
    record Series(String name, double[][] points, List<String> labels, boolean line) {
    }

    /** Points on a log x axis (speeds spanning decades), one colour per series. */
    static void scatter(Path png, String title, String xLabel, String yLabel, List<Series> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            // keep the points in the given (width) order: a model's line then runs narrowest to widest
            XYSeries xs = new XYSeries(s.name(), false, true);
            for (double[] p : s.points()) {
                xs.add(p[0], p[1]);
            }
            data.addSeries(xs);
            r.setSeriesLinesVisible(i, s.line());
            r.setSeriesShapesVisible(i, true);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
            if (s.labels() != null) {
                r.setSeriesItemLabelsVisible(i, true);
            }
        }
        r.setDefaultItemLabelGenerator((dataset, si, item) -> {
            List<String> labels = series.get(si).labels();
            return labels == null ? null : labels.get(item);
        });
        r.setDefaultItemLabelFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        LogAxis x = new LogAxis(xLabel);
        x.setBase(10);
        x.setSmallestValue(1e-4);
        // one labelled tick per decade (fractional powers of ten read badly), marked lines at 2 and 5 between
        x.setTickUnit(new NumberTickUnit(1.0), false, true);
        x.setLowerMargin(0.08);
        x.setUpperMargin(0.08);
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, x, y, r);
        style(plot);
        double lo = series.stream().flatMap(v -> java.util.Arrays.stream(v.points())).mapToDouble(p -> p[0]).min()
                .orElse(1);
        double hi = series.stream().flatMap(v -> java.util.Arrays.stream(v.points())).mapToDouble(p -> p[0]).max()
                .orElse(1);
        for (int e = (int) Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
            for (int m : new int[] {2, 5}) {
                double v = m * Math.pow(10, e);
                if (v > lo / 1.3 && v < hi * 1.3) {
                    ValueMarker mark = new ValueMarker(v, Color.LIGHT_GRAY, new BasicStroke(0.5f));
                    mark.setLabel(x.getNumberFormatOverride().format(v));
                    mark.setLabelFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
                    mark.setLabelAnchor(RectangleAnchor.BOTTOM);
                    mark.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
                    mark.setLabelBackgroundColor(new Color(0, 0, 0, 0));
                    mark.setLabelPaint(Color.DARK_GRAY);
                    plot.addDomainMarker(mark);
                }
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        save(chart, png, 900, 560);
    }

    /** Horizontal bars, one category per key, optionally on a log axis. */
    static void bars(Path png, String title, String valueLabel, Map<String, Double> values, boolean log) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (var e : values.entrySet()) {
            data.addValue(e.getValue(), valueLabel, e.getKey());
        }
        CategoryAxis cat = new CategoryAxis("method");
        org.jfree.chart.axis.ValueAxis val;
        if (log) {
            LogAxis la = new LogAxis(valueLabel);
            la.setBase(10);
            la.setSmallestValue(1); // bars start at 1 ms, not at the axis' default 1e-3
            la.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
            val = la;
        } else {
            val = new NumberAxis(valueLabel);
        }
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        CategoryPlot plot = new CategoryPlot(data, cat, val, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        save(chart, png, 900, 120 + 28 * values.size());
    }

    private static XYSeries series(String name, double[][] pts) {
        XYSeries s = new XYSeries(name, false, true);
        for (double[] p : pts) {
            if (Double.isFinite(p[1])) {
                s.add(p[0], p[1]);
            }
        }
        return s;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    private static void save(JFreeChart chart, Path png, int w, int h) {
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, w, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
