package dev.strata.ingest.bench;

/**
 * Sums samples of one metric in a Prometheus text exposition ({@code /metrics}), as the compare
 * benchmark reads each system's own account of its storage. Only what the benchmark needs: a line
 * {@code name{labels} value [timestamp]} or {@code name value}; comments skipped.
 */
final class MetricsText {
    private MetricsText() {}

    /**
     * The sum of every sample of {@code metric} whose label text contains {@code labelContains}
     * (e.g. {@code type="storage/}; empty: every sample). Throws if the metric is absent: a silent 0
     * would turn into a wrong bytes/sample.
     */
    static double sum(String text, String metric, String labelContains) {
        double sum = sumIfPresent(text, metric, labelContains);
        if (Double.isNaN(sum)) throw new IllegalStateException("no sample of " + metric + (labelContains.isEmpty() ? "" : " with " + labelContains));
        return sum;
    }

    /** As {@link #sum}, but NaN when the metric has no sample (a labelled counter not yet incremented is not exported). */
    static double sumIfPresent(String text, String metric, String labelContains) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(metric)) continue;
            int end = metric.length();
            if (end == line.length()) continue;
            char c = line.charAt(end);
            String labels = "";
            int valueFrom;
            if (c == '{') {
                int close = line.lastIndexOf('}');
                if (close < end) continue;
                labels = line.substring(end + 1, close);
                valueFrom = close + 1;
            } else if (c == ' ') {
                valueFrom = end;
            } else {
                continue; // another metric with this one's name as a prefix
            }
            if (!labels.contains(labelContains)) continue;
            String[] f = line.substring(valueFrom).trim().split("\\s+");
            sum += Double.parseDouble(f[0]);
            found = true;
        }
        return found ? sum : Double.NaN;
    }
}
