package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.query.parser.ParseException;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EngineTest {
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    private final InMemoryQueryable store = new InMemoryQueryable();
    private final Engine engine = new Engine(store, QueryOptions.defaults());

    private void series(Labels l, long stepMs, double... values) {
        for (int i = 0; i < values.length; i++) store.append(l, i * stepMs, values[i]);
    }

    private static double only(QueryResult r) {
        List<Sample> s = ((Vector) r.value()).samples();
        assertEquals(1, s.size(), "samples: " + s);
        return s.get(0).value();
    }

    @Test
    void rateExtrapolatesAndHandlesCounterResets() {
        // 0 10 20 5 15 at 1m spacing: increase 20 + 5 (reset) + 10 = 35 over 4m sampled.
        series(Labels.of("__name__", "c_total"), 60_000, 0, 10, 20, 5, 15);
        double inc = only(engine.instantQuery("increase(c_total[5m])", 240_000));
        // Samples span 4m of a 5m window starting at 0 with value 0: no extrapolation to the left
        // beyond zero, half an interval... here durationToZero = 0, so only the 4m are counted.
        assertEquals(35, inc, 1e-9);
        double rate = only(engine.instantQuery("rate(c_total[5m])", 240_000));
        assertEquals(35 / 300.0, rate, 1e-12);
    }

    @Test
    void stalenessMarkerEndsSeries() {
        series(Labels.of("__name__", "g"), 60_000, 1, 2, STALE);
        assertEquals(2, only(engine.instantQuery("g", 90_000)));
        assertTrue(((Vector) engine.instantQuery("g", 150_000).value()).samples().isEmpty());
    }

    @Test
    void lookbackIsFiveMinutesLeftOpen() {
        series(Labels.of("__name__", "g"), 60_000, 7);
        assertEquals(7, only(engine.instantQuery("g", 299_999)));
        assertTrue(((Vector) engine.instantQuery("g", 300_000).value()).samples().isEmpty());
    }

    @Test
    void nonCounterNameGetsInfoAnnotation() {
        series(Labels.of("__name__", "requests"), 60_000, 1, 2, 3);
        QueryResult r = engine.instantQuery("rate(requests[5m])", 120_000);
        assertEquals(List.of("PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"requests\" (1:6)"),
                r.infos());
    }

    @Test
    void holtWintersIsTheOldNameOfDoubleExponentialSmoothingWithAnInfo() {
        series(Labels.of("__name__", "g"), 60_000, 1, 3, 2, 6, 5, 9);
        QueryResult old = engine.instantQuery("holt_winters(g[10m], 0.5, 0.3)", 300_000);
        QueryResult now = engine.instantQuery("double_exponential_smoothing(g[10m], 0.5, 0.3)", 300_000);
        assertEquals(only(now), only(old));
        assertTrue(now.infos().isEmpty(), "infos: " + now.infos());
        assertEquals(List.of("PromQL info: holt_winters is the Prometheus 2.x name of double_exponential_smoothing"
                + " (renamed in Prometheus 3.0); evaluated as double_exponential_smoothing (1:14)"), old.infos());
        assertThrows(QueryException.class, () -> engine.instantQuery("holt_winters(g[10m], 1.5, 0.3)", 300_000));
    }

    @Test
    void tooManySamplesFailsClearly() {
        for (int s = 0; s < 20; s++) series(Labels.of("__name__", "m", "i", "" + s), 1_000, new double[100]);
        Engine small = new Engine(store, QueryOptions.defaults().withMaxSamples(500));
        QueryException e = assertThrows(QueryException.class, () -> small.rangeQuery("m", 0, 99_000, 1_000));
        assertEquals("query processing would load too many samples into memory in query execution", e.getMessage());
        assertEquals("execution", e.errorType());
        assertEquals(20, ((Vector) small.instantQuery("m", 50_000).value()).samples().size());
    }

    @Test
    void interruptedQueryIsCanceled() {
        series(Labels.of("__name__", "m"), 1_000, new double[100]);
        Thread.currentThread().interrupt();
        try {
            QueryException e = assertThrows(QueryException.class, () -> engine.rangeQuery("m", 0, 99_000, 1_000));
            assertEquals("canceled", e.errorType());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void manyToManyMatchingIsAnError() {
        series(Labels.of("__name__", "a", "x", "1"), 60_000, 1);
        series(Labels.of("__name__", "b", "x", "1", "y", "1"), 60_000, 1);
        series(Labels.of("__name__", "b", "x", "1", "y", "2"), 60_000, 1);
        QueryException e = assertThrows(QueryException.class, () -> engine.instantQuery("a + on(x) b", 0));
        assertTrue(e.getMessage().startsWith("found duplicate series for the match group {x=\"1\"} on the right hand-side"),
                e.getMessage());
        Vector ok = (Vector) engine.instantQuery("a + on(x) group_right b", 0).value();
        assertEquals(2, ok.samples().size());
    }

    @Test
    void typedResultsAndErrors() {
        assertInstanceOf(Scalar.class, engine.instantQuery("1 + 1", 0).value());
        assertInstanceOf(StringValue.class, engine.instantQuery("\"x\"", 0).value());
        assertInstanceOf(Matrix.class, engine.rangeQuery("time()", 0, 60_000, 15_000).value());
        ParseException p = assertThrows(ParseException.class, () -> engine.instantQuery("sum(", 0));
        assertEquals(1, p.line());
        QueryException bad = assertThrows(QueryException.class, () -> engine.rangeQuery("m[5m]", 0, 60_000, 15_000));
        assertEquals("bad_data", bad.errorType());
    }

    /**
     * A range query must equal the instant queries at each of its steps (the engine evaluates all
     * steps at once with shared selector data, so this checks the windowing and cursors).
     */
    @Test
    void rangeQueryEqualsInstantQueriesAtEachStep() {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int s = 0; s < 6; s++) {
            Labels l = Labels.of("__name__", "m_total", "job", "j" + (s % 2), "i", "" + s);
            double v = 0;
            for (long t = 0; t < 3_600_000; t += 5_000 + rnd.nextInt(20_000)) {
                if (rnd.nextInt(50) == 0) {
                    store.append(l, t, STALE);
                    continue;
                }
                v = rnd.nextInt(30) == 0 ? rnd.nextInt(5) : v + rnd.nextInt(10);
                store.append(l, t, v);
            }
        }
        String[] queries = {
            "m_total", "rate(m_total[5m])", "sum by (job) (increase(m_total[10m]))", "max_over_time(m_total[3m] offset 1m)",
            "m_total - on(i) group_left m_total offset 5m", "topk(2, m_total)", "deriv(m_total[10m])",
            "avg_over_time(rate(m_total[2m])[10m:1m])", "changes(m_total[15m]) > 3", "quantile(0.5, m_total) * 2",
            "absent(nonexistent)", "count_values(\"v\", round(m_total / 100))", "m_total @ 1800", "resets(m_total[20m])",
        };
        long start = 600_000, end = 3_000_000, step = 37_000;
        for (String q : queries) {
            Matrix m = (Matrix) engine.rangeQuery(q, start, end, step).value();
            Map<Labels, Map<Long, Double>> byLabels = new HashMap<>();
            for (SeriesPoints sp : m.series()) {
                Map<Long, Double> pts = new HashMap<>();
                for (int i = 0; i < sp.size(); i++) pts.put(sp.timestamps()[i], sp.values()[i]);
                byLabels.put(sp.metric(), pts);
            }
            for (long t = start; t <= end; t += step) {
                Vector v = (Vector) engine.instantQuery(q, t).value();
                int inRange = 0;
                for (Map<Long, Double> pts : byLabels.values()) if (pts.containsKey(t)) inRange++;
                assertEquals(v.samples().size(), inRange, "seed=" + seed + " query=" + q + " t=" + t);
                for (Sample s : v.samples()) {
                    Double r = byLabels.getOrDefault(s.metric(), Map.of()).get(t);
                    assertTrue(r != null && (r.equals(s.value()) || Math.abs(r - s.value()) <= 1e-9 * Math.abs(r)),
                            "seed=" + seed + " query=" + q + " t=" + t + " " + s + " range=" + r);
                }
            }
        }
    }
}
