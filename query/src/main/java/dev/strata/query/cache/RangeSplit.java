package dev.strata.query.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a range query's steps ({@code start, start+step, ... <= end}) into parts, one per interval
 * of {@code intervalMs} since the epoch: a part holds the steps that fall into one interval, so the
 * same interval of later queries with the same step grid finds the same cache entry.
 */
public final class RangeSplit {
    /** Steps {@code fromMs..toMs} (both on the query's grid) of interval number {@code interval}. */
    public record Part(long interval, long fromMs, long toMs) {}

    private RangeSplit() {}

    public static List<Part> parts(long startMs, long endMs, long stepMs, long intervalMs) {
        if (stepMs <= 0 || intervalMs <= 0) throw new IllegalArgumentException("step and interval must be positive");
        List<Part> out = new ArrayList<>();
        long t = startMs;
        while (t <= endMs) {
            long interval = Math.floorDiv(t, intervalMs);
            long intervalEnd = saturatingAdd(saturatingMul(interval + 1, intervalMs), -1);
            long last = lastOnGrid(t, stepMs, Math.min(endMs, intervalEnd));
            out.add(new Part(interval, t, last));
            if (last > Long.MAX_VALUE - stepMs) break;
            t = last + stepMs;
        }
        return out;
    }

    /** The last step {@code from + k*step} (k >= 0) at or before {@code limitMs}; {@code limitMs >= fromMs}. */
    static long lastOnGrid(long fromMs, long stepMs, long limitMs) {
        return fromMs + (limitMs - fromMs) / stepMs * stepMs;
    }

    private static long saturatingMul(long a, long b) {
        long r = a * b;
        return Math.multiplyHigh(a, b) != (r >> 63) ? (a >= 0 == b >= 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
