package dev.strata.ingest.flush;

import dev.strata.store.selfmetrics.Counter;
import dev.strata.store.selfmetrics.Family;
import dev.strata.store.selfmetrics.Gauge;
import dev.strata.store.selfmetrics.Histogram;
import dev.strata.store.selfmetrics.MetricsRegistry;

/** The flush's metrics, registered once per node; {@link #forShard} gives one shard's children. */
public final class FlushMetrics {
    private static final double[] SAMPLES_PER_ROW = {1, 4, 16, 60, 120, 240, 480, 960};

    private final Family<Histogram> duration;
    private final Family<Counter> rows;
    private final Family<Counter> bytes;
    private final Family<Counter> samples;
    private final Family<Histogram> samplesPerRow;
    private final Family<Counter> failures;
    private final Family<Gauge> checkpoint;

    public FlushMetrics(MetricsRegistry registry) {
        duration = registry.histogramFamily("strata_flush_duration_seconds", "Time to flush one flush group (successful attempts).",
                Histogram.DEFAULT_SECONDS_BUCKETS, "shard");
        rows = registry.counterFamily("strata_flush_rows_total", "Chunk rows written to Cassandra.", "shard");
        bytes = registry.counterFamily("strata_flush_bytes_total", "Chunk bytes written to Cassandra.", "shard");
        samples = registry.counterFamily("strata_flush_samples_total", "Samples in the chunk rows written to Cassandra.", "shard");
        samplesPerRow = registry.histogramFamily("strata_flush_samples_per_row", "Samples per chunk row written.", SAMPLES_PER_ROW, "shard");
        failures = registry.counterFamily("strata_flush_failures_total", "Failed flush attempts (retried with back-off).", "shard");
        checkpoint = registry.gaugeFamily("strata_flush_checkpoint_offset", "Kafka offset of the last checkpoint written per flush group.",
                "shard", "group");
    }

    /** Metrics in a registry of their own (tests, tools). */
    public static FlushMetrics unregistered() {
        return new FlushMetrics(new MetricsRegistry());
    }

    public Shard forShard(int shard) {
        String s = Integer.toString(shard);
        return new Shard(s, duration.labels(s), rows.labels(s), bytes.labels(s), samples.labels(s), samplesPerRow.labels(s),
                failures.labels(s));
    }

    /** One shard's children. */
    public final class Shard {
        private final String shard;
        final Histogram duration;
        final Counter rows;
        final Counter bytes;
        final Counter samples;
        final Histogram samplesPerRow;
        final Counter failures;

        private Shard(String shard, Histogram duration, Counter rows, Counter bytes, Counter samples, Histogram samplesPerRow,
                      Counter failures) {
            this.shard = shard;
            this.duration = duration;
            this.rows = rows;
            this.bytes = bytes;
            this.samples = samples;
            this.samplesPerRow = samplesPerRow;
            this.failures = failures;
        }

        void checkpoint(int group, long offset) {
            checkpoint.labels(shard, Integer.toString(group)).set(offset);
        }

        public double rowsWritten() { return rows.value(); }
        public double samplesWritten() { return samples.value(); }
        public double failureCount() { return failures.value(); }
    }
}
