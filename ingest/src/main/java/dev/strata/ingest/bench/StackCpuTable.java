package dev.strata.ingest.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-process cost table of {@code strata bench ingest --pids/--dev-data}: for each process, the
 * CPU-seconds it used during the run, those per million acknowledged samples, and its share of the
 * stack's total; a last row sums them.
 */
public final class StackCpuTable {
    /** One process's line. {@code share} is a fraction of the total (0..1; NaN when the total is 0). */
    public record Row(String process, double cpuSeconds, double perMillionSamples, double share) {}

    private StackCpuTable() {}

    /**
     * Rows in {@code tickDeltas}' order, then a "total" row. {@code tickDeltas}: clock ticks used by
     * each process over the run; {@code ticksPerSecond}: CLK_TCK; {@code samples}: acknowledged samples
     * (per-million figures are NaN when none were acknowledged).
     */
    public static List<Row> rows(Map<String, Long> tickDeltas, long ticksPerSecond, long samples) {
        long total = 0;
        for (long t : tickDeltas.values()) {
            if (t < 0) throw new IllegalArgumentException("negative CPU time in " + tickDeltas + " (a pid reused?)");
            total += t;
        }
        List<Row> rows = new ArrayList<>();
        for (var e : tickDeltas.entrySet()) rows.add(row(e.getKey(), e.getValue(), total, ticksPerSecond, samples));
        rows.add(row("total", total, total, ticksPerSecond, samples));
        return rows;
    }

    private static Row row(String name, long ticks, long total, long hz, long samples) {
        double seconds = ticks / (double) hz;
        return new Row(name, seconds, samples > 0 ? seconds * 1e6 / samples : Double.NaN,
                total > 0 ? ticks / (double) total : Double.NaN);
    }

    /** The rows as a Markdown table (pasteable into notes and issues). */
    public static String format(List<Row> rows) {
        StringBuilder s = new StringBuilder("| process | CPU-s | CPU-s per million samples | share |\n|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f | %.1f%% |%n", r.process(), r.cpuSeconds(),
                    r.perMillionSamples(), r.share() * 100));
        }
        return s.toString();
    }
}
