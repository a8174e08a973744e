package dev.strata.ingest.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.ingest.record.ShardRecordFormat;
import dev.strata.ingest.record.ShardRecordReader;
import dev.strata.store.sharding.ShardMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start timestamps from a decoded write batch into shard records (version 2 only when needed). */
class ShardedEncoderStartTimestampTest {
    private static void series(WriteBatch b, String name, long[] ts, long[] st) {
        b.beginSeries();
        int n = b.appendString("__name__");
        int v = b.appendString(name);
        b.addLabel(n, 8, v, name.length());
        for (int i = 0; i < ts.length; i++) b.addSample(ts[i], st == null ? 0 : st[i], i);
        b.endSeries();
    }

    private static Map<String, Map<Long, Long>> read(List<ShardedEncoder.ShardRecord> records, int expectedVersion) {
        Map<String, Map<Long, Long>> out = new HashMap<>();
        ShardRecordReader r = new ShardRecordReader();
        for (ShardedEncoder.ShardRecord rec : records) {
            r.reset(rec.value(), 0, rec.value().length);
            assertEquals(expectedVersion, r.version());
            while (r.nextSeries()) {
                Map<Long, Long> m = out.computeIfAbsent(r.labelValue(0), k -> new HashMap<>());
                while (r.nextSample()) m.put(r.timestamp(), r.startTimestamp());
            }
        }
        return out;
    }

    @Test
    void recordsCarryStartTimestampsOnlyWhenTheBatchHasThem() {
        ShardedEncoder enc = new ShardedEncoder(ShardMapper.byMetricName(4, 1), 1 << 20);
        WriteBatch b = new WriteBatch();
        b.reset();
        series(b, "plain_total", new long[] {1000, 2000}, null);
        series(b, "created_total", new long[] {1000, 2000}, new long[] {400, 0});
        Map<String, Map<Long, Long>> got = read(enc.encode(b), ShardRecordFormat.VERSION_2);
        assertEquals(Map.of(1000L, 0L, 2000L, 0L), got.get("plain_total"));
        assertEquals(Map.of(1000L, 400L, 2000L, 0L), got.get("created_total"));

        b.reset();
        series(b, "plain_total", new long[] {3000}, null);
        Map<String, Map<Long, Long>> v1 = read(enc.encode(b), ShardRecordFormat.VERSION_1);
        assertTrue(v1.containsKey("plain_total"));
    }
}
