package dev.strata.ingest.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.record.MetadataRecord;
import dev.strata.store.model.Labels;
import dev.strata.store.model.MetricMetadata;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Metadata records in a shard's partition: buffered for the flusher, deduplicated, corrupt ones skipped. */
class MetadataConsumeTest {
    static final String TOPIC = "ingest";
    static final int SHARD = 3;
    final TopicPartition tp = new TopicPartition(TOPIC, SHARD);
    final MetricMetadata up = new MetricMetadata("up", "gauge", "", "1 if the target is up.");
    final MetricMetadata requests = new MetricMetadata("requests_total", "counter", "", "Requests.");

    @Test
    void metadataRecordsFillTheBufferBetweenSampleRecords() {
        FakeShard f = new FakeShard();
        MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
        c.updateBeginningOffsets(Map.of(tp, 0L));
        c.updateEndOffsets(Map.of(tp, 0L));
        ShardConsumer sc = new ShardConsumer(ShardConsumerConfig.of(TOPIC, SHARD, 0), c, f, f, new AtomicLong()::get);
        Labels a = Labels.of("__name__", "up");
        byte[] corrupt = new MetadataRecord(SHARD, 1000, List.of(up)).encode();
        corrupt[corrupt.length - 1] ^= 1;
        c.schedulePollTask(() -> {
            c.addRecord(new ConsumerRecord<>(TOPIC, SHARD, 0, null, new MetadataRecord(SHARD, 1000, List.of(up, requests)).encode()));
            c.addRecord(new ConsumerRecord<>(TOPIC, SHARD, 1, null, ShardConsumerTest.record(SHARD, a, new long[] {1000, 1})));
            c.addRecord(new ConsumerRecord<>(TOPIC, SHARD, 2, null, corrupt));
            c.addRecord(new ConsumerRecord<>(TOPIC, SHARD, 3, null, new MetadataRecord(SHARD + 1, 2000, List.of(up)).encode()));
            c.addRecord(new ConsumerRecord<>(TOPIC, SHARD, 4, null, new MetadataRecord(SHARD, 5000, List.of(up)).encode()));
        });
        c.schedulePollTask(sc::stop);
        sc.run();
        assertEquals(Map.of(up, 5000L, requests, 1000L), sc.metadata().pending(), "latest receipt per entry");
        assertEquals(2, sc.stats().corruptRecords(), "the bad checksum and the record of another shard");
        assertEquals(4, sc.appliedOffset());
        assertEquals(1, f.samples.get(f.indexIds.get(a)).size(), "sample records around them are applied as before");
    }

    @Test
    void writtenEntriesAreNotWrittenAgainUntilTheRefreshInterval() {
        MetadataBuffer b = new MetadataBuffer();
        assertTrue(b.offer(up, 1000));
        Map<MetricMetadata, Long> taken = b.pending();
        assertTrue(b.offer(up, 2000), "offered again before the write completed: stays pending");
        b.written(taken);
        assertEquals(Map.of(up, 2000L), b.pending(), "the newer receipt is still to be written");
        b.written(b.pending());
        assertEquals(0, b.pendingCount());
        assertFalse(b.offer(up, 60_000), "a repeat a minute later costs no write");
        assertFalse(b.offer(up, 1500), "an older receipt (a replay) neither");
        assertTrue(b.offer(up, 2000 + MetadataBuffer.REFRESH_MS), "an hour later it is written again");
        assertTrue(b.offer(new MetricMetadata("up", "gauge", "", "changed help"), 70_000), "a changed entry is new");
    }

    @Test
    void aFailedWriteLeavesEntriesPending() {
        MetadataBuffer b = new MetadataBuffer();
        b.offer(up, 1000);
        b.offer(requests, 1000);
        Map<MetricMetadata, Long> taken = b.pending();
        // the flusher's write failed: it never calls written(); the next flush takes them again
        assertEquals(taken, b.pending());
        assertEquals(Arrays.asList(2), List.of(b.pendingCount()));
    }
}
