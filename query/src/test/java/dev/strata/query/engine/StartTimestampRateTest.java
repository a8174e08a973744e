package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.ShardIndex;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Start timestamps from the real store (sealed chunks with the ST column, then the write buffer) into
 * rate/increase/irate/resets. The promqltest scripts cover the arithmetic over the buffer path; this
 * covers the chunk path and the rules themselves.
 */
class StartTimestampRateTest {
    private static final long MIN = 60_000;
    private final ShardIndex index = ShardIndex.inMemory(0);
    // Small chunks and no out-of-order window: most samples are read back from sealed chunks.
    private final MemShard memory = new MemShard(0, MemShardOptions.defaults().withChunking(3_600_000L, 7).withOutOfOrderWindowMs(0));
    private final Engine engine = new Engine(new LocalShardsQueryable(List.of(new LocalShardsQueryable.Shard(index, memory))),
            QueryOptions.defaults().withUseStartTimestamps(true));

    @AfterEach
    void close() throws Exception {
        index.close();
    }

    private void append(Labels l, long t, long st, double v) {
        int id = index.addSeries(l, t);
        memory.createSeries(id, l);
        memory.append(id, t, st, v);
        index.updateLastSampleTime(id, t);
    }

    private double only(String q, long t) {
        List<Sample> s = ((Vector) engine.instantQuery(q, t).value()).samples();
        assertEquals(1, s.size(), q + ": " + s);
        return s.get(0).value();
    }

    @Test
    void startTimestampsAreIgnoredUnlessTheQueryUsesThem() {
        // Stock Prometheus (use-start-timestamps off): the same data reads as a flat gauge.
        Engine stock = new Engine(new LocalShardsQueryable(List.of(new LocalShardsQueryable.Shard(index, memory))),
                QueryOptions.defaults());
        Labels l = Labels.of("__name__", "requests_total");
        for (int i = 1; i <= 60; i++) append(l, i * MIN, (i - 1) * MIN, 60);
        assertEquals(300, only("increase(requests_total[5m])", 30 * MIN), 1e-9);
        List<Sample> ignored = ((Vector) stock.instantQuery("increase(requests_total[5m])", 30 * MIN).value()).samples();
        assertEquals(0, ignored.get(0).value(), 1e-9);
        assertEquals(0, ((Vector) stock.instantQuery("resets(requests_total[5m])", 30 * MIN).value()).samples().get(0).value());
        assertEquals(29 * 60, only("start_timestamp(requests_total)", 30 * MIN), 1e-9);
        assertTrue(((Vector) stock.instantQuery("start_timestamp(requests_total)", 30 * MIN).value()).samples().isEmpty());
    }

    @Test
    void deltaSeriesRateComesFromStartTimestampResets() {
        // OTel delta temporality: 60 per minute, each sample's ST is the previous sample's time.
        Labels l = Labels.of("__name__", "requests_total");
        for (int i = 1; i <= 60; i++) append(l, i * MIN, (i - 1) * MIN, 60);
        assertTrue(memory.chunks(0).size() >= 5, "read from sealed chunks");
        assertEquals(300, only("increase(requests_total[5m])", 30 * MIN), 1e-9);
        assertEquals(1, only("rate(requests_total[5m])", 30 * MIN), 1e-12);
        assertEquals(1, only("irate(requests_total[5m])", 30 * MIN), 1e-12);
        assertEquals(4, only("resets(requests_total[5m])", 30 * MIN));
        // A subquery drops start timestamps: the deltas look like a flat gauge.
        assertEquals(0, only("increase(requests_total[5m:1m])", 30 * MIN), 1e-9);
    }

    @Test
    void cumulativeRestartWithHigherValueIsAResetOnlyByStartTimestamp() {
        // A counter restarts at 20m30s and has already passed its old value at the next scrape.
        Labels l = Labels.of("__name__", "jobs_total");
        for (int i = 1; i <= 40; i++) {
            boolean restarted = i > 20;
            double v = restarted ? 1000 + (i - 21) * 10 : i * 10;
            append(l, i * MIN, restarted ? 20 * MIN + 30_000 : 1, v);
        }
        // Window (18m-1ms, 23m]: 180 .. 200, reset at 21m (the value rose: only the ST shows it), 1000 .. 1020.
        assertEquals(20 + 200 + 1020 - 200, only("increase(jobs_total[5m1ms])", 23 * MIN), 0.01);
        assertEquals(1, only("resets(jobs_total[5m])", 23 * MIN));
        assertEquals(1000 / 60.0, only("irate(jobs_total[2m])", 21 * MIN), 1e-9);
        // In-window ST: the counter counts from 0 at 20m30s, no extrapolation to the left.
        assertEquals(1000 + 20, only("increase(jobs_total[3m])", 23 * MIN), 1e-9);
    }

    @Test
    void startTimestampFunctionReportsTheSelectedSamplesStart() {
        Labels a = Labels.of("__name__", "series", "case", "a");
        append(a, 10_000, 10_001, 10); // after its own sample: reported as is
        append(a, 20_000, 0, 20);      // unknown: 0
        append(a, 30_000, 29_000, 30);
        QueryResult r = engine.rangeQuery("start_timestamp(series)", 0, 40_000, 10_000);
        List<SeriesPoints> m = ((Matrix) r.value()).series();
        assertEquals(1, m.size());
        assertEquals(Labels.of("case", "a"), m.get(0).metric());
        assertEquals(List.of(10.001, 0.0, 29.0, 29.0), java.util.Arrays.stream(m.get(0).values()).boxed().toList());
        assertTrue(((Matrix) engine.rangeQuery("start_timestamp(series * 1)", 0, 40_000, 10_000).value()).series().isEmpty());
    }

    @Test
    void rules() {
        // unknown or not before its own sample: never a reset
        assertFalse(StartTimestamps.isReset(0, 1000, 0, 2000));
        assertFalse(StartTimestamps.isReset(0, 1000, 2000, 2000));
        assertFalse(StartTimestamps.isReset(0, 1000, 2500, 2000));
        // after the previous sample: reset; before it: not (an overlap instead)
        assertTrue(StartTimestamps.isReset(500, 1000, 1001, 2000));
        assertFalse(StartTimestamps.isReset(500, 1000, 999, 2000));
        assertTrue(StartTimestamps.overlaps(500, 1000, 999));
        assertFalse(StartTimestamps.overlaps(999, 1000, 999));
        // at the previous sample: a delta only if the previous ST was valid
        assertTrue(StartTimestamps.isReset(500, 1000, 1000, 2000));
        assertFalse(StartTimestamps.isReset(0, 1000, 1000, 2000));
        assertFalse(StartTimestamps.isReset(1000, 1000, 1000, 2000));
        assertFalse(StartTimestamps.isReset(3000, 1000, 1000, 2000));
        // zero at an ST strictly inside the window and before the sample
        assertTrue(StartTimestamps.startsInside(1500, 2000, 1000));
        assertFalse(StartTimestamps.startsInside(1000, 2000, 1000));
        assertFalse(StartTimestamps.startsInside(2000, 2000, 1000));
        assertFalse(StartTimestamps.startsInside(0, 2000, -5000));
    }

    @Test
    void overlappingStartTimestampsWarn() {
        Labels l = Labels.of("__name__", "c_total");
        for (int i = 1; i <= 5; i++) append(l, i * MIN, (i - 2) * MIN + 1, i * 60);
        QueryResult r = engine.instantQuery("rate(c_total[3m])", 5 * MIN);
        assertEquals(List.of("PromQL warning: sample has start time that overlaps with previous sample timestamp for metric \"c_total\" (1:6)"),
                r.warnings());
    }
}
