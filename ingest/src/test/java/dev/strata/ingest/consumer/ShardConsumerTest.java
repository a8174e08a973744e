package dev.strata.ingest.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.ingest.status.ShardStatusHandler;
import dev.strata.store.memstore.MemShard;
import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.model.Labels;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ShardConsumerTest {
    static final String TOPIC = "ingest";
    static final int SHARD = 3;
    final TopicPartition tp = new TopicPartition(TOPIC, SHARD);
    final AtomicLong nanos = new AtomicLong();

    static byte[] record(int shard, Object... seriesAndSamples) {
        // pairs: Labels, long[]{ts, v-as-long, ts, v, ...}
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(shard);
        for (int i = 0; i < seriesAndSamples.length; i += 2) {
            Labels l = (Labels) seriesAndSamples[i];
            long[] tv = (long[]) seriesAndSamples[i + 1];
            w.beginSeries(l.hash(), l.size(), tv.length / 2);
            for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
            for (int k = 0; k < tv.length; k += 2) w.sample(tv[k], tv[k + 1]);
            w.endSeries();
        }
        return w.finish();
    }

    @Test
    void startTimestampsFromVersion2RecordsReachTheStore() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        Labels a = Labels.of("__name__", "a_total");
        Labels b = Labels.of("__name__", "b_total");
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(SHARD, true);
        w.beginSeries(a.hash(), a.size(), 2, true);
        w.label("__name__", "a_total");
        w.sample(1000, 500, 1);
        w.sample(2000, 0, 2); // unknown start timestamp
        w.endSeries();
        w.beginSeries(b.hash(), b.size(), 1, false);
        w.label("__name__", "b_total");
        w.sample(1000, 3);
        w.endSeries();
        byte[] rec = w.finish();
        c.schedulePollTask(() -> add(c, 0, rec));
        c.schedulePollTask(sc::stop);
        sc.run();
        assertEquals(Map.of(1000L, 500L), f.startTimestamps.get(f.indexIds.get(a)));
        assertEquals(2, f.samples.get(f.indexIds.get(a)).size());
        assertEquals(null, f.startTimestamps.get(f.indexIds.get(b)));
        assertEquals(1, f.samples.get(f.indexIds.get(b)).size());
    }

    MockConsumer<byte[], byte[]> mock() {
        MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
        c.updateBeginningOffsets(Map.of(tp, 0L));
        c.updateEndOffsets(Map.of(tp, 0L));
        return c;
    }

    ShardConsumer consumer(MockConsumer<byte[], byte[]> c, FakeShard f, long start) {
        return new ShardConsumer(ShardConsumerConfig.of(TOPIC, SHARD, start), c, f, f, nanos::get);
    }

    void add(MockConsumer<byte[], byte[]> c, long offset, byte[] value) {
        c.addRecord(new ConsumerRecord<>(TOPIC, SHARD, offset, null, value));
    }

    @Test
    void replaySkipsDurableSamplesPerSeriesAndStillAdvancesTheStoresDataTime() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        Labels a = Labels.of("__name__", "up", "job", "a");
        Labels b = Labels.of("__name__", "up", "job", "b");
        // a's samples are durable up to offset 1, b's nowhere
        ReplayFilter filter = (offset, hash) -> hash == a.hash() && offset <= 1;
        ShardConsumer sc = new ShardConsumer(ShardConsumerConfig.of(TOPIC, SHARD, 0), c, f, f, nanos::get, new Replay(3, filter));
        c.schedulePollTask(() -> {
            add(c, 0, record(SHARD, a, new long[] {1000, 1, 2000, 2}, b, new long[] {1000, 7}));
            add(c, 1, record(SHARD, b, new long[] {2000, 8}, a, new long[] {5000, 3, 4000, 4}));
            add(c, 2, record(SHARD, a, new long[] {6000, 5}, b, new long[] {3000, 9}));
        });
        c.schedulePollTask(sc::stop);
        sc.run();
        int ida = f.indexIds.get(a), idb = f.indexIds.get(b);
        assertEquals(a, f.storeSeries.get(ida), "a skipped series is still created");
        assertEquals(List.of(new FakeShard.Sample(6000, 5)), f.samples.get(ida));
        assertEquals(List.of(new FakeShard.Sample(1000, 7), new FakeShard.Sample(2000, 8), new FakeShard.Sample(3000, 9)),
                f.samples.get(idb));
        assertEquals(5000L, f.observedTimestamp, "newest skipped timestamp");
        assertEquals(4, sc.stats().replaySkippedSamples());
        assertEquals(4, sc.stats().samplesTotal());
        assertTrue(sc.stats().ready());
    }

    /**
     * Which series memory may answer alone (MemShard.holdsEverySample, so queries skip storage; issue 18's
     * slow first answer): one the index has just created, not one it already knew (storage may hold older
     * samples) nor one whose samples a replay skipped as durable.
     */
    @Test
    void onlySeriesNewToTheIndexWithNothingSkippedAreHeldWholeInMemory() {
        FakeShard index = new FakeShard();
        MemShard memory = new MemShard(SHARD, MemShardOptions.defaults());
        MockConsumer<byte[], byte[]> c = mock();
        Labels fresh = Labels.of("__name__", "up", "job", "fresh");
        Labels skipped = Labels.of("__name__", "up", "job", "skipped");
        Labels known = Labels.of("__name__", "up", "job", "known");
        index.addSeries(known, 500); // in the index before this run: chunks of it may be in storage
        ReplayFilter filter = (offset, hash) -> hash == skipped.hash() && offset == 0;
        ShardConsumer sc = new ShardConsumer(ShardConsumerConfig.of(TOPIC, SHARD, 0), c, new MemShardStore(memory), index, nanos::get,
                new Replay(2, filter));
        c.schedulePollTask(() -> {
            add(c, 0, record(SHARD, fresh, new long[] {1000, 1}, skipped, new long[] {1000, 2}, known, new long[] {1000, 3}));
            add(c, 1, record(SHARD, fresh, new long[] {2000, 4}, skipped, new long[] {2000, 5}, known, new long[] {2000, 6}));
        });
        c.schedulePollTask(sc::stop);
        sc.run();
        assertEquals(6 - 1, sc.stats().samplesTotal());
        assertTrue(memory.holdsEverySample(index.indexIds.get(fresh)), "created by the index in this run, nothing skipped");
        assertFalse(memory.holdsEverySample(index.indexIds.get(skipped)), "its first sample is only in storage");
        assertFalse(memory.holdsEverySample(index.indexIds.get(known)), "the index knew it: storage may hold older samples");
    }

    @Test
    void samplesGoToTheStoreWithExactTimestampsAndValues() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        Labels a = Labels.of("__name__", "up", "job", "a");
        Labels b = Labels.of("__name__", "up", "job", "b");
        c.schedulePollTask(() -> {
            c.assign(List.of(tp)); // already assigned by the loop; harmless
            add(c, 0, record(SHARD, a, new long[] {1000, 1, 2000, 2}, b, new long[] {1000, 7}));
            add(c, 1, record(SHARD, a, new long[] {3000, 3, 2000, 9, 3000, 4}));
        });
        c.schedulePollTask(sc::stop);
        sc.run();
        int ida = f.indexIds.get(a), idb = f.indexIds.get(b);
        assertEquals(List.of(new FakeShard.Sample(1000, 1), new FakeShard.Sample(2000, 2), new FakeShard.Sample(3000, 3)), f.samples.get(ida));
        assertEquals(List.of(new FakeShard.Sample(1000, 7)), f.samples.get(idb));
        assertEquals(a, f.storeSeries.get(ida));
        assertEquals(1000L, f.firstSampleTime.get(ida));
        assertEquals(3000L, f.lastSampleTime.get(ida));
        ShardConsumerStats s = sc.stats();
        assertEquals(4, s.samplesTotal());
        assertEquals(Map.of("duplicate", 1L, "out_of_order_too_old", 1L), s.rejected());
        assertEquals(2, s.recordsTotal());
        assertEquals(2, s.position());
        assertEquals(1, s.lastOffset());
        assertEquals(2, s.seriesCreated());
        assertEquals(2, f.indexLookups, "the second record's series came from the in-memory cache");
        assertFalse(s.running());
    }

    @Test
    void seriesKnownToTheIndexButNotTheStoreAreRecreatedUnderTheirId() {
        FakeShard f = new FakeShard();
        Labels a = Labels.of("__name__", "up");
        f.indexIds.put(Labels.of("__name__", "other"), 0);
        f.indexIds.put(a, 1);
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 5);
        c.schedulePollTask(() -> add(c, 5, record(SHARD, a, new long[] {10, 1})));
        c.schedulePollTask(sc::stop);
        sc.run();
        assertEquals(a, f.storeSeries.get(1));
        assertEquals(0, sc.stats().seriesCreated());
        assertEquals(6, sc.stats().position());
    }

    @Test
    void corruptRecordsAreCountedAndSkipped() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        byte[] good = record(SHARD, Labels.of("__name__", "up"), new long[] {10, 1});
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        c.schedulePollTask(() -> {
            add(c, 0, bad);
            add(c, 1, record(SHARD + 1, Labels.of("__name__", "x"), new long[] {10, 1}));
            add(c, 2, good);
        });
        c.schedulePollTask(sc::stop);
        sc.run();
        assertEquals(2, sc.stats().corruptRecords());
        assertTrue(sc.stats().lastError().contains("offset 1"), sc.stats().lastError());
        assertEquals(1, sc.stats().samplesTotal());
        assertEquals(3, sc.stats().position());
    }

    @Test
    void aRecordIsAppliedWholeOrNotAtAll() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        Labels a = Labels.of("__name__", "up", "job", "a");
        Labels b = Labels.of("__name__", "up", "job", "b");
        // Record 0: two good entries, then a third whose label list names "job" twice; the checksum covers
        // it, so only applying can find it.
        ShardRecordWriter w = new ShardRecordWriter();
        w.reset(SHARD);
        for (Labels l : List.of(a, b)) {
            w.beginSeries(l.hash(), l.size(), 1);
            for (int k = 0; k < l.size(); k++) w.label(l.name(k), l.value(k));
            w.sample(1000, 1);
            w.endSeries();
        }
        w.beginSeries(Labels.of("__name__", "up", "job", "c").hash(), 3, 1);
        w.label("__name__", "up");
        w.label("job", "c");
        w.label("job", "d");
        w.sample(1000, 1);
        w.endSeries();
        byte[] invalidThird = w.finish();
        // Record 1: a good entry, then one whose hash does not match its labels.
        w.reset(SHARD);
        w.beginSeries(a.hash(), a.size(), 1);
        for (int k = 0; k < a.size(); k++) w.label(a.name(k), a.value(k));
        w.sample(2000, 2);
        w.endSeries();
        w.beginSeries(a.hash() + 1, b.size(), 1);
        for (int k = 0; k < b.size(); k++) w.label(b.name(k), b.value(k));
        w.sample(2000, 2);
        w.endSeries();
        byte[] wrongHash = w.finish();
        c.schedulePollTask(() -> {
            add(c, 0, invalidThird);
            add(c, 1, wrongHash);
            add(c, 2, record(SHARD, a, new long[] {3000, 3}));
        });
        c.schedulePollTask(sc::stop);
        sc.run();
        assertEquals(2, sc.stats().corruptRecords());
        assertTrue(sc.stats().lastError().contains("offset 1"), sc.stats().lastError());
        assertEquals(1, f.indexIds.size(), "no series of a skipped record reached the index: " + f.indexIds);
        assertEquals(List.of(new FakeShard.Sample(3000, 3)), f.samples.get(f.indexIds.get(a)), "nothing of the skipped records stored");
        assertEquals(1, sc.stats().samplesTotal());
        assertEquals(3, sc.stats().position());
    }

    @Test
    void oldestUnflushedTimestampIsTheRecordAfterTheFlushedOffset() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        AtomicLong flushed = new AtomicLong(-1);
        sc.flushedThrough(flushed::get);
        c.assign(List.of(tp));
        c.seek(tp, 0);
        Labels a = Labels.of("__name__", "up");
        addAt(c, 0, 5000, record(SHARD, a, new long[] {10, 1}));
        addAt(c, 1, 6000, record(SHARD, a, new long[] {20, 1}));
        sc.pollOnce();
        assertEquals(5000, sc.stats().oldestUnflushedTimestampMs(), "nothing durable: the first record");
        assertEquals(3.0, sc.stats().oldestUnflushedAgeSeconds(8000));
        addAt(c, 2, 7000, record(SHARD, a, new long[] {30, 1}));
        sc.pollOnce();
        flushed.set(1);
        sc.pollOnce();
        assertEquals(7000, sc.stats().oldestUnflushedTimestampMs(), "offsets 0 and 1 durable: offset 2's batch");
        flushed.set(2);
        sc.pollOnce();
        assertEquals(-1, sc.stats().oldestUnflushedTimestampMs(), "all durable");
        assertEquals(0.0, sc.stats().oldestUnflushedAgeSeconds(8000));
    }

    @Test
    void aShardPausedWithNothingLeftToFlushIsReportedStuckAndItsBacklogAgeIsAtRisk() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        AtomicLong flushed = new AtomicLong(-1);
        sc.flushedThrough(flushed::get);
        c.assign(List.of(tp));
        c.seek(tp, 0);
        addAt(c, 0, 1_000, record(SHARD, Labels.of("__name__", "up"), new long[] {10, 1}));
        sc.pollOnce();
        f.pressure = true;
        sc.pollOnce();
        nanos.addAndGet(60_000_000_000L);
        sc.pollOnce();
        assertFalse(sc.stats().stuck(), "offset 0 is not durable yet: a flush can still free memory");
        flushed.set(0);
        sc.pollOnce();
        nanos.addAndGet(31_000_000_000L);
        sc.pollOnce();
        assertTrue(sc.stats().stuck(), "paused with nothing to flush for 30 s");
        assertTrue(sc.stats().lastError().contains("store.memory-budget-per-shard"), sc.stats().lastError());
        assertEquals(0, sc.stats().atRiskAgeMs(61_000), "nothing waiting in Kafka");
        c.updateEndOffsets(Map.of(tp, 3L));
        nanos.addAndGet(6_000_000_000L); // past the 5 s end-offset refresh
        sc.pollOnce();
        assertEquals(60_000, sc.stats().atRiskAgeMs(61_000), "records wait unread behind the last applied one (ts 1000)");
        f.pressure = false;
        sc.pollOnce();
        assertFalse(sc.stats().stuck());
    }

    @Test
    void pausesWhileTheStoreAsksForBackPressure() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        c.assign(List.of(tp));
        c.seek(tp, 0);
        f.pressure = true;
        add(c, 0, record(SHARD, Labels.of("__name__", "up"), new long[] {10, 1}));
        sc.pollOnce();
        assertTrue(c.paused().contains(tp));
        assertTrue(sc.stats().paused());
        assertEquals(0, sc.stats().samplesTotal(), "nothing consumed while paused");
        // records pile up in Kafka while paused: the lag says so
        c.updateEndOffsets(Map.of(tp, 5L));
        nanos.addAndGet(6_000_000_000L); // past the 5 s end-offset refresh
        sc.pollOnce();
        assertEquals(5, sc.stats().lag(), "lag from the broker's end offset while paused");
        f.pressure = false;
        sc.pollOnce();
        assertFalse(c.paused().contains(tp));
        assertEquals(1, sc.stats().samplesTotal());
    }

    @Test
    void lagRateAndStatusJson() throws Exception {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        c.assign(List.of(tp));
        c.seek(tp, 0);
        for (int i = 0; i < 4; i++) add(c, i, record(SHARD, Labels.of("__name__", "m" + i), new long[] {10, 1, 20, 2}));
        c.updateEndOffsets(Map.of(tp, 10L));
        nanos.set(2_000_000_000L);
        sc.pollOnce();
        ShardConsumerStats s = sc.stats();
        assertEquals(4, s.position());
        assertEquals(6, s.lag());
        assertEquals(10, s.endOffset());
        assertEquals(4.0, s.samplesPerSecond(), 1e-9, "8 samples in 2 s");
        assertEquals(4, s.seriesCount());
        // records without a Kafka timestamp: lag in time unknown
        String json = ShardStatusHandler.render(List.of(s), Map.of(3, "running"), 1_700_000_000_000L);
        assertTrue(json.startsWith("{\"status\":\"success\",\"data\":{\"shards\":[{\"shard\":3,\"state\":\"running\",\"topic\":\"ingest\",\"running\":false,\"paused\":false,\"stuck\":false,\"position\":4,\"lastOffset\":3,\"endOffset\":10,\"lag\":6,\"lagSeconds\":-1,\"oldestUnflushedAgeSeconds\":0,\"samplesPerSecond\":4,\"samplesTotal\":8,"), json);
        assertTrue(json.endsWith("\"rejected\":{},\"rejectedTotal\":0,\"lastError\":\"\"}]}}"), json);
    }

    @Test
    void lagInSecondsIsTheAgeOfTheLastAppliedRecordWhileBehindAndZeroOnceCaughtUp() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        c.assign(List.of(tp));
        c.seek(tp, 0);
        ShardConsumerStats s = sc.stats();
        long t0 = 1_700_000_000_000L;
        assertEquals(-1, s.lagSeconds(t0), "unknown before the first poll");
        // offsets 0..2 written at t0, t0+1 s, t0+2 s; the log already ends at 5
        for (int i = 0; i < 3; i++) {
            addAt(c, i, t0 + 1000L * i, record(SHARD, Labels.of("__name__", "m" + i), new long[] {10, 1}));
        }
        c.updateEndOffsets(Map.of(tp, 5L));
        sc.pollOnce();
        assertEquals(2, s.lag());
        assertEquals(t0 + 2000, s.lastRecordTimestampMs());
        long now = t0 + 12_345;
        assertEquals(10.345, s.lagSeconds(now), 1e-9, "now minus the last applied record's Kafka timestamp");
        String json = ShardStatusHandler.render(List.of(s), Map.of(), now);
        assertTrue(json.contains("\"lag\":2,\"lagSeconds\":10.3,"), json);
        // a poll that brings no record keeps the timestamp: the lag in time grows with the clock
        sc.pollOnce();
        assertEquals(20.345, s.lagSeconds(now + 10_000), 1e-9);
        // caught up: 0 however old the last record is
        addAt(c, 3, t0 + 3000, record(SHARD, Labels.of("__name__", "m3"), new long[] {10, 1}));
        addAt(c, 4, t0 + 4000, record(SHARD, Labels.of("__name__", "m4"), new long[] {10, 1}));
        sc.pollOnce();
        assertEquals(0, s.lag());
        assertEquals(t0 + 4000, s.lastRecordTimestampMs());
        assertEquals(0, s.lagSeconds(now + 60_000));
        assertTrue(ShardStatusHandler.render(List.of(s), Map.of(), now).contains("\"lag\":0,\"lagSeconds\":0,"));
    }

    void addAt(MockConsumer<byte[], byte[]> c, long offset, long timestampMs, byte[] value) {
        c.addRecord(new ConsumerRecord<>(TOPIC, SHARD, offset, timestampMs, TimestampType.CREATE_TIME, 0, value.length,
                null, value, new RecordHeaders(), Optional.empty()));
    }

    @Test
    void runsOnANamedThreadAndStops() throws Exception {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = mock();
        ShardConsumer sc = consumer(c, f, 0);
        // Written by the consumer's thread, read by the test's: the future publishes it safely.
        CompletableFuture<String> threadName = new CompletableFuture<>();
        c.schedulePollTask(() -> threadName.complete(Thread.currentThread().getName()));
        try (ShardConsumers all = new ShardConsumers()) {
            CompletableFuture<Void> done = all.start(sc);
            assertEquals("strata-ingest-shard-3", threadName.get(30, TimeUnit.SECONDS));
            assertEquals(1, all.stats().size());
            all.stop(SHARD, 5000);
            done.get(5, TimeUnit.SECONDS);
        }
    }
}
