package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass rate/increase/delta ({@link ExtrapolatedRates}) against the straightforward
 * computation: every window found by scanning all points, then {@link Rollups#extrapolated} over it
 * with no reset shortcut and a fresh timing cache. Random counters with resets, gaps, jittered
 * scrapes, NaN and equal values; random ranges and steps, including window ends that stand still
 * (@) and steps longer than the range. Results must agree bit for bit. Run with -Dseed=N to repeat.
 */
class ExtrapolatedRatesTest {
    private static final String[] FNS = {"rate", "increase", "delta"};

    /** Random points in time order: a counter (or gauge) with resets, gaps, jitter, NaN, repeats. */
    private static List<long[]> points(Random rnd, List<Double> values) {
        List<long[]> t = new ArrayList<>();
        int n = rnd.nextInt(200);
        long interval = 1_000L * (1 + rnd.nextInt(60));
        long time = rnd.nextInt(600_000);
        double v = rnd.nextInt(4) == 0 ? -rnd.nextInt(50) : rnd.nextInt(1000);
        for (int i = 0; i < n; i++) {
            time += rnd.nextInt(10) == 0 ? interval * (2 + rnd.nextInt(20)) : interval;
            if (rnd.nextBoolean()) time += rnd.nextInt(2_000) - 1_000;
            if (!t.isEmpty() && time <= t.get(t.size() - 1)[0]) time = t.get(t.size() - 1)[0] + 1;
            int kind = rnd.nextInt(40);
            if (kind == 0) {
                v = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(100); // counter reset
            } else if (kind == 1) {
                values.add(Double.NaN);
                t.add(new long[] {time});
                continue;
            } else if (kind < 8) {
                // value unchanged
            } else {
                v += rnd.nextInt(3) == 0 ? rnd.nextDouble() * 1e6 : rnd.nextInt(100);
            }
            values.add(v);
            t.add(new long[] {time});
        }
        return t;
    }

    private static long[] refs(Random rnd, long minT, long maxT) {
        int steps = 1 + rnd.nextInt(300);
        long[] ref = new long[steps];
        if (rnd.nextInt(10) == 0) {
            java.util.Arrays.fill(ref, minT + (long) (rnd.nextDouble() * (maxT - minT + 1)));
            return ref;
        }
        long step = 1_000L * (1 + rnd.nextInt(120)) + (rnd.nextBoolean() ? rnd.nextInt(1000) : 0);
        long start = minT - 300_000 + (long) (rnd.nextDouble() * (maxT - minT + 600_000));
        for (int i = 0; i < steps; i++) ref[i] = start + i * step;
        return ref;
    }

    /** The straightforward window result: null when the function has no output there. */
    private static Double reference(long[] t, double[] v, int lo, int hi, long from, long end, long range, String fn) {
        Rollups.Window w = new Rollups.Window();
        w.t = t;
        w.v = v;
        w.lo = lo;
        w.hi = hi;
        w.rangeStart = from;
        w.rangeEnd = end;
        w.rangeMs = range;
        w.annotations = new Annotations();
        w.metricName = "m_total";
        boolean has = Rollups.extrapolated(w, !fn.equals("delta"), fn.equals("rate"));
        return has ? w.result : null;
    }

    @Test
    void onePassAgreesBitForBitWithPerWindowComputation() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ExtrapolatedRatesTest seed=" + seed);
        Random rnd = new Random(seed);
        int windowsWithResets = 0, windowsCompared = 0;
        for (int trial = 0; trial < 3_000; trial++) {
            List<Double> vl = new ArrayList<>();
            List<long[]> tl = points(rnd, vl);
            int n = tl.size();
            long[] t = new long[n + rnd.nextInt(3)]; // arrays may be longer than n
            double[] v = new double[t.length];
            for (int i = 0; i < n; i++) {
                t[i] = tl.get(i)[0];
                v[i] = vl.get(i);
            }
            long minT = n == 0 ? 0 : t[0], maxT = n == 0 ? 1 : t[n - 1];
            long[] ref = refs(rnd, minT, maxT);
            long range = 1_000L * (1 + rnd.nextInt(900)) + (rnd.nextBoolean() ? rnd.nextInt(1000) : 0);
            String fn = FNS[rnd.nextInt(FNS.length)];
            boolean counter = !fn.equals("delta");
            int[] resets = ExtrapolatedRates.resetCounts(v, n, new int[rnd.nextInt(4)]);
            double[] out = new double[ref.length];
            boolean[] has = new boolean[ref.length];
            long[] windowSamples = new long[ref.length];
            int count = ExtrapolatedRates.eval(t, v, n, resets, ref, range, counter, fn.equals("rate"),
                    new Rollups.Extrapolation(), out, has, windowSamples);
            int expectedCount = 0;
            for (int i = 0; i < ref.length; i++) {
                long end = ref[i], from = end - range;
                int lo = 0;
                while (lo < n && t[lo] <= from) lo++;
                int hi = lo;
                while (hi < n && t[hi] <= end) hi++;
                String where = "seed=" + seed + " trial=" + trial + " " + fn + " range=" + range + " step " + i
                        + " window (" + from + ", " + end + "] points [" + lo + ", " + hi + ")";
                assertEquals(hi - lo, windowSamples[i], where);
                Double expected = reference(t, v, lo, hi, from, end, range, fn);
                assertEquals(expected != null, has[i], where);
                if (expected == null) continue;
                expectedCount++;
                windowsCompared++;
                for (int j = lo + 1; j < hi; j++) {
                    if (v[j] < v[j - 1]) {
                        windowsWithResets++;
                        break;
                    }
                }
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(out[i]),
                        where + ": expected " + expected + " got " + out[i]);
            }
            assertEquals(expectedCount, count, "seed=" + seed + " trial=" + trial);
        }
        // The generator must exercise what it is meant to.
        assertTrue(windowsCompared > 10_000, "seed=" + seed + " compared " + windowsCompared);
        assertTrue(windowsWithResets > 100, "seed=" + seed + " windows with resets " + windowsWithResets);
    }

    /**
     * Through the engine, with staleness markers (dropped before range functions) and a series of
     * another name: a range query of rate/increase/delta equals the per-window reference over the
     * same points without the markers, and the counter-name info appears once, for the non-counter name.
     */
    @Test
    void engineRangeQueryMatchesReferenceWithStaleMarkers() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ExtrapolatedRatesTest engine seed=" + seed);
        Random rnd = new Random(seed);
        double stale = Double.longBitsToDouble(Evaluator.STALE_NAN_BITS);
        for (int trial = 0; trial < 40; trial++) {
            InMemoryQueryable q = new InMemoryQueryable();
            Map<Labels, long[]> ts = new HashMap<>();
            Map<Labels, double[]> vs = new HashMap<>();
            for (int s = 0; s < 5; s++) {
                Labels l = Labels.of("__name__", s == 4 ? "gauge" : "m_total", "i", "s" + s);
                List<Double> vl = new ArrayList<>();
                List<long[]> tl = points(rnd, vl);
                List<Long> kt = new ArrayList<>();
                List<Double> kv = new ArrayList<>();
                for (int i = 0; i < tl.size(); i++) {
                    boolean isStale = rnd.nextInt(15) == 0;
                    q.append(l, tl.get(i)[0], isStale ? stale : vl.get(i));
                    if (!isStale) {
                        kt.add(tl.get(i)[0]);
                        kv.add(vl.get(i));
                    }
                }
                ts.put(l, kt.stream().mapToLong(Long::longValue).toArray());
                vs.put(l, kv.stream().mapToDouble(Double::doubleValue).toArray());
            }
            Engine engine = new Engine(q, QueryOptions.defaults());
            long range = 1_000L * (10 + rnd.nextInt(600));
            long step = 1_000L * (1 + rnd.nextInt(120));
            long start = rnd.nextInt(1_200_000);
            long end = start + step * rnd.nextInt(200);
            String fn = FNS[rnd.nextInt(FNS.length)];
            String query = fn + "({__name__=~\".+\"}[" + range + "ms])";
            QueryResult r = engine.rangeQuery(query, start, end, step);
            Map<Labels, SeriesPoints> got = new HashMap<>();
            for (SeriesPoints p : ((Matrix) r.value()).series()) got.put(p.metric(), p);
            for (Labels l : ts.keySet()) {
                long[] t = ts.get(l);
                double[] v = vs.get(l);
                List<Long> et = new ArrayList<>();
                List<Double> ev = new ArrayList<>();
                for (long at = start; at <= end; at += step) {
                    long from = at - range;
                    int lo = 0;
                    while (lo < t.length && t[lo] <= from) lo++;
                    int hi = lo;
                    while (hi < t.length && t[hi] <= at) hi++;
                    Double e = reference(t, v, lo, hi, from, at, range, fn);
                    if (e != null) {
                        et.add(at);
                        ev.add(e);
                    }
                }
                String where = "seed=" + seed + " trial=" + trial + " " + query + " " + l;
                Labels outLabels = l.with("__name__", "");
                SeriesPoints p = got.get(outLabels);
                if (et.isEmpty()) {
                    assertTrue(p == null, where + ": unexpected output");
                    continue;
                }
                assertTrue(p != null, where + ": missing output");
                assertEquals(et.size(), p.size(), where);
                for (int k = 0; k < et.size(); k++) {
                    assertEquals((long) et.get(k), p.timestamps()[k], where);
                    assertEquals(Double.doubleToLongBits(ev.get(k)), Double.doubleToLongBits(p.values()[k]),
                            where + " at " + et.get(k) + ": expected " + ev.get(k) + " got " + p.values()[k]);
                }
            }
            boolean gaugeOutput = got.keySet().stream().anyMatch(x -> x.get("i").equals("s4"));
            long infos = r.infos().stream().filter(x -> x.contains("might not be a counter")).count();
            if (!fn.equals("delta") && gaugeOutput) {
                assertEquals(1, infos, "seed=" + seed + " trial=" + trial + " " + r.infos());
                assertTrue(r.infos().get(0).contains("\"gauge\""), r.infos().toString());
            } else {
                assertEquals(0, infos, "seed=" + seed + " trial=" + trial + " " + r.infos());
            }
        }
    }
}
