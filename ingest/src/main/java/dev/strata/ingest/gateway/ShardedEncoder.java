package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.RequestTooLargeException;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.ingest.record.ShardRecordWriter;
import dev.strata.ingest.sharding.BatchHasher;
import dev.strata.store.sharding.ShardMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a validated {@link WriteBatch} by shard and encodes one record per shard (several when a
 * shard's part exceeds {@code maxRecordBytes}). No record exceeds {@code maxRecordBytes}: a series
 * too large for one record is written as several entries of the same series, each with a run of
 * its samples in order, in consecutive records; a series whose labels alone do not fit fails the
 * request with {@link RequestTooLargeException} (the sender cannot fix it by retrying, so never a
 * 503). Reuses its buffers; not thread safe: one per thread.
 */
public final class ShardedEncoder {
    /** An encoded record and the shard (= partition) it goes to. */
    public record ShardRecord(int shard, byte[] value) {}

    // Upper bounds of the encoded sizes (ShardRecordWriter): a series entry's hash and label count,
    // a label's two string-table ids and entries (5-byte varints, the string bytes), a sample's
    // timestamp varint and value (and start-timestamp varint), the record's header and tables.
    private static final int SERIES_HEADER_BYTES = 8 + 5 + 5 + 1;
    private static final int LABEL_BYTES = 2 * (5 + 5);
    private static final int SAMPLE_BYTES = 10 + 8;
    private static final int SAMPLE_WITH_START_BYTES = SAMPLE_BYTES + 10;
    private static final int RECORD_OVERHEAD_BYTES = 64;

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
            boolean withHistograms = b.totalHistograms() > 0;
            writer.reset(shard, withStart, withHistograms);
            for (; i < n && shardOf[order[i]] == shard; i++) {
                int s = order[i];
                int samples = b.sampleCount(s);
                if (samples == 0) continue;
                int labels = b.labelCount(s);
                boolean seriesStart = withStart && hasStartTimestamps(b, s);
                int headerBound = SERIES_HEADER_BYTES;
                for (int l = b.labelStart(s), e = l + labels; l < e; l++) {
                    headerBound += LABEL_BYTES + b.nameLen(l) + b.valueLen(l);
                }
                int perSample = seriesStart ? SAMPLE_WITH_START_BYTES : SAMPLE_BYTES;
                boolean seriesHistograms = false;
                if (withHistograms) {
                    // a kind byte per sample; a histogram sample's bound depends on its buckets
                    perSample++;
                    for (int k = b.sampleStart(s), e = k + samples; k < e; k++) {
                        if (b.histogram(k) == null) continue;
                        seriesHistograms = true;
                        perSample = Math.max(perSample, ShardRecordWriter.histogramBound(b.histogram(k)));
                    }
                }
                int room = maxRecordBytes - RECORD_OVERHEAD_BYTES - headerBound;
                if (room < perSample) {
                    throw new RequestTooLargeException("series " + b.describe(s) + ": its labels take more than a "
                            + maxRecordBytes + "-byte Kafka record");
                }
                int perEntry = room / perSample;
                for (int first = b.sampleStart(s), end = first + samples; first < end; ) {
                    int take = Math.min(perEntry, end - first);
                    if (!writer.isEmpty() && writer.sizeEstimate() + headerBound + (long) take * perSample > maxRecordBytes) {
                        out.add(new ShardRecord(shard, writer.finish()));
                        writer.reset(shard, withStart, withHistograms);
                    }
                    writer.beginSeries(hashOf[s], labels, take, seriesStart, seriesHistograms);
                    for (int l = b.labelStart(s), e = l + labels; l < e; l++) {
                        writer.label(bytes, b.nameOff(l), b.nameLen(l), bytes, b.valueOff(l), b.valueLen(l));
                    }
                    if (seriesHistograms) {
                        for (int k = first, e = first + take; k < e; k++) {
                            if (b.histogram(k) != null) writer.histogram(b.timestamp(k), b.startTimestamp(k), b.histogram(k));
                            else if (seriesStart) writer.sample(b.timestamp(k), b.startTimestamp(k), b.value(k));
                            else writer.sample(b.timestamp(k), b.value(k));
                        }
                    } else if (seriesStart) {
                        for (int k = first, e = first + take; k < e; k++) writer.sample(b.timestamp(k), b.startTimestamp(k), b.value(k));
                    } else {
                        for (int k = first, e = first + take; k < e; k++) writer.sample(b.timestamp(k), b.value(k));
                    }
                    writer.endSeries();
                    first += take;
                }
            }
            if (!writer.isEmpty()) out.add(new ShardRecord(shard, writer.finish()));
        }
        return out;
    }
}
