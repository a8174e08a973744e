package dev.strata.query.cache;

import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.ast.Printer;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.parser.Parser;
import dev.strata.store.memstore.LateWrites;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The results cache of range queries (after Mimir's query-frontend results cache): a range query is
 * split into parts, one per {@code splitIntervalMs} ({@link RangeSplit}); of each part, the per-step
 * results of the steps older than the horizon ({@code now - immutableAfterMs}: the ingest lag plus a
 * timestamp offset, after VictoriaMetrics' {@code -search.cacheTimestampOffset}; not the out-of-order
 * window, whose samples the invalidation below covers) are kept as one extent per (normalised query, step, step
 * grid, interval, options). A later query reuses the extent's steps and evaluates only the rest (the
 * fresh tail), then the parts are merged.
 *
 * <p>Correctness rules, each with its reason:
 * <ul>
 *   <li>A late write (a sample appended at or before the guarded time, see {@link LateWrites}: an
 *       out-of-order sample, a replay, a backfill) drops every extent reaching back to it: an answer at
 *       step t depends on samples at or before t. The horizon only keeps ordinary in-order writes from
 *       being late; correctness never depends on it.</li>
 *   <li>Queries with {@code @} or a negative {@code offset} are not cached: their steps read samples
 *       from other times, so the rule above would not hold.</li>
 *   <li>A part whose evaluation gave warnings (among them partial-data warnings: the missing data may
 *       come back without any write) is not stored. Infos (e.g. "metric might not be a counter") are
 *       stored with the extent when they are exactly those of its range, and an extent with infos is
 *       reused only from its first step, so the merged answer's annotations are those of an uncached one.</li>
 *   <li>Callers bypass the cache when they need the query's {@code stats} (they describe the work of the
 *       query itself) or the client asked for it ({@code nocache=1}, {@code Cache-Control: no-cache}).</li>
 * </ul>
 * Memory: the extents' estimated bytes are bounded by {@code maxBytes}, least recently used first out.
 */
public final class RangeResultsCache implements QueryEvaluator {
    /** Per-series and per-point byte estimates (object headers, arrays, the labels' strings). */
    private static final long SERIES_OVERHEAD_BYTES = 96;
    private static final long POINT_BYTES = 16;
    private static final long ENTRY_OVERHEAD_BYTES = 160;

    /** @param immutableAfterMs steps older than now minus this are cached (ingest lag + timestamp offset) */
    public record Settings(long splitIntervalMs, long maxBytes, long immutableAfterMs) {}

    private record Key(String query, long stepMs, long gridOffset, long interval, QueryOptions options) {}

    /**
     * Steps {@code fromMs..toMs} of one part; series sorted by labels, each with at least one point; the
     * info annotations their evaluation gave.
     */
    /** A native histogram's object header, scalar fields and seven array headers. */
    private static final long HISTOGRAM_OVERHEAD_BYTES = 200;

    private record Extent(long fromMs, long toMs, List<SeriesPoints> series, List<String> infos, long bytes) {}

    private final QueryEvaluator delegate;
    private final Settings settings;
    private final LongSupplier clockMs;
    private final LateWrites lateWrites;
    private final LinkedHashMap<Key, Extent> entries = new LinkedHashMap<>(64, 0.75f, true); // guarded by this
    private long bytes; // guarded by this
    /** Every extent stored before the last invalidation ends before this (a backfill's next samples skip the walk). */
    private long walkedDownTo = Long.MAX_VALUE; // guarded by this
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder invalidations = new LongAdder();

    public RangeResultsCache(QueryEvaluator delegate, Settings settings, LongSupplier clockMs, LateWrites lateWrites) {
        this.delegate = delegate;
        this.settings = settings;
        this.clockMs = clockMs;
        this.lateWrites = lateWrites;
        lateWrites.listener(this::lateWrite);
    }

    @Override
    public QueryResult instant(String query, long timeMs, QueryOptions options) {
        return delegate.instant(query, timeMs, options);
    }

    @Override
    public QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options) {
        return range(query, startMs, endMs, stepMs, options, true);
    }

    @Override
    public QueryResult range(String query, long startMs, long endMs, long stepMs, QueryOptions options, boolean useCache) {
        long horizon = clockMs.getAsLong() - settings.immutableAfterMs();
        if (!useCache || startMs > horizon) return delegate.range(query, startMs, endMs, stepMs, options);
        String normalised = Printer.print(Parser.parse(query));
        if (normalised.contains("@") || normalised.contains("offset -")) {
            return delegate.range(query, startMs, endMs, stepMs, options);
        }
        QueryOptions keyOptions = options.withTimeoutMs(0);
        long gridOffset = Math.floorMod(startMs, stepMs);
        List<List<SeriesPoints>> pieces = new ArrayList<>();
        LinkedHashSet<String> warnings = new LinkedHashSet<>();
        LinkedHashSet<String> infos = new LinkedHashSet<>();
        for (RangeSplit.Part part : RangeSplit.parts(startMs, endMs, stepMs, settings.splitIntervalMs())) {
            Key key = new Key(normalised, stepMs, gridOffset, part.interval(), keyOptions);
            long cacheableTo = part.fromMs() > horizon ? Long.MIN_VALUE
                    : RangeSplit.lastOnGrid(part.fromMs(), stepMs, Math.min(part.toMs(), horizon));
            Extent have = get(key);
            long computeFrom = part.fromMs();
            List<SeriesPoints> reused = List.of();
            boolean hit = false;
            // An extent's infos hold for its whole range; a slice starting later might not have them all.
            if (have != null && have.fromMs() <= part.fromMs() && have.toMs() >= part.fromMs()
                    && (have.infos().isEmpty() || have.fromMs() == part.fromMs())) {
                hits.increment();
                hit = true;
                infos.addAll(have.infos());
                long reuseTo = Math.min(part.toMs(), have.toMs());
                reused = slice(have.series(), part.fromMs(), reuseTo);
                if (reuseTo == part.toMs()) {
                    pieces.add(reused);
                    continue;
                }
                computeFrom = reuseTo + stepMs;
            } else {
                misses.increment();
            }
            List<SeriesPoints> answer = reused;
            if (cacheableTo != Long.MIN_VALUE && cacheableTo >= computeFrom) {
                lateWrites.guard(cacheableTo);
                long generation = lateWrites.generation();
                // The cacheable steps and the fresh tail in one evaluation: one pass over the data, not two.
                QueryResult res = delegate.range(query, computeFrom, part.toMs(), stepMs, options);
                if (!(res.value() instanceof Matrix m)) return delegate.range(query, startMs, endMs, stepMs, options);
                warnings.addAll(res.warnings());
                infos.addAll(res.infos());
                List<SeriesPoints> cacheable = cacheableTo == part.toMs() ? m.series() : slice(m.series(), computeFrom, cacheableTo);
                List<String> cacheableInfos = res.infos();
                if (res.warnings().isEmpty() && !res.infos().isEmpty() && cacheableTo < part.toMs()) {
                    // Those infos may come from the tail's steps only: an extent's infos must be exactly its
                    // steps', so the cacheable steps are evaluated on their own for theirs.
                    QueryResult own = delegate.range(query, computeFrom, cacheableTo, stepMs, options);
                    boolean usable = own.value() instanceof Matrix && own.warnings().isEmpty();
                    cacheable = usable ? ((Matrix) own.value()).series() : null;
                    cacheableInfos = own.infos();
                }
                if (res.warnings().isEmpty() && cacheable != null) {
                    List<SeriesPoints> extent = merge(List.of(reused, cacheable));
                    List<String> keptInfos = new ArrayList<>(new LinkedHashSet<>(
                            concat(hit ? have.infos() : List.of(), cacheableInfos)));
                    store(key, new Extent(part.fromMs(), cacheableTo, extent, keptInfos, estimate(extent)), generation);
                }
                answer = merge(List.of(reused, m.series()));
                computeFrom = part.toMs() + stepMs;
            }
            if (computeFrom <= part.toMs()) { // the fresh tail
                QueryResult res = delegate.range(query, computeFrom, part.toMs(), stepMs, options);
                if (!(res.value() instanceof Matrix m)) return delegate.range(query, startMs, endMs, stepMs, options);
                warnings.addAll(res.warnings());
                infos.addAll(res.infos());
                answer = merge(List.of(answer, m.series()));
            }
            pieces.add(answer);
        }
        Matrix merged = new Matrix(merge(pieces));
        return new QueryResult(merged, new ArrayList<>(warnings), new ArrayList<>(infos), null);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private synchronized Extent get(Key key) {
        return entries.get(key);
    }

    /** Stores unless a late write came since {@code generation} was read; then evicts down to the budget. */
    private synchronized void store(Key key, Extent e, long generation) {
        if (lateWrites.generation() != generation || e.bytes() > settings.maxBytes()) return;
        walkedDownTo = Long.MAX_VALUE;
        Extent old = entries.put(key, e);
        if (old != null) bytes -= old.bytes();
        bytes += e.bytes();
        Iterator<Extent> it = entries.values().iterator();
        while (bytes > settings.maxBytes() && it.hasNext()) {
            bytes -= it.next().bytes();
            it.remove();
            evictions.increment();
        }
    }

    /** A sample at {@code ts} was appended late: drops every extent with a step at or after it. */
    private synchronized void lateWrite(long ts) {
        if (ts >= walkedDownTo) return;
        walkedDownTo = ts;
        Iterator<Extent> it = entries.values().iterator();
        while (it.hasNext()) {
            Extent e = it.next();
            if (e.toMs() >= ts) {
                bytes -= e.bytes();
                it.remove();
                invalidations.increment();
            }
        }
    }

    /** The points of each series with {@code fromMs <= t <= toMs}; series left without points are dropped. */
    static List<SeriesPoints> slice(List<SeriesPoints> series, long fromMs, long toMs) {
        List<SeriesPoints> out = new ArrayList<>(series.size());
        for (SeriesPoints s : series) {
            long[] ts = s.timestamps();
            int a = lowerBound(ts, fromMs);
            int b = lowerBound(ts, toMs == Long.MAX_VALUE ? toMs : toMs + 1);
            if (a >= b) continue;
            if (a == 0 && b == ts.length) {
                out.add(s);
            } else {
                out.add(new SeriesPoints(s.metric(), Arrays.copyOfRange(ts, a, b), Arrays.copyOfRange(s.values(), a, b),
                        s.histograms() == null ? null : Arrays.copyOfRange(s.histograms(), a, b)));
            }
        }
        return out;
    }

    /** Concatenates the pieces (consecutive, in time order) series by series; sorted by labels as the engine sorts. */
    static List<SeriesPoints> merge(List<List<SeriesPoints>> pieces) {
        if (pieces.size() == 2 && pieces.get(0).isEmpty()) return pieces.get(1);
        if (pieces.size() == 2 && pieces.get(1).isEmpty()) return pieces.get(0);
        if (pieces.size() == 1) return pieces.get(0);
        Map<Labels, List<SeriesPoints>> bySeries = new TreeMap<>(Labels::compareTo);
        for (List<SeriesPoints> piece : pieces) {
            for (SeriesPoints s : piece) bySeries.computeIfAbsent(s.metric(), k -> new ArrayList<>(pieces.size())).add(s);
        }
        List<SeriesPoints> out = new ArrayList<>(bySeries.size());
        for (Map.Entry<Labels, List<SeriesPoints>> e : bySeries.entrySet()) {
            List<SeriesPoints> parts = e.getValue();
            if (parts.size() == 1) {
                out.add(parts.get(0));
                continue;
            }
            int n = 0;
            for (SeriesPoints p : parts) n += p.size();
            long[] ts = new long[n];
            double[] vs = new double[n];
            // native histogram points keep their place; null while every part is float-only
            FloatHistogram[] hs = null;
            int at = 0;
            for (SeriesPoints p : parts) {
                System.arraycopy(p.timestamps(), 0, ts, at, p.size());
                System.arraycopy(p.values(), 0, vs, at, p.size());
                if (p.histograms() != null) {
                    if (hs == null) hs = new FloatHistogram[n];
                    System.arraycopy(p.histograms(), 0, hs, at, p.size());
                }
                at += p.size();
            }
            out.add(new SeriesPoints(e.getKey(), ts, vs, hs));
        }
        return out;
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static long estimate(List<SeriesPoints> series) {
        long b = ENTRY_OVERHEAD_BYTES;
        for (SeriesPoints s : series) {
            Labels l = s.metric();
            b += SERIES_OVERHEAD_BYTES + POINT_BYTES * s.size();
            for (int i = 0; i < l.size(); i++) b += 2L * (l.name(i).length() + l.value(i).length()) + 48;
            if (s.histograms() != null) {
                b += 16L + 8L * s.size(); // the reference array
                for (FloatHistogram h : s.histograms()) {
                    if (h == null) continue;
                    // object and arrays: 8 bytes per bucket count and custom bound, 4 per span field
                    b += HISTOGRAM_OVERHEAD_BYTES + 8L * (h.positiveBuckets().length + h.negativeBuckets().length + h.customValues().length)
                            + 8L * (h.positiveSpanOffsets().length + h.negativeSpanOffsets().length);
                }
            }
        }
        return b;
    }

    public long hits() { return hits.sum(); }
    public long misses() { return misses.sum(); }
    public long evictions() { return evictions.sum(); }
    public long invalidations() { return invalidations.sum(); }
    public synchronized long bytes() { return bytes; }
    public synchronized int entries() { return entries.size(); }
}
