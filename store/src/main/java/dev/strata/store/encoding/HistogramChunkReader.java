package dev.strata.store.encoding;

import dev.strata.store.model.FloatHistogram;
import java.util.zip.CRC32C;

/**
 * Decodes histogram chunks written by {@link HistogramChunkWriter}: checksum first, then the header,
 * the payload and its consistency with the header (every inconsistency is a
 * {@link CorruptChunkException}). The decoded histograms share the chunk's span and custom-bound
 * arrays (immutable by contract). Holds scratch state: one reader per thread.
 */
public final class HistogramChunkReader {
    private final TimestampCodec[] tsCodecs = new TimestampCodec[8];
    private final ValueCodec[] valueCodecs = new ValueCodec[16];
    private final StartTimestampColumn stColumn = new StartTimestampColumn();
    private final BitReader bits = new BitReader();
    private final CRC32C crc = new CRC32C();
    private double[] col = new double[128];

    public HistogramChunkReader() {
        for (int id = 0; id < 8; id++) tsCodecs[id] = ChunkFormat.timestampCodec(id);
        for (int id = 0; id < 16; id++) valueCodecs[id] = ChunkFormat.valueCodec(id);
    }

    /** The decoded samples of one chunk; {@code startTimestamps} is null when the chunk has none. */
    public record Decoded(int count, long[] timestamps, long[] startTimestamps, FloatHistogram[] histograms) {}

    /** Decodes chunk[off, off+len). */
    public Decoded decode(byte[] chunk, int off, int len) {
        if (len < HistogramChunkFormat.MIN_LENGTH) {
            throw new CorruptChunkException("histogram chunk too short: " + len + " bytes < minimum " + HistogramChunkFormat.MIN_LENGTH);
        }
        crc.reset();
        crc.update(chunk, off, len - 4);
        int p4 = off + len - 4;
        int expected = ((chunk[p4] & 0xFF) << 24) | ((chunk[p4 + 1] & 0xFF) << 16) | ((chunk[p4 + 2] & 0xFF) << 8) | (chunk[p4 + 3] & 0xFF);
        int actual = (int) crc.getValue();
        if (expected != actual) throw new CorruptChunkException(String.format("checksum mismatch: expected=0x%08x actual=0x%08x", expected, actual));
        if ((chunk[off] & 0xFF) != HistogramChunkFormat.MAGIC) {
            throw new CorruptChunkException(String.format("bad magic: expected=0x%02x actual=0x%02x", HistogramChunkFormat.MAGIC, chunk[off] & 0xFF));
        }
        int version = chunk[off + 1] & 0xFF;
        if (version != HistogramChunkFormat.VERSION) throw new CorruptChunkException("unsupported histogram chunk version " + version);
        int flags = chunk[off + 2] & 0xFF;
        if ((flags & 0x80) != 0) throw new CorruptChunkException("unknown histogram chunk flags 0x" + Integer.toHexString(flags));
        int end = p4;
        Cursor c = new Cursor(chunk, off + 3, end);
        long n64 = c.uvarint("sample count");
        if (n64 < 1 || n64 > ChunkFormat.MAX_SAMPLES) throw new CorruptChunkException("bad sample count " + n64);
        int n = (int) n64;
        long firstT = Zigzag.decode(c.uvarint("first timestamp"));
        long span = c.uvarint("timestamp span");
        if (span < n - 1) throw new CorruptChunkException("timestamp span " + span + " ms cannot hold " + n + " increasing timestamps");
        FloatHistogram.ResetHint oneHint = null;
        if ((flags & HistogramChunkFormat.FLAG_ONE_HINT) != 0) oneHint = hint(c.u8("reset hint"));
        long schema = Zigzag.decode(c.uvarint("schema"));
        if (schema < Integer.MIN_VALUE || schema > Integer.MAX_VALUE) throw new CorruptChunkException("schema " + schema + " out of range");
        double zeroThreshold = Double.longBitsToDouble(c.u64("zero threshold"));
        int[][] posSpans = c.spans("positive");
        int[][] negSpans = c.spans("negative");
        long nCustom = c.uvarint("custom bound count");
        if (nCustom > (end - c.p) / 8) throw new CorruptChunkException(nCustom + " custom bounds cannot fit in " + (end - c.p) + " bytes");
        double[] custom = new double[(int) nCustom];
        for (int i = 0; i < custom.length; i++) custom[i] = Double.longBitsToDouble(c.u64("custom bound"));
        long nChanges = c.uvarint("layout change count");
        if (nChanges > n) throw new CorruptChunkException(nChanges + " layout changes in " + n + " samples");
        int[] changeAt = new int[(int) nChanges];
        int[][][] changeSpans = new int[(int) nChanges][][];
        for (int k = 0; k < changeAt.length; k++) {
            long at = c.uvarint("layout change sample");
            if (at >= n || (k > 0 && at <= changeAt[k - 1])) throw new CorruptChunkException("layout change at sample " + at + " out of order or range");
            changeAt[k] = (int) at;
            int[][] p = c.spans("positive");
            int[][] q = c.spans("negative");
            changeSpans[k] = new int[][] {p[0], p[1], q[0], q[1]};
        }
        int stCodec = 0;
        long stFirst = 0, stLast = 0, stBytes = 0;
        if ((flags & HistogramChunkFormat.FLAG_ST) != 0) {
            stCodec = c.u8("start timestamp codec");
            if (stCodec == 0) throw new CorruptChunkException("start timestamp column flagged but codec id is 0");
            stFirst = Zigzag.decode(c.uvarint("first start timestamp"));
            stLast = stFirst + Zigzag.decode(c.uvarint("start timestamp span"));
            stBytes = c.uvarint("start timestamp column length");
            if (stBytes > end - c.p) throw new CorruptChunkException("start timestamp column of " + stBytes + " bytes longer than the payload");
        }
        int pos = total(posSpans[1], "positive");
        int neg = total(negSpans[1], "negative");
        if ((long) (pos + neg) * n > 64L * (end - c.p) + 64) {
            throw new CorruptChunkException((pos + neg) + " buckets x " + n + " samples cannot fit in " + (end - c.p) + " bytes");
        }
        int payloadEnd = end - (int) stBytes;
        bits.reset(chunk, c.p, payloadEnd - c.p);

        long[] ts = new long[n];
        TimestampCodec tc = tsCodecs[(flags >>> 4) & 7];
        if (tc == null) throw new CorruptChunkException("unknown timestamp codec id " + ((flags >>> 4) & 7));
        tc.decode(bits, firstT, firstT + span, n, ts);
        if (bits.overrun()) throw tooShort(n, tc.name());
        if (ts[n - 1] != firstT + span) throw new CorruptChunkException(tc.name() + ": decoded last timestamp " + ts[n - 1] + " != header " + (firstT + span));
        for (int i = 1; i < n; i++) if (ts[i] <= ts[i - 1]) throw new CorruptChunkException(tc.name() + ": timestamps not increasing at sample " + i);
        bits.alignToByte();
        FloatHistogram.ResetHint[] hints = new FloatHistogram.ResetHint[n];
        for (int i = 0; i < n; i++) hints[i] = oneHint != null ? oneHint : FloatHistogram.ResetHint.values()[(int) bits.read(2)];
        bits.alignToByte();

        if (col.length < n) col = new double[n];
        double[] sum = new double[n];
        valueColumn(n, "sum");
        System.arraycopy(col, 0, sum, 0, n);
        boolean derived = (flags & HistogramChunkFormat.FLAG_COUNT_DERIVED) != 0;
        boolean integer = (flags & HistogramChunkFormat.FLAG_INTEGER) != 0;
        double[] count = new double[n];
        double[] zero = new double[n];
        double[][] posB = new double[n][pos];
        double[][] negB = new double[n][neg];
        for (int k = derived ? 1 : 0; k < 2 + pos + neg; k++) {
            if (integer) integerColumn(n);
            else valueColumn(n, "count column " + k);
            for (int i = 0; i < n; i++) {
                double v = col[i];
                if (k == 0) count[i] = v;
                else if (k == 1) zero[i] = v;
                else if (k - 2 < pos) posB[i][k - 2] = v;
                else negB[i][k - 2 - pos] = v;
            }
        }
        if (integer) bits.alignToByte();
        if (bits.overrun()) throw tooShort(n, "counts");
        if (bits.bytePosition() != payloadEnd) {
            throw new CorruptChunkException("histogram payload has " + (payloadEnd - bits.bytePosition()) + " trailing bytes after " + n + " samples");
        }
        long[] sts = null;
        if (stCodec != 0) {
            sts = new long[n];
            bits.reset(chunk, payloadEnd, (int) stBytes);
            stColumn.decode(stCodec, bits, stFirst, stLast, n, sts);
            if (bits.overrun()) throw new CorruptChunkException("cannot decode " + n + " start timestamps from " + stBytes + " bytes");
            bits.alignToByte();
            if (bits.bytePosition() != end) throw new CorruptChunkException("start timestamp column has trailing bytes");
        }
        FloatHistogram[] out = new FloatHistogram[n];
        int[] posUnion = HistogramChunkWriter.indices(posSpans[0], posSpans[1]);
        int[] negUnion = HistogramChunkWriter.indices(negSpans[0], negSpans[1]);
        int[][] spans = {posSpans[0], posSpans[1], negSpans[0], negSpans[1]};
        int[] posAt = identity(pos);
        int[] negAt = identity(neg);
        try {
            for (int i = 0, k = 0; i < n; i++) {
                if (k < changeAt.length && changeAt[k] == i) {
                    spans = changeSpans[k++];
                    posAt = positions(spans[0], spans[1], posUnion, "positive");
                    negAt = positions(spans[2], spans[3], negUnion, "negative");
                }
                double[] pb = new double[posAt.length];
                for (int j = 0; j < pb.length; j++) pb[j] = posB[i][posAt[j]];
                double[] nb = new double[negAt.length];
                for (int j = 0; j < nb.length; j++) nb[j] = negB[i][negAt[j]];
                double cnt = count[i];
                if (derived) {
                    cnt = zero[i];
                    for (double b : pb) cnt += b;
                    for (double b : nb) cnt += b;
                }
                out[i] = new FloatHistogram(hints[i], (int) schema, zeroThreshold, zero[i], cnt, sum[i],
                        spans[0], spans[1], pb, spans[2], spans[3], nb, custom);
            }
        } catch (IllegalArgumentException e) {
            throw new CorruptChunkException("histogram chunk holds an invalid histogram: " + e.getMessage());
        }
        return new Decoded(n, ts, sts, out);
    }

    private void valueColumn(int n, String what) {
        bits.alignToByte();
        int id = (int) bits.read(8);
        ValueCodec vc = id < 16 ? valueCodecs[id] : null;
        if (vc == null) throw new CorruptChunkException("unknown value codec id " + id + " for the " + what);
        vc.decode(bits, n, col);
        if (bits.overrun()) throw tooShort(n, vc.name());
        bits.alignToByte();
    }

    private void integerColumn(int n) {
        long v = Zigzag.readLengthPrefixed(bits);
        col[0] = v;
        if (n == 1) return;
        long min = Zigzag.readLengthPrefixed(bits);
        int width = (int) bits.read(7);
        if (width > 64) throw new CorruptChunkException("count column delta width " + width + " > 64");
        for (int i = 1; i < n; i++) {
            v += min + bits.read(width);
            col[i] = v;
        }
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }

    /** For each bucket the spans cover, its column among the union's; a bucket outside the union is corruption. */
    private static int[] positions(int[] offsets, int[] lengths, int[] union, String side) {
        long total = 0;
        for (int l : lengths) total += l;
        if (total > union.length) throw new CorruptChunkException(side + " spans of " + total + " buckets exceed the chunk's " + union.length);
        int[] idx = HistogramChunkWriter.indices(offsets, lengths);
        for (int k = 0; k < idx.length; k++) {
            int p = java.util.Arrays.binarySearch(union, idx[k]);
            if (p < 0) throw new CorruptChunkException(side + " bucket " + idx[k] + " is not among the chunk's buckets");
            idx[k] = p;
        }
        return idx;
    }

    private static int total(int[] lengths, String side) {
        long t = 0;
        for (int l : lengths) t += l;
        if (t > ChunkFormat.MAX_SAMPLES) throw new CorruptChunkException(side + " spans hold " + t + " buckets");
        return (int) t;
    }

    private static FloatHistogram.ResetHint hint(int v) {
        if (v > 3) throw new CorruptChunkException("reset hint " + v + " out of range");
        return FloatHistogram.ResetHint.values()[v];
    }

    private static CorruptChunkException tooShort(int n, String what) {
        return new CorruptChunkException("cannot decode " + n + " histogram samples: payload too short (" + what + ")");
    }

    /** Bounds-checked reads of the byte-oriented header. */
    private static final class Cursor {
        final byte[] b;
        int p;
        final int end;

        Cursor(byte[] b, int p, int end) {
            this.b = b;
            this.p = p;
            this.end = end;
        }

        int u8(String what) {
            if (p >= end) throw new CorruptChunkException("truncated header: " + what);
            return b[p++] & 0xFF;
        }

        long u64(String what) {
            if (end - p < 8) throw new CorruptChunkException("truncated header: " + what);
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (b[p++] & 0xFF);
            return v;
        }

        long uvarint(String what) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (p >= end) throw new CorruptChunkException("truncated header: " + what + " runs past the payload end");
                int x = b[p++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) return v;
            }
            throw new CorruptChunkException("header varint for " + what + " longer than 10 bytes");
        }

        int[][] spans(String side) {
            long n = uvarint(side + " span count");
            if (n > end - p) throw new CorruptChunkException(n + " " + side + " spans cannot fit in " + (end - p) + " bytes");
            int[] off = new int[(int) n];
            int[] len = new int[(int) n];
            for (int i = 0; i < n; i++) {
                long o = Zigzag.decode(uvarint(side + " span offset"));
                long l = uvarint(side + " span length");
                if (o < Integer.MIN_VALUE || o > Integer.MAX_VALUE || l > Integer.MAX_VALUE) throw new CorruptChunkException(side + " span " + i + " out of range");
                off[i] = (int) o;
                len[i] = (int) l;
            }
            return new int[][] {off, len};
        }
    }
}
