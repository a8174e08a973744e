package dev.strata.ingest.record;

import dev.strata.store.model.MetricMetadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The metadata record, version 4 of the shard record (docs/format/kafka-record.md): the same
 * 12-byte header as versions 1 and 2, then
 * <pre>
 * Body  := shard uvarint | receivedMs uvarint | count uvarint | Entry^count
 * Entry := metric String | type u8 (index of {@link MetricMetadata#TYPES}) | unit String | help String
 * String := length uvarint | UTF-8 bytes
 * </pre>
 * {@code receivedMs} is when the gateway accepted the write (the Cassandra row's {@code updated_ms},
 * so a replay writes the same row again). Entries of one record belong to metrics whose
 * {@link #shardOf} is the record's shard. Immutable value; encode and decode are pure functions.
 *
 * @param shard      the shard (= partition) the record belongs to
 * @param receivedMs when the gateway accepted the write, ms since the epoch
 * @param entries    the metadata entries, distinct, in request order
 */
public record MetadataRecord(int shard, long receivedMs, List<MetricMetadata> entries) {

    /**
     * The shard a metric's metadata goes to: XXH64 of the metric name's UTF-8 bytes modulo the shard
     * count. One metric's entries thus always travel through one partition, in order, to one consumer;
     * the rule depends on nothing but the name (a histogram's family name is no series' name, and the
     * shard key may spread a metric's series over many shards).
     */
    public static int shardOf(String metric, int shards) {
        return (int) Long.remainderUnsigned(dev.strata.store.model.XxHash64.hash(metric.getBytes(StandardCharsets.UTF_8)), shards);
    }

    /** True if {@code v} is a version 4 record (checks the magic and version bytes only). */
    public static boolean isMetadata(byte[] v) {
        return v != null && v.length >= ShardRecordFormat.HEADER_BYTES
                && (((v[0] & 0xFF) << 8) | (v[1] & 0xFF)) == ShardRecordFormat.MAGIC
                && (v[2] & 0xFF) == ShardRecordFormat.VERSION_4;
    }

    /** The encoded size of one entry's body bytes (for splitting requests into records under a size limit). */
    public static int entryBytes(MetricMetadata m) {
        return stringBytes(m.metric()) + 1 + stringBytes(m.unit()) + stringBytes(m.help());
    }

    /** The largest header plus body prefix (shard, time, count) an encoded record adds to its entries. */
    public static final int OVERHEAD_BYTES = ShardRecordFormat.HEADER_BYTES + 5 + 10 + 5;

    private static int stringBytes(String s) {
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        return varintSize(n) + n;
    }

    /** The record's bytes (the Kafka value). */
    public byte[] encode() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        varint(body, shard);
        varint(body, receivedMs);
        varint(body, entries.size());
        for (MetricMetadata m : entries) {
            string(body, m.metric());
            body.write(m.typeCode());
            string(body, m.unit());
            string(body, m.help());
        }
        byte[] b = body.toByteArray();
        byte[] out = new byte[ShardRecordFormat.HEADER_BYTES + b.length];
        out[0] = (byte) (ShardRecordFormat.MAGIC >>> 8);
        out[1] = (byte) ShardRecordFormat.MAGIC;
        out[2] = (byte) ShardRecordFormat.VERSION_4;
        out[3] = 0;
        intLE(out, 4, b.length);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length);
        intLE(out, 8, (int) crc.getValue());
        System.arraycopy(b, 0, out, ShardRecordFormat.HEADER_BYTES, b.length);
        return out;
    }

    /** Decodes a version 4 record; {@link CorruptRecordException} naming the problem for anything malformed. */
    public static MetadataRecord decode(byte[] v) {
        if (v == null) throw new CorruptRecordException("metadata record: null value");
        if (v.length < ShardRecordFormat.HEADER_BYTES) {
            throw new CorruptRecordException("metadata record: " + v.length + " bytes is shorter than the "
                    + ShardRecordFormat.HEADER_BYTES + "-byte header");
        }
        if (!isMetadata(v)) throw new CorruptRecordException("metadata record: bad magic or version " + (v[2] & 0xFF));
        if (v[3] != 0) throw new CorruptRecordException("metadata record: unknown flags 0x" + Integer.toHexString(v[3] & 0xFF));
        int bodyLen = readIntLE(v, 4);
        if (bodyLen != v.length - ShardRecordFormat.HEADER_BYTES) {
            throw new CorruptRecordException("metadata record: header says " + bodyLen + " body bytes, record has "
                    + (v.length - ShardRecordFormat.HEADER_BYTES));
        }
        CRC32C crc = new CRC32C();
        crc.update(v, ShardRecordFormat.HEADER_BYTES, bodyLen);
        int expected = readIntLE(v, 8);
        if ((int) crc.getValue() != expected) {
            throw new CorruptRecordException("metadata record: checksum failed: expected=0x" + Integer.toHexString(expected)
                    + " actual=0x" + Integer.toHexString((int) crc.getValue()));
        }
        Cursor c = new Cursor(v, ShardRecordFormat.HEADER_BYTES);
        int shard = c.intVarint("shard");
        long receivedMs = c.varint("received time");
        int count = c.intVarint("entry count");
        // each entry takes at least 4 bytes (three empty-or-longer strings and the type byte)
        if (count > (v.length - c.pos) / 4) throw new CorruptRecordException("metadata record: " + count + " entries cannot fit");
        List<MetricMetadata> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String metric = c.string("entry #" + i + " metric");
            if (c.pos >= v.length) throw new CorruptRecordException("metadata record: entry #" + i + " type truncated");
            int type = v[c.pos++] & 0xFF;
            if (type >= MetricMetadata.TYPES.size()) {
                throw new CorruptRecordException("metadata record: entry #" + i + " has type code " + type
                        + ", expected 0 to " + (MetricMetadata.TYPES.size() - 1));
            }
            String unit = c.string("entry #" + i + " unit");
            String help = c.string("entry #" + i + " help");
            if (metric.isEmpty()) throw new CorruptRecordException("metadata record: entry #" + i + " has an empty metric name");
            entries.add(new MetricMetadata(metric, MetricMetadata.TYPES.get(type), unit, help));
        }
        if (c.pos != v.length) throw new CorruptRecordException("metadata record: " + (v.length - c.pos) + " bytes after the last entry");
        return new MetadataRecord(shard, receivedMs, List.copyOf(entries));
    }

    private static final class Cursor {
        final byte[] b;
        int pos;

        Cursor(byte[] b, int pos) {
            this.b = b;
            this.pos = pos;
        }

        long varint(String what) {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= b.length) throw new CorruptRecordException("metadata record: truncated varint (" + what + ") at byte " + pos);
                byte x = b[pos++];
                result |= (long) (x & 0x7F) << shift;
                if (x >= 0) return result;
            }
            throw new CorruptRecordException("metadata record: varint (" + what + ") longer than 10 bytes at byte " + pos);
        }

        int intVarint(String what) {
            long v = varint(what);
            if (v < 0 || v > Integer.MAX_VALUE) throw new CorruptRecordException("metadata record: " + what + " " + v + " out of range");
            return (int) v;
        }

        String string(String what) {
            int n = intVarint(what + " length");
            if (n > b.length - pos) throw new CorruptRecordException("metadata record: " + what + " of " + n + " bytes overruns the record");
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static void intLE(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    private static int readIntLE(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
}
