package dev.strata.ingest.record;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.InvalidLabelsException;
import dev.strata.store.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Iterates a shard record ({@link ShardRecordFormat}) without allocating per series or per sample:
 * the string table is decoded once per record (one String per distinct string, interned with
 * {@link Labels#intern} so that {@link #labelsEqual} against a cached, interned label set is a
 * reference comparison per string), label refs go to a reused array, samples are read on demand. Every read is bounds-checked; broken input raises
 * {@link CorruptRecordException}. Not thread safe; reuse one reader per consumer.
 *
 * <pre>
 * r.reset(bytes, 0, bytes.length);
 * while (r.nextSeries()) { r.seriesHash(); r.labelName(i)...; while (r.nextSample()) { r.timestamp(); r.value(); } }
 * </pre>
 */
public final class ShardRecordReader {
    private final CRC32C crc = new CRC32C();
    private byte[] b;
    private int pos;
    private int end;
    private int version;
    private int shard;
    private String[] strings = new String[256];
    private int stringCount;
    private int seriesCount;
    private int seriesRead;
    /** Position of the first series entry, for {@link #rewind()}. */
    private int seriesStart;

    private long seriesHash;
    private int labelCount;
    private int[] refs = new int[64];
    private int sampleCount;
    private int samplesRead;
    private long ts;
    private double value;
    private boolean seriesWithStart;
    private boolean seriesWithHistograms;
    private long startTs;
    private FloatHistogram histogram;

    /** Checks the header and checksum and reads the string table. */
    public ShardRecordReader reset(byte[] bytes, int off, int len) {
        this.b = bytes;
        if (len < ShardRecordFormat.HEADER_BYTES) {
            throw new CorruptRecordException("shard record: " + len + " bytes is shorter than the "
                    + ShardRecordFormat.HEADER_BYTES + "-byte header");
        }
        int magic = ((bytes[off] & 0xFF) << 8) | (bytes[off + 1] & 0xFF);
        if (magic != ShardRecordFormat.MAGIC) {
            throw new CorruptRecordException("shard record: bad magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(ShardRecordFormat.MAGIC));
        }
        version = bytes[off + 2] & 0xFF;
        if (version != ShardRecordFormat.VERSION_1 && version != ShardRecordFormat.VERSION_2 && version != ShardRecordFormat.VERSION_3) {
            throw new CorruptRecordException("shard record: unsupported version " + version + " (this reader knows versions "
                    + ShardRecordFormat.VERSION_1 + ", " + ShardRecordFormat.VERSION_2 + " and " + ShardRecordFormat.VERSION_3 + ")");
        }
        if (bytes[off + 3] != 0) throw new CorruptRecordException("shard record: unknown flags 0x" + Integer.toHexString(bytes[off + 3] & 0xFF));
        int bodyLen = intLE(bytes, off + 4);
        if (bodyLen < 0 || bodyLen != len - ShardRecordFormat.HEADER_BYTES) {
            throw new CorruptRecordException("shard record: header says " + bodyLen + " body bytes, record has "
                    + (len - ShardRecordFormat.HEADER_BYTES));
        }
        int expected = intLE(bytes, off + 8);
        crc.reset();
        crc.update(bytes, off + ShardRecordFormat.HEADER_BYTES, bodyLen);
        int actual = (int) crc.getValue();
        if (actual != expected) {
            throw new CorruptRecordException("shard record: checksum failed: expected=0x" + Integer.toHexString(expected)
                    + " actual=0x" + Integer.toHexString(actual));
        }
        pos = off + ShardRecordFormat.HEADER_BYTES;
        end = off + len;
        shard = varintInt("shard");
        stringCount = varintInt("string count");
        if (stringCount > end - pos) throw new CorruptRecordException("shard record: " + stringCount + " strings cannot fit in " + (end - pos) + " bytes");
        if (strings.length < stringCount) strings = new String[Math.max(stringCount, strings.length * 2)];
        for (int i = 0; i < stringCount; i++) {
            int n = varintInt("string length");
            if (n > end - pos) throw new CorruptRecordException("shard record: string #" + i + " of " + n + " bytes overruns the record");
            strings[i] = Labels.intern(new String(b, pos, n, StandardCharsets.UTF_8));
            pos += n;
        }
        seriesCount = varintInt("series count");
        seriesStart = pos;
        rewind();
        return this;
    }

    /**
     * Goes back to before the first series entry of the record given to {@link #reset}, keeping its
     * checked header and decoded string table: a caller reads the whole record once to validate it,
     * then again to apply it.
     */
    public void rewind() {
        pos = seriesStart;
        seriesRead = 0;
        samplesRead = sampleCount = 0;
    }

    public int version() { return version; }
    public int shard() { return shard; }
    public int seriesCount() { return seriesCount; }
    public int stringCount() { return stringCount; }
    public String string(int ref) { return strings[ref]; }

    /** Advances to the next series entry (skipping unread samples of the current one). */
    public boolean nextSeries() {
        while (samplesRead < sampleCount) nextSample();
        if (seriesRead == seriesCount) {
            if (pos != end) throw new CorruptRecordException("shard record: " + (end - pos) + " bytes after the last series");
            return false;
        }
        seriesRead++;
        if (end - pos < 8) throw new CorruptRecordException("shard record: series #" + (seriesRead - 1) + " hash truncated");
        seriesHash = longLE(b, pos);
        pos += 8;
        labelCount = varintInt("label count");
        if ((long) labelCount * 2 > end - pos) throw new CorruptRecordException("shard record: " + labelCount + " labels cannot fit in the record");
        if (refs.length < labelCount * 2) refs = new int[labelCount * 2];
        for (int i = 0; i < labelCount * 2; i++) {
            byte one = pos < end ? b[pos] : -1;
            int ref;
            if (one >= 0) { // a one-byte varint (refs below 128), the common case
                ref = one;
                pos++;
            } else {
                ref = varintInt("label ref");
            }
            if (ref >= stringCount) {
                throw new CorruptRecordException("shard record: series #" + (seriesRead - 1) + " label ref " + ref
                        + " is outside the string table (" + stringCount + " strings)");
            }
            refs[i] = ref;
        }
        sampleCount = varintInt("sample count");
        if (sampleCount < 1) throw new CorruptRecordException("shard record: series #" + (seriesRead - 1) + " has no samples");
        if (sampleCount > (end - pos) / 9) throw new CorruptRecordException("shard record: " + sampleCount + " samples cannot fit in " + (end - pos) + " bytes");
        seriesWithStart = false;
        seriesWithHistograms = false;
        if (version >= ShardRecordFormat.VERSION_2) {
            if (pos >= end) throw new CorruptRecordException("shard record: series #" + (seriesRead - 1) + " start-timestamp flag truncated");
            int flag = b[pos++];
            int maxFlag = version >= ShardRecordFormat.VERSION_3 ? 3 : 1;
            if (flag < 0 || flag > maxFlag) {
                throw new CorruptRecordException("shard record: series #" + (seriesRead - 1) + " has "
                        + (maxFlag == 1 ? "start-timestamp flag " + flag + ", expected 0 or 1" : "series flags " + flag + ", expected 0 to 3"));
            }
            seriesWithStart = (flag & ShardRecordFormat.SERIES_START_TIMESTAMPS) != 0;
            seriesWithHistograms = (flag & ShardRecordFormat.SERIES_HISTOGRAMS) != 0;
        }
        startTs = 0;
        histogram = null;
        samplesRead = 0;
        return true;
    }

    /**
     * The hashes of up to {@code max} series entries that {@link #nextSeries()} will return next,
     * without consuming anything (a read-ahead hint: callers warm their caches with them). Stops
     * early, without throwing, at the end of the record or at anything malformed; the regular reads
     * still report corruption when they get there. Returns how many hashes were written to {@code out}.
     */
    public int peekHashes(long[] out, int max) {
        int p = pos;
        int left = sampleCount - samplesRead;
        if (left > 0) {
            p = skipSamples(p, left, seriesWithStart, seriesWithHistograms);
            if (p < 0) return 0;
        }
        int n = 0;
        int entries = Math.min(max, Math.min(out.length, seriesCount - seriesRead));
        while (n < entries) {
            if (end - p < 8) return n;
            out[n++] = longLE(b, p);
            p += 8;
            long labels = peekVarint(p);
            if (labels < 0) return n;
            p = (int) (labels >>> 32);
            // the refs' values are not needed: count the varints' last bytes (high bit clear)
            for (long refsLeft = 2 * (labels & 0xFFFF_FFFFL); refsLeft > 0; p++) {
                if (p >= end) return n;
                if (b[p] >= 0) refsLeft--;
            }
            long count = peekVarint(p);
            if (count < 0) return n;
            p = (int) (count >>> 32);
            int flags = 0;
            if (version >= ShardRecordFormat.VERSION_2) {
                if (p >= end) return n;
                flags = b[p++];
            }
            p = skipSamples(p, (int) (count & 0xFFFF_FFFFL), (flags & ShardRecordFormat.SERIES_START_TIMESTAMPS) != 0,
                    (flags & ShardRecordFormat.SERIES_HISTOGRAMS) != 0);
            if (p < 0) return n;
        }
        return n;
    }

    /** Position after {@code count} samples starting at {@code p}, or -1 if they overrun the record. */
    private int skipSamples(int p, int count, boolean withStart, boolean withHistograms) {
        for (int i = 0; i < count; i++) {
            boolean histogram = false;
            if (withHistograms) {
                if (p >= end) return -1;
                histogram = b[p++] == 1;
            }
            p = skipVarint(p);
            if (p < 0) return -1;
            if (histogram) {
                p = skipHistogram(p);
                if (p < 0) return -1;
            } else {
                if (end - p < 8) return -1;
                p += 8;
            }
            if (withStart && (p = skipVarint(p)) < 0) return -1;
        }
        return p;
    }

    /** Position after the histogram at {@code p}, or -1 if it overruns the record. */
    private int skipHistogram(int p) {
        p = skipVarint(p + 1); // reset hint, schema
        if (p < 0 || end - p < 32) return -1;
        p += 32;
        long buckets = 0;
        for (int side = 0; side < 2; side++) {
            long spans = peekVarint(p);
            if (spans < 0) return -1;
            p = (int) (spans >>> 32);
            for (long s = spans & 0xFFFF_FFFFL; s > 0; s--) {
                p = skipVarint(p);
                if (p < 0) return -1;
                long len = peekVarint(p);
                if (len < 0) return -1;
                p = (int) (len >>> 32);
                buckets += len & 0xFFFF_FFFFL;
            }
        }
        if (buckets > (end - p) / 8) return -1;
        p += (int) buckets * 8;
        long custom = peekVarint(p);
        if (custom < 0) return -1;
        p = (int) (custom >>> 32);
        if ((custom & 0xFFFF_FFFFL) > (end - p) / 8) return -1;
        return p + (int) (custom & 0xFFFF_FFFFL) * 8;
    }

    /** Position after the varint at {@code p}, or -1 if it overruns the record (its length is checked by the regular read). */
    private int skipVarint(int p) {
        while (p < end) {
            if (b[p++] >= 0) return p;
        }
        return -1;
    }

    /**
     * Decodes a uvarint at {@code p} without moving the reader: the position after it in the high 32
     * bits and the low 31 bits of its value in the low 32 bits (values beyond 31 bits clamp to
     * Integer.MAX_VALUE), or -1 if it overruns the record or is longer than 10 bytes.
     */
    private long peekVarint(int p) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) return -1;
            byte x = b[p++];
            result |= (long) (x & 0x7F) << shift;
            if (x >= 0) return (long) p << 32 | (result < 0 || result > Integer.MAX_VALUE ? Integer.MAX_VALUE : result);
        }
        return -1;
    }

    public long seriesHash() { return seriesHash; }
    public int labelCount() { return labelCount; }
    public int nameRef(int i) { return refs[2 * i]; }
    public int valueRef(int i) { return refs[2 * i + 1]; }
    public String labelName(int i) { return strings[refs[2 * i]]; }
    public String labelValue(int i) { return strings[refs[2 * i + 1]]; }
    public int sampleCount() { return sampleCount; }

    /**
     * Builds the series' {@link Labels} (allocates; for new series only). A label set Labels refuses
     * (duplicate or unsorted names) is a corrupt record, so the consumer skips it instead of failing
     * on it forever (found by the record fuzz target).
     */
    public Labels labels() {
        String[] kv = new String[labelCount * 2];
        for (int i = 0; i < labelCount * 2; i++) kv[i] = strings[refs[i]];
        try {
            return Labels.of(kv);
        } catch (InvalidLabelsException e) {
            throw new CorruptRecordException("shard record: series #" + (seriesRead - 1) + ": " + e.getMessage());
        }
    }

    /**
     * True if {@code labels} equals this entry's label set (no allocation). Labels built by
     * {@link Labels} and this reader's string table are both interned, so equal strings are the same
     * reference: that is checked first, the content only when the references differ (unequal labels,
     * or strings that did not go through {@link Labels#intern}).
     */
    public boolean labelsEqual(Labels labels) {
        if (labels.size() != labelCount) return false;
        for (int i = 0; i < labelCount; i++) {
            String n = strings[refs[2 * i]];
            String v = strings[refs[2 * i + 1]];
            String ln = labels.name(i);
            String lv = labels.value(i);
            if ((ln != n && !ln.equals(n)) || (lv != v && !lv.equals(v))) return false;
        }
        return true;
    }

    /** The current entry's first timestamp, without consuming it; call before {@link #nextSample()}. */
    public long peekFirstTimestamp() {
        if (samplesRead != 0) throw new IllegalStateException("peekFirstTimestamp after nextSample");
        int save = pos;
        if (seriesWithHistograms) pos++; // the sample kind
        long z = varint("timestamp");
        pos = save;
        return (z >>> 1) ^ -(z & 1);
    }

    public boolean nextSample() {
        if (samplesRead == sampleCount) return false;
        int kind = 0;
        if (seriesWithHistograms) {
            if (pos >= end) throw new CorruptRecordException("shard record: sample kind truncated");
            kind = b[pos++];
            if (kind != 0 && kind != 1) throw new CorruptRecordException("shard record: sample kind " + kind + ", expected 0 (float) or 1 (histogram)");
        }
        long z = varint("timestamp");
        long d = (z >>> 1) ^ -(z & 1);
        ts = samplesRead == 0 ? d : ts + d;
        if (kind == 1) {
            histogram = readHistogram();
            value = Double.NaN;
        } else {
            histogram = null;
            if (end - pos < 8) throw new CorruptRecordException("shard record: sample value truncated");
            value = Double.longBitsToDouble(longLE(b, pos));
            pos += 8;
        }
        if (seriesWithStart) {
            long sz = varint("start timestamp");
            startTs = ts - ((sz >>> 1) ^ -(sz & 1));
        }
        samplesRead++;
        return true;
    }

    public long timestamp() { return ts; }
    public double value() { return value; }
    /** The current sample's native histogram, or null for a float sample (always in versions 1 and 2). */
    public FloatHistogram histogram() { return histogram; }

    private FloatHistogram readHistogram() {
        if (pos >= end) throw new CorruptRecordException("shard record: histogram truncated");
        int hint = b[pos++];
        if (hint < 0 || hint > 3) throw new CorruptRecordException("shard record: histogram reset hint " + hint + " out of range");
        long zs = varint("histogram schema");
        long schema = (zs >>> 1) ^ -(zs & 1);
        if (schema < Integer.MIN_VALUE || schema > Integer.MAX_VALUE) throw new CorruptRecordException("shard record: histogram schema " + schema + " out of range");
        double zeroThreshold = f64("histogram zero threshold");
        double zeroCount = f64("histogram zero count");
        double count = f64("histogram count");
        double sum = f64("histogram sum");
        int[][] pos = spans("positive");
        int[][] neg = spans("negative");
        double[] pb = doubles(total(pos[1]), "positive buckets");
        double[] nb = doubles(total(neg[1]), "negative buckets");
        double[] custom = doubles(varintInt("custom bound count"), "custom bounds");
        try {
            return new FloatHistogram(FloatHistogram.ResetHint.ofWire(hint), (int) schema, zeroThreshold, zeroCount, count, sum,
                    pos[0], pos[1], pb, neg[0], neg[1], nb, custom);
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException("shard record: invalid histogram: " + e.getMessage());
        }
    }

    private int[][] spans(String side) {
        int n = varintInt(side + " span count");
        if (n > end - pos) throw new CorruptRecordException("shard record: " + n + " " + side + " spans cannot fit in the record");
        int[] off = new int[n];
        int[] len = new int[n];
        for (int i = 0; i < n; i++) {
            long z = varint(side + " span offset");
            long o = (z >>> 1) ^ -(z & 1);
            if (o < Integer.MIN_VALUE || o > Integer.MAX_VALUE) throw new CorruptRecordException("shard record: " + side + " span offset " + o + " out of range");
            off[i] = (int) o;
            len[i] = varintInt(side + " span length");
        }
        return new int[][] {off, len};
    }

    private long total(int[] lengths) {
        long t = 0;
        for (int l : lengths) t += l;
        return t;
    }

    private double[] doubles(long n, String what) {
        if (n > (end - pos) / 8) throw new CorruptRecordException("shard record: " + n + " " + what + " cannot fit in the record");
        double[] out = new double[(int) n];
        for (int i = 0; i < out.length; i++) out[i] = f64(what);
        return out;
    }

    private double f64(String what) {
        if (end - pos < 8) throw new CorruptRecordException("shard record: " + what + " truncated");
        double v = Double.longBitsToDouble(longLE(b, pos));
        pos += 8;
        return v;
    }
    /** The current sample's start timestamp, 0 when unknown (always in version 1 records). */
    public long startTimestamp() { return startTs; }

    private int varintInt(String what) {
        long v = varint(what);
        if (v < 0 || v > Integer.MAX_VALUE) throw new CorruptRecordException("shard record: " + what + " " + v + " out of range");
        return (int) v;
    }

    private long varint(String what) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new CorruptRecordException("shard record: truncated varint (" + what + ") at byte " + pos);
            byte x = b[pos++];
            result |= (long) (x & 0x7F) << shift;
            if (x >= 0) return result;
        }
        throw new CorruptRecordException("shard record: varint (" + what + ") longer than 10 bytes at byte " + pos);
    }

    private static int intLE(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    private static long longLE(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24
                | (b[p + 4] & 0xFFL) << 32 | (b[p + 5] & 0xFFL) << 40 | (b[p + 6] & 0xFFL) << 48 | (b[p + 7] & 0xFFL) << 56;
    }

}
