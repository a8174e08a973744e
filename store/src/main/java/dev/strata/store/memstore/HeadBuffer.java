package dev.strata.store.memstore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A series' write buffer, compressed as it is appended: its samples (strictly increasing
 * timestamps, values, optional start timestamps) as one bit stream in a growing {@code byte[]},
 * about 2 to 3 bytes per sample for scraped series instead of 16 (raw {@code long[]} +
 * {@code double[]}).
 *
 * <p>This is a memory-only form, never persisted and never read by another process: sealing decodes
 * it and hands plain arrays to {@code ChunkWriter}, so the chunks (and their bytes) stay a function
 * of the samples alone, as before. The stream, most significant bit first:
 * <pre>
 *   sample:  dod(t) | value | [st: '0' same as the previous sample's, '1' + 64 bits]
 *   dod(t):  '0' | '10'+7 | '110'+10 | '1110'+16 | '11110'+32 | '11111'+64 bits, signed
 *            (delta-of-delta against the previous sample, which starts as t = 0, delta = 0)
 *   value:   '0'                   the same bits as the previous value
 *            '10'  + num(d)        m += d; value = m / 10^e (the buffer's current scale e)
 *            '110' + e (3 bits) + num(d)   scale rises to e (m *= 10^(e - old e)), then m += d
 *            '111' + 64 bits       the raw bits (not a decimal with e <= 7); m = 0
 *   num(d):  '0'+6 | '10'+13 | '110'+20 | '1110'+32 | '1111'+64 bits, signed
 * </pre>
 * Values written in decimal (as exporters print them: counters with a few decimals, integer
 * gauges) cost 2 to 3 bytes as a delta of their scaled integer m; a decimal value is used only when
 * {@code m / 10^e} gives back the value's exact bits (division of an integer below 2^53 by an exact
 * power of ten is correctly rounded, so it is the same double on every JVM).
 * The st field exists only once some sample of the buffer has a known start timestamp (then every
 * sample has one; unknown = 0); the first known one rebuilds the stream with it.
 *
 * <p>Appends in timestamp order are O(1). An append older than the newest sample (out of order)
 * decodes, inserts and rebuilds: O(buffered samples), rare with scraped data. Not thread safe: the
 * owning {@link SeriesState}'s monitor guards it.
 */
final class HeadBuffer {
    /** Heap bytes of this object and of its array's header (compressed oops; fields below). */
    static final int OVERHEAD_BYTES = 80 + 16;
    private static final int INITIAL_BYTES = 24;
    /**
     * Growth step: 32 bytes plus an eighth, not a doubling: the slack is what every active series
     * pays (a 2 h buffer of 15 s samples is ~1 KB), the copies are a few per chunk window.
     */
    private static final int GROWTH_BYTES = 32;

    private byte[] buf = new byte[INITIAL_BYTES];
    private int bitLen;
    private int size;
    private boolean withSt;
    /** Decimal state: the current scale and the previous value's scaled integer. */
    private byte scale;
    /** Raw values in a row (capped at 2): the encoder stops searching scales for series that are not decimal. */
    private byte rawRun;
    private long lastM;
    private long firstT;
    private long lastT;
    private long lastDelta;
    private long lastVBits;
    private long lastSt;
    /** {@link #timestampAt} cache: index (-1 = none) and its timestamp; appends do not change it. */
    private int cachedIndex = -1;
    private long cachedT;

    /** Decoded samples: exactly {@code ts.length} of them; {@code sts} null when none is known. */
    record Samples(long[] ts, double[] vals, long[] sts) {
        int size() {
            return ts.length;
        }
    }

    /** A buffer holding samples [from, to) of sorted arrays ({@code sts} may be null). */
    static HeadBuffer of(long[] ts, long[] sts, double[] vals, int from, int to) {
        HeadBuffer b = new HeadBuffer();
        b.fill(ts, sts, vals, from, to);
        return b;
    }

    int size() {
        return size;
    }

    long firstT() {
        return firstT;
    }

    long lastT() {
        return lastT;
    }

    long lastValueBits() {
        return lastVBits;
    }

    long heapBytes() {
        return OVERHEAD_BYTES + buf.length;
    }

    /** A byte the next append writes (see {@link MemShard#prefetch}). */
    int touch() {
        byte[] b = buf;
        return b[Math.min(bitLen >>> 3, b.length - 1)];
    }

    /** Appends a sample newer than every buffered one ({@code st} 0 = unknown). */
    void append(long t, long st, double v) {
        if (size > 0 && t <= lastT) throw new IllegalArgumentException("append at " + t + " not after " + lastT);
        if (st != 0 && !withSt) {
            Samples s = decode();
            long[] sts = new long[s.size() + 1];
            long[] ts = Arrays.copyOf(s.ts(), s.size() + 1);
            double[] vals = Arrays.copyOf(s.vals(), s.size() + 1);
            ts[s.size()] = t;
            vals[s.size()] = v;
            sts[s.size()] = st;
            fill(ts, sts, vals, 0, ts.length);
            return;
        }
        long vb = Double.doubleToRawLongBits(v);
        long delta = t - lastT;
        writeDod(delta - lastDelta);
        lastDelta = delta;
        writeValue(vb, v);
        if (withSt) {
            if (st == lastSt) {
                write(0, 1);
            } else {
                write(1, 1);
                write(st, 64);
            }
        }
        if (size == 0) firstT = t;
        lastT = t;
        lastVBits = vb;
        lastSt = st;
        size++;
    }

    /** Timestamp of sample {@code i} (0 <= i < size), cached: sealing checks the same index after every append. */
    long timestampAt(int i) {
        if (i == cachedIndex) return cachedT;
        long[] ts = decode().ts();
        cachedIndex = i;
        cachedT = ts[i];
        return cachedT;
    }

    /** Replaces the contents with samples [from, to) of sorted arrays ({@code sts} may be null). */
    void fill(long[] ts, long[] sts, double[] vals, int from, int to) {
        boolean st = false;
        if (sts != null) for (int i = from; i < to && !st; i++) st = sts[i] != 0;
        int estimate = 16 + (st ? 8 : 0) + 3 * (to - from);
        buf = new byte[Math.max(INITIAL_BYTES, estimate)];
        bitLen = 0;
        size = 0;
        withSt = st;
        lastT = 0;
        lastDelta = 0;
        lastVBits = 0;
        lastSt = 0;
        scale = 0;
        rawRun = 0;
        lastM = 0;
        cachedIndex = -1;
        for (int i = from; i < to; i++) append(ts[i], st ? sts[i] : 0, vals[i]);
        int used = (bitLen + 7) >>> 3;
        if (buf.length > used + INITIAL_BYTES) buf = Arrays.copyOf(buf, used + 8);
    }

    /** Every buffered sample, in order. */
    Samples decode() {
        long[] ts = new long[size];
        double[] vals = new double[size];
        long[] sts = withSt ? new long[size] : null;
        int[] pos = {0};
        long t = 0, delta = 0, vb = 0, st = 0, m = 0;
        int e = 0;
        for (int i = 0; i < size; i++) {
            delta += readDod(pos);
            t += delta;
            if (read(pos, 1) != 0) {
                if (read(pos, 1) == 0) {
                    m += readNum(pos);
                    vb = Double.doubleToRawLongBits(m / POW10[e]);
                } else if (read(pos, 1) == 0) {
                    int ne = (int) read(pos, 3);
                    m = m * (long) POW10[ne - e] + readNum(pos);
                    e = ne;
                    vb = Double.doubleToRawLongBits(m / POW10[e]);
                } else {
                    vb = read(pos, 64);
                    m = 0;
                }
            }
            if (withSt && read(pos, 1) != 0) st = read(pos, 64);
            ts[i] = t;
            vals[i] = Double.longBitsToDouble(vb);
            if (sts != null) sts[i] = st;
        }
        return new Samples(ts, vals, sts);
    }

    private void writeDod(long dod) {
        if (dod == 0) {
            write(0, 1);
        } else if (dod >= -64 && dod <= 63) {
            write(0b10, 2);
            write(dod, 7);
        } else if (dod >= -512 && dod <= 511) {
            write(0b110, 3);
            write(dod, 10);
        } else if (dod >= Short.MIN_VALUE && dod <= Short.MAX_VALUE) {
            write(0b1110, 4);
            write(dod, 16);
        } else if (dod >= Integer.MIN_VALUE && dod <= Integer.MAX_VALUE) {
            write(0b11110, 5);
            write(dod, 32);
        } else {
            write(0b11111, 5);
            write(dod, 64);
        }
    }

    private long readDod(int[] pos) {
        int ones = 0;
        while (ones < 5 && read(pos, 1) != 0) ones++;
        int bits = switch (ones) {
            case 0 -> 0;
            case 1 -> 7;
            case 2 -> 10;
            case 3 -> 16;
            case 4 -> 32;
            default -> 64;
        };
        if (bits == 0) return 0;
        long v = read(pos, bits);
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7};
    /** Scaled integers stay below 2^53, where doubles hold every integer exactly. */
    private static final double MAX_M = 0x1p53;

    private void writeValue(long vb, double v) {
        if (vb == lastVBits && size > 0) {
            write(0, 1);
            return;
        }
        // after two raw values in a row only the current scale is tried (one division, not eight):
        // the encoder's choice, not part of the stream
        int maxScale = rawRun >= 2 ? scale + 1 : POW10.length;
        for (int e = scale; e < maxScale; e++) {
            double scaled = v * POW10[e];
            if (!(Math.abs(scaled) < MAX_M)) break;
            long m = Math.round(scaled);
            if (Double.doubleToRawLongBits(m / POW10[e]) != vb) continue;
            if (e == scale) {
                write(0b10, 2);
                writeNum(m - lastM);
            } else {
                long base = lastM * (long) POW10[e - scale];
                if (Math.abs((double) lastM * POW10[e - scale]) >= MAX_M) break;
                write(0b110, 3);
                write(e, 3);
                writeNum(m - base);
                scale = (byte) e;
            }
            lastM = m;
            rawRun = 0;
            return;
        }
        write(0b111, 3);
        write(vb, 64);
        lastM = 0;
        if (rawRun < 2) rawRun++;
    }

    private void writeNum(long d) {
        if (d >= -32 && d <= 31) {
            write(0, 1);
            write(d, 6);
        } else if (d >= -4096 && d <= 4095) {
            write(0b10, 2);
            write(d, 13);
        } else if (d >= -(1 << 19) && d < (1 << 19)) {
            write(0b110, 3);
            write(d, 20);
        } else if (d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
            write(0b1110, 4);
            write(d, 32);
        } else {
            write(0b1111, 4);
            write(d, 64);
        }
    }

    private long readNum(int[] pos) {
        int ones = 0;
        while (ones < 4 && read(pos, 1) != 0) ones++;
        int bits = switch (ones) {
            case 0 -> 6;
            case 1 -> 13;
            case 2 -> 20;
            case 3 -> 32;
            default -> 64;
        };
        long v = read(pos, bits);
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    /** Writes the low {@code n} bits of {@code v} (1 <= n <= 64); bytes past bitLen are zero. */
    private void write(long v, int n) {
        int end = bitLen + n;
        if ((end + 7) >>> 3 > buf.length) buf = Arrays.copyOf(buf, Math.max((end + 7) >>> 3, buf.length + GROWTH_BYTES + (buf.length >>> 3)));
        int at = bitLen >>> 3, off = bitLen & 7;
        if (at + 8 <= buf.length && off + n <= 64) { // one 64-bit read-modify-write
            long bits = n == 64 ? v : v & ((1L << n) - 1);
            LONG_BE.set(buf, at, (long) LONG_BE.get(buf, at) | (bits << (64 - n) >>> off));
            bitLen = end;
            return;
        }
        while (n > 0) {
            int free = 8 - (bitLen & 7);
            int take = Math.min(free, n);
            int bits = (int) (v >>> (n - take)) & ((1 << take) - 1);
            buf[bitLen >>> 3] |= (byte) (bits << (free - take));
            bitLen += take;
            n -= take;
        }
    }

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Reads {@code n} bits (1 <= n <= 64) at pos[0] and advances it: one 64-bit load (two bytes more at most). */
    private long read(int[] pos, int n) {
        int p = pos[0];
        int at = p >>> 3, off = p & 7;
        long w = word(at) << off;
        long v = w >>> (64 - n);
        if (off + n > 64) v |= (buf[at + 8] & 0xFFL) >>> (72 - off - n);
        pos[0] = p + n;
        return v;
    }

    /** 8 bytes at {@code at}, big-endian; bytes past the array read as 0. */
    private long word(int at) {
        byte[] b = buf;
        if (at + 8 <= b.length) return (long) LONG_BE.get(b, at);
        long w = 0;
        for (int i = 0; i < 8; i++) w = (w << 8) | (at + i < b.length ? b[at + i] & 0xFFL : 0);
        return w;
    }
}
