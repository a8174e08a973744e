package dev.strata.query.distributed;

import dev.strata.query.engine.QueryStats;
import java.util.Arrays;

/**
 * Prometheus's "samples" statistic of one evaluation ({@code totalQueryableSamples}, see the query
 * engine's SampleStats): the total and the count at each step of the query (index i is the step at
 * start + i * step; one entry for an instant query). An owner of shards reports it for a pushed-down
 * query so the asking node can add what the owners scanned (docs/format/select.md, response version 4).
 * Counts over distinct shards add: a sample lives in one shard and is counted once per step window
 * it falls in, wherever that shard is evaluated.
 */
public record SampleCounts(long total, long[] perStep) {
    /** Nothing scanned (no shard served): no per-step entries, which stands for zero at every step. */
    public static final SampleCounts NONE = new SampleCounts(0, new long[0]);

    public SampleCounts {
        perStep = perStep.clone();
        if (total < 0) throw new IllegalArgumentException("negative sample total " + total);
        long sum = 0;
        for (long n : perStep) {
            if (n < 0) throw new IllegalArgumentException("negative per-step sample count " + n);
            sum += n;
        }
        if (sum != total) {
            throw new IllegalArgumentException("per-step sample counts add to " + sum + " but the total is " + total);
        }
    }

    /** The counts of an engine evaluation. */
    static SampleCounts of(QueryStats stats) {
        return new SampleCounts(stats.totalQueryableSamples(), stats.totalQueryableSamplesPerStep());
    }

    @Override
    public long[] perStep() {
        return perStep.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleCounts c && c.total == total && Arrays.equals(c.perStep, perStep);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(total) * 31 + Arrays.hashCode(perStep);
    }

    @Override
    public String toString() {
        return "SampleCounts[total=" + total + ", perStep=" + Arrays.toString(perStep) + "]";
    }
}
