package dev.lapstream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL of a Grafana dashboard's panels and the metric names in it; the sample names of a scrape. */
final class GrafanaQueries {

    private static final Set<String> NOT_METRICS = Set.of("sum", "rate", "irate", "increase", "histogram_quantile",
            "max", "min", "avg", "count", "by", "without", "on", "ignoring", "topk", "clamp_min", "label_replace",
            "and", "or", "unless", "offset", "bool");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private GrafanaQueries() {
    }

    /** Every {@code targets[].expr} of every panel, rows' nested panels included. */
    static List<String> of(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        collect(dashboard.path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<String> out) {
        for (JsonNode panel : panels) {
            panel.path("targets").forEach(t -> out.add(t.path("expr").asText()));
            collect(panel.path("panels"), out);
        }
    }

    /** The metric names a query reads: identifiers outside label matchers, grouping clauses and ranges. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!NOT_METRICS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The names of the samples in a Prometheus text exposition ({@code name{labels} value}). */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = IDENTIFIER.matcher(line);
                if (m.lookingAt()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }
}
