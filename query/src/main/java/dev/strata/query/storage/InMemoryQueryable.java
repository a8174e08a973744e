package dev.strata.query.storage;

import dev.strata.index.Matcher;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simple sorted map of series to sample arrays, for tests and as a reference implementation of
 * {@link Queryable}. Appends out of order are placed in order; a second sample at the same timestamp
 * replaces the first. Synchronized: cheap and safe for the small data sets it is meant for.
 */
public final class InMemoryQueryable implements Queryable {
    private static final class Buf {
        long[] t = new long[8];
        double[] v = new double[8];
        /** Start timestamps parallel to t, allocated at the first known one (0 = unknown). */
        long[] st;
        /** Histograms parallel to t, allocated at the first histogram sample (null = float sample). */
        FloatHistogram[] h;
        int n;

        void add(long ts, long startTs, double val, FloatHistogram hist) {
            if (startTs != 0 && st == null) st = new long[t.length];
            if (hist != null && h == null) h = new FloatHistogram[t.length];
            if (n > 0 && ts <= t[n - 1]) {
                int i = Arrays.binarySearch(t, 0, n, ts);
                if (i >= 0) {
                    v[i] = val;
                    if (st != null) st[i] = startTs;
                    if (h != null) h[i] = hist;
                    return;
                }
                int at = -i - 1;
                grow();
                System.arraycopy(t, at, t, at + 1, n - at);
                System.arraycopy(v, at, v, at + 1, n - at);
                if (st != null) System.arraycopy(st, at, st, at + 1, n - at);
                if (h != null) System.arraycopy(h, at, h, at + 1, n - at);
                t[at] = ts;
                v[at] = val;
                if (st != null) st[at] = startTs;
                if (h != null) h[at] = hist;
                n++;
                return;
            }
            grow();
            t[n] = ts;
            v[n] = val;
            if (st != null) st[n] = startTs;
            if (h != null) h[n] = hist;
            n++;
        }

        private void grow() {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                v = Arrays.copyOf(v, n * 2);
                if (st != null) st = Arrays.copyOf(st, n * 2);
                if (h != null) h = Arrays.copyOf(h, n * 2);
            }
        }
    }

    private final TreeMap<Labels, Buf> series = new TreeMap<>();

    public synchronized void append(Labels labels, long ts, double value) {
        append(labels, ts, 0, value);
    }

    /** Appends a sample with its start timestamp ({@code startTs} 0 = unknown). */
    public synchronized void append(Labels labels, long ts, long startTs, double value) {
        series.computeIfAbsent(labels, l -> new Buf()).add(ts, startTs, value, null);
    }

    /** Appends a native histogram sample (replacing any sample at the same timestamp). */
    public synchronized void append(Labels labels, long ts, FloatHistogram histogram) {
        append(labels, ts, 0, histogram);
    }

    /** Appends a native histogram sample with its start timestamp ({@code startTs} 0 = unknown). */
    public synchronized void append(Labels labels, long ts, long startTs, FloatHistogram histogram) {
        series.computeIfAbsent(labels, l -> new Buf()).add(ts, startTs, 0, histogram);
    }

    public synchronized void clear() {
        series.clear();
    }

    @Override
    public synchronized List<Series> select(List<Matcher> matchers, long minT, long maxT) {
        List<Series> out = new ArrayList<>();
        for (Map.Entry<Labels, Buf> e : series.entrySet()) {
            Labels l = e.getKey();
            boolean ok = true;
            for (Matcher m : matchers) {
                if (!m.matches(l.get(m.name()))) {
                    ok = false;
                    break;
                }
            }
            if (!ok) continue;
            Buf b = e.getValue();
            int lo = lowerBound(b.t, b.n, minT);
            int hi = lowerBound(b.t, b.n, maxT == Long.MAX_VALUE ? maxT : maxT + 1);
            if (maxT == Long.MAX_VALUE) hi = b.n;
            if (hi <= lo) continue;
            long[] st = b.st == null ? null : Arrays.copyOfRange(b.st, lo, hi);
            FloatHistogram[] h = null;
            if (b.h != null) {
                for (int i = lo; i < hi && h == null; i++) if (b.h[i] != null) h = Arrays.copyOfRange(b.h, lo, hi);
            }
            out.add(new Series(l, Arrays.copyOfRange(b.t, lo, hi), Arrays.copyOfRange(b.v, lo, hi), st, h));
        }
        return out;
    }

    private static int lowerBound(long[] a, int n, long key) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
