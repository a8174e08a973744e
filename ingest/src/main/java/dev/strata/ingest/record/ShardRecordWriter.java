package dev.strata.ingest.record;

import dev.strata.ingest.protocol.Utf8Bytes;
import dev.strata.store.model.FloatHistogram;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Builds one shard record ({@link ShardRecordFormat}) from series appended one by one, deduplicating
 * label strings through a string table. Buffers are reused across {@link #reset}s, so appending
 * allocates nothing once warm. Not thread safe.
 *
 * <pre>
 * w.reset(shard);
 * w.beginSeries(hash, labelCount, sampleCount); w.label(...) x labelCount; w.sample(...) x sampleCount; w.endSeries();
 * byte[] value = w.finish();
 * </pre>
 */
public final class ShardRecordWriter {
    private int shard;
    private int version = ShardRecordFormat.VERSION_1;
    private boolean seriesWithStart;
    private boolean seriesWithHistograms;

    // String table: bytes, per-string offset/length/hash, open-addressing index (id + 1, 0 = empty).
    private byte[] strBytes = new byte[4096];
    private int strBytesLen;
    private int[] strOff = new int[256];
    private int[] strLen = new int[256];
    private int[] strHash = new int[256];
    private int strings;
    private int[] table = new int[1024];

    // Series section and the string-table section, assembled by finish().
    private byte[] series = new byte[16384];
    private int seriesLen;
    private int seriesCount;

    private int pendingLabels;
    private int pendingSamples;
    private int pendingSamplesTotal;
    private long lastTs;
    private boolean inSeries;

    private final CRC32C crc = new CRC32C();

    public ShardRecordWriter() {
        reset(0);
    }

    public void reset(int shard) {
        reset(shard, false);
    }

    /**
     * Starts a record; {@code startTimestamps} selects version 2, whose series may carry per-sample
     * start timestamps (see {@link #beginSeries(long, int, int, boolean)}).
     */
    public void reset(int shard, boolean startTimestamps) {
        reset(shard, startTimestamps, false);
    }

    /**
     * Starts a record; {@code histograms} selects version 3, whose series may carry native histogram
     * samples (see {@link #beginSeries(long, int, int, boolean, boolean)}); else as {@link #reset(int, boolean)}.
     */
    public void reset(int shard, boolean startTimestamps, boolean histograms) {
        this.shard = shard;
        this.version = histograms ? ShardRecordFormat.VERSION_3
                : startTimestamps ? ShardRecordFormat.VERSION_2 : ShardRecordFormat.VERSION_1;
        strBytesLen = 0;
        strings = 0;
        Arrays.fill(table, 0);
        seriesLen = 0;
        seriesCount = 0;
        inSeries = false;
    }

    public int shard() { return shard; }
    public int seriesCount() { return seriesCount; }
    public boolean isEmpty() { return seriesCount == 0; }

    /** An upper bound of the size {@link #finish()} would produce now. */
    public int sizeEstimate() {
        return ShardRecordFormat.HEADER_BYTES + 15 + strBytesLen + 5 * strings + seriesLen;
    }

    public void beginSeries(long hash, int labelCount, int sampleCount) {
        beginSeries(hash, labelCount, sampleCount, false);
    }

    /**
     * Starts a series entry; with {@code withStartTimestamps} its samples must be written with
     * {@link #sample(long, long, double)} (the record must have been reset for start timestamps).
     */
    public void beginSeries(long hash, int labelCount, int sampleCount, boolean withStartTimestamps) {
        beginSeries(hash, labelCount, sampleCount, withStartTimestamps, false);
    }

    /**
     * Starts a series entry; with {@code withHistograms} its samples may be native histograms
     * ({@link #histogram}) as well as floats (the record must have been reset for histograms).
     */
    public void beginSeries(long hash, int labelCount, int sampleCount, boolean withStartTimestamps, boolean withHistograms) {
        if (inSeries) throw new IllegalStateException("beginSeries before endSeries");
        if (withStartTimestamps && version < ShardRecordFormat.VERSION_2) {
            throw new IllegalStateException("start timestamps need a record reset with startTimestamps = true");
        }
        if (withHistograms && version < ShardRecordFormat.VERSION_3) {
            throw new IllegalStateException("histograms need a record reset with histograms = true");
        }
        seriesWithStart = withStartTimestamps;
        seriesWithHistograms = withHistograms;
        if (sampleCount < 1) throw new IllegalArgumentException("a series entry needs at least one sample");
        inSeries = true;
        pendingLabels = labelCount;
        pendingSamples = sampleCount;
        pendingSamplesTotal = sampleCount;
        ensureSeries(8 + 10);
        putLongLE(hash);
        putVarint(labelCount);
    }

    /** Adds a label given as UTF-8 byte ranges (name and value may live in different arrays). */
    public void label(byte[] name, int nOff, int nLen, byte[] value, int vOff, int vLen) {
        if (pendingLabels-- <= 0) throw new IllegalStateException("more labels than announced");
        int n = intern(name, nOff, nLen);
        int v = intern(value, vOff, vLen);
        ensureSeries(10);
        putVarint(n);
        putVarint(v);
    }

    public void label(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        label(n, 0, n.length, v, 0, v.length);
    }

    public void sample(long ts, double v) {
        if (seriesWithStart) throw new IllegalStateException("this series carries start timestamps: use sample(ts, st, v)");
        writeSample(ts, v, null);
    }

    /**
     * Writes a native histogram sample with its start timestamp (0 = unknown; ignored unless the
     * series was begun with start timestamps) in a series begun with histograms.
     */
    public void histogram(long ts, long startTs, FloatHistogram h) {
        if (!seriesWithHistograms) throw new IllegalStateException("this series was begun without histograms");
        writeSample(ts, Double.NaN, h);
        if (seriesWithStart) {
            ensureSeries(10);
            putVarint(zigzag(ts - startTs));
        }
    }

    /** An upper bound of the bytes {@link #histogram} writes for {@code h} (with its kind byte and start timestamp). */
    public static int histogramBound(FloatHistogram h) {
        return 1 + 10 + 1 + 5 + 5 * 8 + 2 * 5 + 10 * (h.positiveSpanOffsets().length + h.negativeSpanOffsets().length)
                + 8 * (h.positiveBuckets().length + h.negativeBuckets().length) + 5 + 8 * h.customValues().length + 10;
    }

    /** Writes a sample with its start timestamp (0 = unknown) in a series begun with start timestamps. */
    public void sample(long ts, long startTs, double v) {
        if (!seriesWithStart) throw new IllegalStateException("this series was begun without start timestamps");
        writeSample(ts, v, null);
        ensureSeries(10);
        putVarint(zigzag(ts - startTs));
    }

    private void writeSample(long ts, double v, FloatHistogram h) {
        if (pendingLabels != 0) throw new IllegalStateException(pendingLabels + " announced labels missing");
        if (pendingSamples <= 0) throw new IllegalStateException("more samples than announced");
        ensureSeries(5 + 1 + 1 + 10 + 8);
        if (pendingSamples == pendingSamplesTotal) {
            // First sample: the count (and from version 2 the series flags), then the absolute timestamp.
            putVarint(pendingSamplesTotal);
            if (version >= ShardRecordFormat.VERSION_2) {
                series[seriesLen++] = (byte) ((seriesWithStart ? ShardRecordFormat.SERIES_START_TIMESTAMPS : 0)
                        | (seriesWithHistograms ? ShardRecordFormat.SERIES_HISTOGRAMS : 0));
            }
        }
        if (seriesWithHistograms) series[seriesLen++] = (byte) (h == null ? 0 : 1);
        putVarint(zigzag(pendingSamples == pendingSamplesTotal ? ts : ts - lastTs));
        if (h == null) putLongLE(Double.doubleToRawLongBits(v));
        else putHistogram(h);
        lastTs = ts;
        pendingSamples--;
    }

    public void endSeries() {
        if (!inSeries) throw new IllegalStateException("endSeries without beginSeries");
        if (pendingLabels != 0 || pendingSamples != 0) {
            throw new IllegalStateException("series incomplete: " + pendingLabels + " labels and " + pendingSamples + " samples missing");
        }
        inSeries = false;
        seriesCount++;
    }

    /** Assembles the record into a new array (the Kafka value). The writer can then be {@link #reset}. */
    public byte[] finish() {
        if (inSeries) throw new IllegalStateException("finish inside a series");
        int bodyMax = 5 + 5 + strings * 5 + strBytesLen + 5 + seriesLen;
        byte[] out = new byte[ShardRecordFormat.HEADER_BYTES + bodyMax];
        int p = ShardRecordFormat.HEADER_BYTES;
        p = putVarint(out, p, shard);
        p = putVarint(out, p, strings);
        for (int i = 0; i < strings; i++) {
            p = putVarint(out, p, strLen[i]);
            System.arraycopy(strBytes, strOff[i], out, p, strLen[i]);
            p += strLen[i];
        }
        p = putVarint(out, p, seriesCount);
        System.arraycopy(series, 0, out, p, seriesLen);
        p += seriesLen;
        int bodyLen = p - ShardRecordFormat.HEADER_BYTES;
        out[0] = (byte) (ShardRecordFormat.MAGIC >>> 8);
        out[1] = (byte) ShardRecordFormat.MAGIC;
        out[2] = (byte) version;
        out[3] = 0;
        putIntLE(out, 4, bodyLen);
        crc.reset();
        crc.update(out, ShardRecordFormat.HEADER_BYTES, bodyLen);
        putIntLE(out, 8, (int) crc.getValue());
        return p == out.length ? out : Arrays.copyOf(out, p);
    }

    // --- string table ---

    private int intern(byte[] b, int off, int len) {
        int h = Utf8Bytes.quickHash(b, off, len);
        int mask = table.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int id = table[slot] - 1;
            if (id < 0) {
                id = addString(b, off, len, h);
                table[slot] = id + 1;
                if (strings * 2 > table.length) rehash();
                return id;
            }
            if (strHash[id] == h && Utf8Bytes.equals(strBytes, strOff[id], strLen[id], b, off, len)) {
                return id;
            }
        }
    }

    private int addString(byte[] b, int off, int len, int h) {
        if (strings == strOff.length) {
            strOff = Arrays.copyOf(strOff, strings * 2);
            strLen = Arrays.copyOf(strLen, strings * 2);
            strHash = Arrays.copyOf(strHash, strings * 2);
        }
        if (strBytesLen + len > strBytes.length) {
            strBytes = Arrays.copyOf(strBytes, Math.max(strBytesLen + len, strBytes.length * 2));
        }
        System.arraycopy(b, off, strBytes, strBytesLen, len);
        strOff[strings] = strBytesLen;
        strLen[strings] = len;
        strHash[strings] = h;
        strBytesLen += len;
        return strings++;
    }

    private void rehash() {
        int[] t = new int[table.length * 2];
        int mask = t.length - 1;
        for (int id = 0; id < strings; id++) {
            int slot = strHash[id] & mask;
            while (t[slot] != 0) slot = (slot + 1) & mask;
            t[slot] = id + 1;
        }
        table = t;
    }

    private void putHistogram(FloatHistogram h) {
        ensureSeries(histogramBound(h));
        series[seriesLen++] = (byte) h.resetHint().ordinal();
        putVarint(zigzag(h.schema()));
        putLongLE(Double.doubleToRawLongBits(h.zeroThreshold()));
        putLongLE(Double.doubleToRawLongBits(h.zeroCount()));
        putLongLE(Double.doubleToRawLongBits(h.count()));
        putLongLE(Double.doubleToRawLongBits(h.sum()));
        putSpans(h.positiveSpanOffsets(), h.positiveSpanLengths());
        putSpans(h.negativeSpanOffsets(), h.negativeSpanLengths());
        for (double c : h.positiveBuckets()) putLongLE(Double.doubleToRawLongBits(c));
        for (double c : h.negativeBuckets()) putLongLE(Double.doubleToRawLongBits(c));
        putVarint(h.customValues().length);
        for (double c : h.customValues()) putLongLE(Double.doubleToRawLongBits(c));
    }

    private void putSpans(int[] offsets, int[] lengths) {
        putVarint(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            putVarint(zigzag(offsets[i]));
            putVarint(lengths[i]);
        }
    }

    // --- byte helpers ---

    private void ensureSeries(int extra) {
        if (seriesLen + extra > series.length) series = Arrays.copyOf(series, Math.max(seriesLen + extra, series.length * 2));
    }

    private void putVarint(long v) {
        seriesLen = putVarint(series, seriesLen, v);
    }

    private void putLongLE(long v) {
        for (int i = 0; i < 8; i++) series[seriesLen++] = (byte) (v >>> (8 * i));
    }

    static int putVarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static void putIntLE(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }
}
