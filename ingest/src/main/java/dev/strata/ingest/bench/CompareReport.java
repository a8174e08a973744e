package dev.strata.ingest.bench;

import dev.strata.ingest.bench.CompareTarget.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one {@code strata bench compare} run measured, and the side-by-side table it prints (issue
 * #18's layout): one column per system, each value followed by Strata's ratio to it ("Strata 0.71x" =
 * Strata's value divided by this system's). Latencies and bytes: below 1 means Strata is better;
 * ingest rate: above 1 means Strata is better.
 */
final class CompareReport {
    /** Bytes and samples a system added to its own storage for one dataset, and the samples acknowledged. */
    record Bytes(double bytes, double samples, long acked, String source) {
        double perSample() {
            return samples > 0 ? bytes / samples : Double.NaN;
        }
    }

    /** One query on one system: first answer, medians of the repeats (results caches allowed / nocache=1), series returned, ms. */
    record Latency(double first, double repeat, double nocache, int series) {}

    final List<Kind> kinds;
    final Map<Kind, Double> ingest = new EnumMap<>(Kind.class);
    final Map<String, Map<Kind, Bytes>> bytes = new LinkedHashMap<>();
    final Map<String, Map<Kind, Latency>> dashboard = new LinkedHashMap<>();
    final Map<String, Map<Kind, Latency>> small = new LinkedHashMap<>();
    String ingestLabel = "";
    int rounds;

    CompareReport(List<Kind> kinds) {
        this.kinds = kinds;
    }

    static double median(double[] xs) {
        if (xs.length == 0) return Double.NaN;
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double geomean(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double logSum = 0;
        for (double x : xs) logSum += Math.log(x);
        return Math.exp(logSum / xs.size());
    }

    private interface Pick {
        double of(Latency l);
    }

    /** The geometric mean over the queries of {@code pick} for {@code kind}; NaN if any query lacks it. */
    static double geomean(Map<String, Map<Kind, Latency>> queries, Kind kind, Pick pick) {
        List<Double> xs = new ArrayList<>();
        for (Map<Kind, Latency> byKind : queries.values()) {
            Latency l = byKind.get(kind);
            if (l == null) return Double.NaN;
            xs.add(pick.of(l));
        }
        return geomean(xs);
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| measure |");
        for (Kind k : kinds) sb.append(' ').append(k.title).append(" |");
        sb.append('\n').append("|---|");
        for (Kind ignored : kinds) sb.append("---|");
        sb.append('\n');
        if (!ingest.isEmpty()) {
            row(sb, "remote-write ingest, acknowledged samples/s (" + ingestLabel + ")", ingest, "%,.0f");
        }
        if (!dashboard.isEmpty()) {
            String n = dashboard.size() + " dashboard range queries (1 h at 15 s), geometric mean ms: ";
            row(sb, n + "first run", latencies(dashboard, Latency::first), "%.1f");
            row(sb, n + "repeats, median of " + rounds + ", results caches on", latencies(dashboard, Latency::repeat), "%.1f");
            row(sb, n + "repeats, median of " + rounds + ", nocache=1", latencies(dashboard, Latency::nocache), "%.1f");
        }
        if (!small.isEmpty()) {
            row(sb, small.size() + " small queries (1-8 series), geometric mean ms, median of " + rounds + ", nocache=1",
                    latencies(small, Latency::nocache), "%.2f");
        }
        for (Map.Entry<String, Map<Kind, Bytes>> e : bytes.entrySet()) {
            Map<Kind, Double> per = new EnumMap<>(Kind.class);
            e.getValue().forEach((k, b) -> per.put(k, b.perSample()));
            row(sb, "bytes/sample " + e.getKey(), per, "%.3f");
        }
        sb.append("\nStrata Nx = Strata's value / this system's (latency and bytes: < 1 is better for Strata; ingest: > 1).\n");
        if (!dashboard.isEmpty() || !small.isEmpty()) {
            sb.append("\nPer query, ms: first run / repeat median (caches on) / repeat median (nocache=1), series returned\n");
            sb.append("| query |");
            for (Kind k : kinds) sb.append(' ').append(k.title).append(" |");
            sb.append('\n').append("|---|");
            for (Kind ignored : kinds) sb.append("---|");
            sb.append('\n');
            Map<String, Map<Kind, Latency>> all = new LinkedHashMap<>(dashboard);
            all.putAll(small);
            for (Map.Entry<String, Map<Kind, Latency>> e : all.entrySet()) {
                sb.append("| ").append(e.getKey()).append(" |");
                for (Kind k : kinds) {
                    Latency l = e.getValue().get(k);
                    sb.append(l == null ? " - |" : String.format(Locale.ROOT, " %.1f / %.1f / %.1f, %d |", l.first(), l.repeat(), l.nocache(), l.series()));
                }
                sb.append('\n');
            }
        }
        for (Map.Entry<String, Map<Kind, Bytes>> e : bytes.entrySet()) {
            sb.append("\nbytes/sample ").append(e.getKey()).append(":\n");
            for (Kind k : kinds) {
                Bytes b = e.getValue().get(k);
                if (b == null) continue;
                sb.append(String.format(Locale.ROOT, "  %-15s %,.0f bytes / %,.0f samples (%,d acknowledged): %s%n", k.title, b.bytes(), b.samples(),
                        b.acked(), b.source()));
            }
        }
        return sb.toString();
    }

    private Map<Kind, Double> latencies(Map<String, Map<Kind, Latency>> queries, Pick pick) {
        Map<Kind, Double> m = new EnumMap<>(Kind.class);
        for (Kind k : kinds) {
            double g = geomean(queries, k, pick);
            if (!Double.isNaN(g)) m.put(k, g);
        }
        return m;
    }

    private void row(StringBuilder sb, String measure, Map<Kind, Double> values, String format) {
        Double strata = values.get(Kind.STRATA);
        sb.append("| ").append(measure).append(" |");
        for (Kind k : kinds) {
            Double v = values.get(k);
            if (v == null || v.isNaN()) {
                sb.append(" - |");
                continue;
            }
            sb.append(' ').append(String.format(Locale.ROOT, format, v));
            if (k != Kind.STRATA && strata != null && !strata.isNaN() && v > 0) {
                sb.append(String.format(Locale.ROOT, " (Strata %.2fx)", strata / v));
            }
            sb.append(" |");
        }
        sb.append('\n');
    }
}
