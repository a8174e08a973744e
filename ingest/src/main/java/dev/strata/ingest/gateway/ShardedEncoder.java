package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.ingest.sharding.BatchHasher;
import dev.strata.store.sharding.ShardMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a validated {@link WriteBatch} by shard and encodes one record per shard (several when a
 * shard's part exceeds {@code maxRecordBytes}). Reuses its buffers; not thread safe: one per thread.
 */
public final class ShardedEncoder {
    /** An encoded record and the shard (= partition) it goes to. */
    public record ShardRecord(int shard, byte[] value) {}

    private final ShardMapper mapper;
    private final int maxRecordBytes;
    private final BatchHasher hasher;
    private final ShardRecordWriter writer = new ShardRecordWriter();
    private int[] shardOf = new int[1024];
    private long[] hashOf = new long[1024];
    private int[] order = new int[1024];
    private int[] counts;

    public ShardedEncoder(ShardMapper mapper, int maxRecordBytes) {
        this.mapper = mapper;
        this.maxRecordBytes = maxRecordBytes;
        this.hasher = new BatchHasher(mapper.shardKeyNames());
        this.counts = new int[mapper.numShards() + 1];
    }

    private static boolean hasStartTimestamps(WriteBatch b, int s) {
        for (int k = b.sampleStart(s), e = k + b.sampleCount(s); k < e; k++) if (b.startTimestamp(k) != 0) return true;
        return false;
    }

    /** Encodes the series with at least one sample; series without samples are skipped. */
    public List<ShardRecord> encode(WriteBatch b) {
        int n = b.seriesCount();
        if (shardOf.length < n) {
            shardOf = new int[n];
            hashOf = new long[n];
            order = new int[n];
        }
        Arrays.fill(counts, 0);
        for (int s = 0; s < n; s++) {
            hasher.hash(b, s);
            int shard = mapper.shard(hasher.keyHash(), hasher.fullHash());
            shardOf[s] = shard;
            hashOf[s] = hasher.fullHash();
            counts[shard + 1]++;
        }
        // Counting sort of series by shard (stable: request order kept within a shard).
        for (int i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
        for (int s = 0; s < n; s++) order[counts[shardOf[s]]++] = s;
        List<ShardRecord> out = new ArrayList<>();
        byte[] bytes = b.bytes();
        int i = 0;
        while (i < n) {
            int shard = shardOf[order[i]];
            boolean withStart = b.hasStartTimestamps();
            writer.reset(shard, withStart);
            for (; i < n && shardOf[order[i]] == shard; i++) {
                int s = order[i];
                int samples = b.sampleCount(s);
                if (samples == 0) continue;
                int labels = b.labelCount(s);
                boolean seriesStart = withStart && hasStartTimestamps(b, s);
                writer.beginSeries(hashOf[s], labels, samples, seriesStart);
                for (int l = b.labelStart(s), e = l + labels; l < e; l++) {
                    writer.label(bytes, b.nameOff(l), b.nameLen(l), bytes, b.valueOff(l), b.valueLen(l));
                }
                if (seriesStart) {
                    for (int k = b.sampleStart(s), e = k + samples; k < e; k++) writer.sample(b.timestamp(k), b.startTimestamp(k), b.value(k));
                } else {
                    for (int k = b.sampleStart(s), e = k + samples; k < e; k++) writer.sample(b.timestamp(k), b.value(k));
                }
                writer.endSeries();
                if (writer.sizeEstimate() >= maxRecordBytes) {
                    out.add(new ShardRecord(shard, writer.finish()));
                    writer.reset(shard, withStart);
                }
            }
            if (!writer.isEmpty()) out.add(new ShardRecord(shard, writer.finish()));
        }
        return out;
    }
}
