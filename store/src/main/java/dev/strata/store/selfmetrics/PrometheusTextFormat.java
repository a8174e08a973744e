package dev.strata.store.selfmetrics;

import java.util.List;

/**
 * Writes metric families in the Prometheus text exposition format, version 0.0.4:
 * <pre>
 * # HELP name help text (backslash and newline escaped)
 * # TYPE name counter|gauge|histogram
 * name{label="value",...} value
 * </pre>
 * Labels of a sample are written sorted by name; label values escape backslash, double quote and
 * newline. Values: integers without a decimal point, other numbers in Java's shortest round-trip
 * form, and {@code NaN}, {@code +Inf}, {@code -Inf}. No timestamps. A family without samples writes
 * only its HELP and TYPE lines.
 */
public final class PrometheusTextFormat {
    /** The Content-Type of a scrape response. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusTextFormat() {}

    public static String write(List<MetricFamilySnapshot> families) {
        StringBuilder sb = new StringBuilder(families.size() * 128);
        for (MetricFamilySnapshot f : families) {
            sb.append("# HELP ").append(f.name()).append(' ');
            escapeHelp(f.help(), sb);
            sb.append('\n');
            sb.append("# TYPE ").append(f.name()).append(' ').append(f.type().text()).append('\n');
            for (Sample s : f.samples()) {
                writeSample(s, sb);
            }
        }
        return sb.toString();
    }

    private static void writeSample(Sample s, StringBuilder sb) {
        sb.append(s.name());
        int n = s.labelNames().size();
        if (n > 0) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> s.labelNames().get(a).compareTo(s.labelNames().get(b)));
            sb.append('{');
            for (int k = 0; k < n; k++) {
                int i = order[k];
                if (k > 0) {
                    sb.append(',');
                }
                sb.append(s.labelNames().get(i)).append("=\"");
                escapeLabelValue(s.labelValues().get(i), sb);
                sb.append('"');
            }
            sb.append('}');
        }
        sb.append(' ').append(formatValue(s.value())).append('\n');
    }

    static void escapeHelp(String help, StringBuilder sb) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    static void escapeLabelValue(String value, StringBuilder sb) {
        dev.strata.store.model.Labels.escape(value, sb);
    }

    /** 3 -> "3", 0.25 -> "0.25", 1e-9 -> "1.0E-9", NaN -> "NaN", infinities -> "+Inf"/"-Inf". */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
