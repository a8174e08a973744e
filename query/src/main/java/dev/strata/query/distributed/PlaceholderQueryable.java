package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import dev.strata.query.engine.HistogramMath;
import dev.strata.query.storage.Queryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Storage for the merging node's part of a pushed-down query: a selector
 * {@code {__name__="<placeholder>"}} ({@link AggregationPushdown#placeholderSelector}) returns the merged
 * result of that pushed aggregation; every other selector reads the cluster.
 *
 * <p>A merged result has a point at each query step where the aggregation had a value. So that an
 * instant selector at step t sees exactly the value at t (and nothing when the aggregation had none at
 * t, rather than an earlier step's value within the lookback), every step without a value holds a
 * staleness marker, which selectors treat as "no sample".
 *
 * <p>The engine counts each value a placeholder selector yields as a sample it loaded (one per series and
 * step); those are merged owners' results, not samples of the data, and the owners report what they
 * loaded themselves. So this storage counts, per query step, the values it hands out for placeholders
 * ({@link #placeholderValuesPerStep}), and the asking node takes them off the engine's count. Like the
 * engine's evaluation that reads it, an instance is used by one thread.
 */
final class PlaceholderQueryable implements Queryable {
    /** Prometheus's staleness marker (value.StaleNaN). */
    static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private final Map<String, List<Series>> placeholders;
    private final Queryable rest;
    private final long[] placeholderValues;

    /**
     * @param placeholders the merged series of each placeholder, from {@link #series} with the query's
     *                     {@code steps} step times
     */
    PlaceholderQueryable(Map<String, List<Series>> placeholders, Queryable rest, int steps) {
        this.placeholders = placeholders;
        this.rest = rest;
        this.placeholderValues = new long[steps];
    }

    /**
     * The values (not staleness markers) handed out for placeholder selectors so far, per query step:
     * what the engine counted as loaded samples for them. A point of a placeholder series sits exactly at
     * its step's time, so an instant selector evaluated at the query's steps yields it at that step only.
     */
    long[] placeholderValuesPerStep() {
        return placeholderValues.clone();
    }

    @Override
    public List<Series> select(List<Matcher> matchers, long minT, long maxT) {
        for (Matcher m : matchers) {
            if (m.type() == Matcher.Type.EQ && m.name().equals("__name__") && placeholders.containsKey(m.value())) {
                List<Series> series = placeholders.get(m.value());
                for (Series s : series) {
                    for (int i = 0; i < s.size(); i++) {
                        FloatHistogram h = s.histograms() == null ? null : s.histograms()[i];
                        // The engine counts a histogram sample by its size, as Prometheus does.
                        if (h != null) placeholderValues[i] += HistogramMath.sampleWeight(h);
                        else if (Double.doubleToRawLongBits(s.values()[i]) != Double.doubleToRawLongBits(STALE_NAN)) placeholderValues[i]++;
                    }
                }
                return series;
            }
        }
        return rest.select(matchers, minT, maxT);
    }

    /**
     * The series of a merged result (sorted by labels), each with a value, a histogram or a staleness
     * marker at every step.
     */
    static List<Series> series(PartialMerge.Merged merged, long[] stepTimes) {
        TreeMap<Labels, Boolean> labels = new TreeMap<>();
        for (Labels l : merged.floats().keySet()) labels.put(l, true);
        for (Labels l : merged.histograms().keySet()) labels.put(l, true);
        List<Series> out = new ArrayList<>(labels.size());
        for (Labels l : labels.keySet()) {
            Map<Long, Double> floats = merged.floats().getOrDefault(l, new TreeMap<>());
            Map<Long, FloatHistogram> histograms = merged.histograms().get(l);
            double[] vs = new double[stepTimes.length];
            FloatHistogram[] hs = histograms == null ? null : new FloatHistogram[stepTimes.length];
            boolean any = false;
            for (int i = 0; i < stepTimes.length; i++) {
                Double v = floats.get(stepTimes[i]);
                FloatHistogram h = histograms == null ? null : histograms.get(stepTimes[i]);
                vs[i] = h != null ? 0 : v == null ? STALE_NAN : v;
                if (h != null) hs[i] = h;
                any |= h != null || v != null;
            }
            if (any) out.add(new Series(l, stepTimes.clone(), vs, null, hs));
        }
        return out;
    }
}
