package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.query.ast.VectorSelector;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.function.Consumer;

/**
 * A range vector as the evaluator holds it: a source of series plus, for each step, the window end
 * {@code ref[i]} (step time or @ time, minus offset); the window is (ref - rangeMs, ref].
 * {@code selector} is the matrix selector's vector selector, null for subqueries.
 *
 * <p>A selector's input is lazy: {@link #forEach} reads storage then, one series at a time, and
 * hands each out as a reused {@link RangeSeries} (valid only during the callback), so evaluating a
 * range function holds one series' samples at a time. A subquery's input is its materialized result.
 * Either kind may be iterated more than once (a selector re-reads storage).
 */
final class RangeInput {
    final long[] ref;
    final long rangeMs;
    final VectorSelector selector;
    /** Prometheus "samples" counted inside a subquery's own evaluation (0 for selectors). */
    final long innerSamples;
    private final List<RangeSeries> materialized;
    private final Evaluator ev;
    private final long minT;
    private final long maxT;

    private RangeInput(long[] ref, long rangeMs, VectorSelector selector, long innerSamples,
                       List<RangeSeries> materialized, Evaluator ev, long minT, long maxT) {
        this.ref = ref;
        this.rangeMs = rangeMs;
        this.selector = selector;
        this.innerSamples = innerSamples;
        this.materialized = materialized;
        this.ev = ev;
        this.minT = minT;
        this.maxT = maxT;
    }

    /** Samples of {@code selector}'s series in [minT, maxT], read from storage on each iteration. */
    static RangeInput ofSelector(Evaluator ev, VectorSelector selector, long[] ref, long rangeMs, long minT, long maxT) {
        return new RangeInput(ref, rangeMs, selector, 0, null, ev, minT, maxT);
    }

    /** Already evaluated series (a subquery's result). */
    static RangeInput ofSeries(List<RangeSeries> series, long[] ref, long rangeMs, long innerSamples) {
        return new RangeInput(ref, rangeMs, null, innerSamples, series, null, 0, 0);
    }

    /** Calls {@code c} once per series in label order; the argument is only valid during the call. */
    void forEach(Consumer<RangeSeries> c) {
        if (materialized != null) {
            for (RangeSeries s : materialized) c.accept(s);
            return;
        }
        RangeSeries view = new RangeSeries(Labels.EMPTY, null, null, null, 0, false);
        long[][] ts = {new long[0]};
        double[][] vs = {new double[0]};
        long[][] sts = {new long[0]};
        FloatHistogram[][] hs = {new FloatHistogram[0]};
        boolean useStarts = ev.opts.useStartTimestamps();
        boolean statsOnly = ev.ctx.histogramStats.contains(selector);
        ev.storage.select(selector.matchers(), minT, maxT, (labels, t, v, storedStarts, stored, n) -> {
            FloatHistogram[] h = statsOnly ? HistogramStatsSelectors.deriveResetHints(stored, n) : stored;
            long[] st = useStarts ? storedStarts : null; // ignored unless the query uses start timestamps
            ev.ctx.checkDeadlineNow();
            ev.ctx.scanned += n;
            if (!Evaluator.anyStale(v, n)) {
                c.accept(view.set(labels, t, v, st, n, false).withHistograms(h));
                return;
            }
            int live = 0;
            for (int i = 0; i < n; i++) if (!Evaluator.isStale(v[i]) || h != null && h[i] != null) live++;
            // Staleness markers end a series for range functions: drop them (into scratch arrays,
            // the visitor's arrays belong to storage).
            if (ts[0].length < live) {
                ts[0] = new long[Math.max(live, 2 * ts[0].length)];
                vs[0] = new double[ts[0].length];
                sts[0] = new long[ts[0].length];
                hs[0] = new FloatHistogram[ts[0].length];
            }
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (!Evaluator.isStale(v[i]) || h != null && h[i] != null) {
                    ts[0][k] = t[i];
                    if (h != null) hs[0][k] = h[i];
                    if (st != null) sts[0][k] = st[i];
                    vs[0][k++] = v[i];
                }
            }
            c.accept(view.set(labels, ts[0], vs[0], st == null ? null : sts[0], live, false).withHistograms(h == null ? null : hs[0]));
        });
    }
}
