package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.RequestTooLargeException;
import dev.strata.ingest.record.MetadataRecord;
import dev.strata.store.model.MetricMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a request's metadata entries into metadata records ({@link MetadataRecord}, version 4): the
 * request's duplicates dropped (remote write 2.0 repeats a family's metadata on each of its series),
 * grouped by {@link MetadataRecord#shardOf}, several records per shard when they would exceed
 * {@code maxRecordBytes}. An entry that alone exceeds it fails the request (413: retrying cannot help).
 * Stateless; thread safe.
 */
final class MetadataEncoder {
    private MetadataEncoder() {}

    static List<ShardedEncoder.ShardRecord> encode(List<MetricMetadata> entries, int shards, int maxRecordBytes, long receivedMs) {
        Map<Integer, List<MetricMetadata>> byShard = new TreeMap<>();
        for (MetricMetadata m : new LinkedHashSet<>(entries)) {
            byShard.computeIfAbsent(MetadataRecord.shardOf(m.metric(), shards), s -> new ArrayList<>()).add(m);
        }
        List<ShardedEncoder.ShardRecord> out = new ArrayList<>();
        byShard.forEach((shard, list) -> {
            List<MetricMetadata> part = new ArrayList<>();
            long size = MetadataRecord.OVERHEAD_BYTES;
            for (MetricMetadata m : list) {
                int bytes = MetadataRecord.entryBytes(m);
                if (MetadataRecord.OVERHEAD_BYTES + (long) bytes > maxRecordBytes) {
                    throw new RequestTooLargeException("the metadata of metric \"" + m.metric() + "\" takes more than a "
                            + maxRecordBytes + "-byte Kafka record");
                }
                if (size + bytes > maxRecordBytes) {
                    out.add(new ShardedEncoder.ShardRecord(shard, new MetadataRecord(shard, receivedMs, List.copyOf(part)).encode()));
                    part.clear();
                    size = MetadataRecord.OVERHEAD_BYTES;
                }
                part.add(m);
                size += bytes;
            }
            out.add(new ShardedEncoder.ShardRecord(shard, new MetadataRecord(shard, receivedMs, List.copyOf(part)).encode()));
        });
        return out;
    }
}
