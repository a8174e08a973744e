package dev.strata.node.status;

import dev.strata.index.ValueCount;
import dev.strata.query.storage.LocalShardsQueryable;
import dev.strata.store.memstore.MemShard;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shard's cardinality statistics: its series count, the sealed chunks it holds in memory, the
 * time range of the samples in memory, and every label name with each value's series count (from
 * the label index). Series belong to exactly one shard, so the cluster's figures are sums over
 * shards (series counts) and unions (distinct values); see {@link TsdbStatus}.
 * The node-to-node encoding is docs/format/tsdb-stats.md.
 *
 * @param minTime oldest sample timestamp in memory (ms), Long.MAX_VALUE when the shard holds none
 * @param maxTime newest sample timestamp in memory (ms), Long.MIN_VALUE when the shard holds none
 */
public record ShardTsdbStats(int shard, long numSeries, long chunkCount, long minTime, long maxTime,
                             Map<String, List<ValueCount>> labels) {
    private static final int MAGIC = 0x53545344; // "STSD"
    private static final int VERSION = 1;
    /** Bounds what a peer's answer may make this node allocate. */
    private static final int MAX_ITEMS = 1 << 26;

    /** Reads the shard's index and memory (one pass over its series for chunks and times). */
    public static ShardTsdbStats of(LocalShardsQueryable.Shard s) {
        MemShard m = s.memory();
        long chunks = 0;
        long min = Long.MAX_VALUE;
        for (int id = 0, n = m.seriesIdLimit(); id < n; id++) {
            if (!m.hasSeries(id)) continue;
            chunks += m.chunks(id).size();
            min = Math.min(min, m.firstInMemoryTimestamp(id));
        }
        long max = min == Long.MAX_VALUE ? Long.MIN_VALUE : m.maxDataTimestamp();
        return new ShardTsdbStats(m.shardId(), s.index().seriesCount(), chunks, min, max, s.index().valueCounts());
    }

    /** Encodes a node's answer: the stats of the shards it serves. */
    public static byte[] encode(List<ShardTsdbStats> shards) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(shards.size());
            for (ShardTsdbStats s : shards) {
                out.writeInt(s.shard());
                out.writeLong(s.numSeries());
                out.writeLong(s.chunkCount());
                out.writeLong(s.minTime());
                out.writeLong(s.maxTime());
                out.writeInt(s.labels().size());
                for (Map.Entry<String, List<ValueCount>> e : s.labels().entrySet()) {
                    writeString(out, e.getKey());
                    out.writeInt(e.getValue().size());
                    for (ValueCount vc : e.getValue()) {
                        writeString(out, vc.value());
                        out.writeLong(vc.count());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException naming what is wrong with a malformed answer */
    public static List<ShardTsdbStats> decode(byte[] body) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            int magic = in.readInt();
            if (magic != MAGIC) throw new IllegalArgumentException(String.format("tsdb stats: bad magic 0x%08x", magic));
            int version = in.readUnsignedByte();
            if (version != VERSION) throw new IllegalArgumentException("tsdb stats: unsupported version " + version);
            int n = count(in, "shards");
            List<ShardTsdbStats> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int shard = in.readInt();
                long series = in.readLong();
                long chunks = in.readLong();
                long min = in.readLong();
                long max = in.readLong();
                int names = count(in, "label names");
                Map<String, List<ValueCount>> labels = new LinkedHashMap<>();
                for (int j = 0; j < names; j++) {
                    String name = readString(in);
                    int values = count(in, "values");
                    List<ValueCount> vs = new ArrayList<>(Math.min(values, 1 << 16));
                    for (int k = 0; k < values; k++) vs.add(new ValueCount(readString(in), in.readLong()));
                    labels.put(name, vs);
                }
                out.add(new ShardTsdbStats(shard, series, chunks, min, max, labels));
            }
            if (in.available() > 0) throw new IllegalArgumentException("tsdb stats: " + in.available() + " trailing bytes");
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("tsdb stats: truncated answer of " + body.length + " bytes", e);
        }
    }

    private static int count(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ITEMS) throw new IllegalArgumentException("tsdb stats: bad count of " + what + ": " + n);
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) throw new IllegalArgumentException("tsdb stats: bad string length " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
