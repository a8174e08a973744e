package dev.strata.store.selfmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
    @Test
    void namesAreChecked() {
        MetricsRegistry r = new MetricsRegistry();
        assertThrows(IllegalArgumentException.class, () -> r.counter("strata_events", "no _total"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("1bad", "h"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("has-dash", "h"));
        assertThrows(IllegalArgumentException.class, () -> r.gaugeFamily("ok", "h", "__reserved"));
        assertThrows(IllegalArgumentException.class, () -> r.gaugeFamily("ok2", "h", "a", "a"));
        assertThrows(IllegalArgumentException.class, () -> r.histogramFamily("ok3", "h", new double[] {1}, "le"));
        assertThrows(IllegalArgumentException.class, () -> r.histogram("ok4", "h", 2, 1));
        assertThrows(IllegalArgumentException.class, () -> r.histogram("ok5", "h"));
        r.gauge("taken", "h");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.gauge("taken", "h"));
        assertEquals("metric taken is already registered", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.register(out -> { }, List.of("taken")));
    }

    @Test
    void countersNeverGoDown() {
        Counter c = new MetricsRegistry().counter("c_total", "h");
        assertThrows(IllegalArgumentException.class, () -> c.inc(-1));
        assertThrows(IllegalArgumentException.class, () -> c.inc(-0.5));
        assertThrows(IllegalArgumentException.class, () -> c.inc(Double.NaN));
        c.inc(0.5);
        c.inc(2);
        assertEquals(2.5, c.value());
    }

    @Test
    void familyChecksLabelCount() {
        Family<Counter> f = new MetricsRegistry().counterFamily("f_total", "h", "a", "b");
        assertThrows(IllegalArgumentException.class, () -> f.labels("x"));
        assertThrows(IllegalArgumentException.class, () -> f.labels("x", null));
        f.labels("x", "y").inc();
        assertTrue(f.labels("x", "y").value() == 1);
        f.remove("x", "y");
        assertEquals(0, f.labels("x", "y").value());
    }

    @Test
    void histogramBucketsAreInclusiveUpperBounds() {
        MetricsRegistry r = new MetricsRegistry();
        Histogram g = r.histogram("g_seconds", "h", 1, 2, 3);
        for (double v : new double[] {0, 1, 1.5, 2, 3, 3.0001, -5}) {
            g.observe(v);
        }
        assertEquals(7, g.count());
        assertEquals(5.5001, g.sum(), 1e-9);
        String s = r.scrape();
        assertTrue(s.contains("g_seconds_bucket{le=\"1\"} 3\n"), s);
        assertTrue(s.contains("g_seconds_bucket{le=\"2\"} 5\n"), s);
        assertTrue(s.contains("g_seconds_bucket{le=\"3\"} 6\n"), s);
        assertTrue(s.contains("g_seconds_bucket{le=\"+Inf\"} 7\n"), s);
        assertTrue(s.contains("g_seconds_count 7\n"), s);
    }

    @Test
    void concurrentIncrementsAreAllCounted() throws Exception {
        MetricsRegistry r = new MetricsRegistry();
        Counter c = r.counter("c_total", "h");
        Gauge g = r.gauge("g", "h");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 100_000; i++) {
                    c.inc();
                    g.add(1);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(400_000, c.value());
        assertEquals(400_000, g.value());
    }
}
