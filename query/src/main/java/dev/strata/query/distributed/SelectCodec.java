package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import dev.strata.query.storage.Series;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of node-to-node selects (docs/format/select.md). Request:
 * {@code Magic "SSEL", Version u8, MinT i64, MaxT i64, ShardCount varint, Shard varint^ShardCount,
 * MatcherCount varint, <Type u8, Name Str, Value Str>^MatcherCount}. Response:
 * {@code Magic "SRES", Version u8, ServedCount varint, Shard varint^ServedCount, SeriesCount varint,
 * <LabelCount varint, <Name Str, Value Str>^LabelCount, SampleCount varint, FirstT zigzag-varint,
 * DeltaT zigzag-varint^(SampleCount-1), Value f64^SampleCount>^SeriesCount}. Str = varint length + UTF-8.
 * Version 2 (written when some series has start timestamps) adds after each series' values
 * {@code HasStart u8 (0|1), [StartDelta zigzag-varint^SampleCount]} with StartDelta = t - start
 * timestamp. Version 3 (written when a pushed-down evaluation has warnings or infos) has the HasStart
 * fields too and ends with {@code WarningCount varint, Str^WarningCount, InfoCount varint, Str^InfoCount}.
 * Version 4 (a pushed-down evaluation's answer to an asker that asked for sample counts) is version 3
 * followed by {@code TotalSamples varint, StepCount varint, StepDelta zigzag-varint^StepCount}, each
 * step's count as the difference from the previous step's (the first from 0); the steps must add up
 * to the total. Version 5 (written when some series has native-histogram samples) is version 3 with
 * each series' histograms after its start-timestamp fields ({@link Out#histograms}) and, at the end,
 * {@code HasSampleCounts u8 (0|1)} followed by version 4's sample counts when 1.
 * Big-endian. Decoding errors are {@link SelectFormatException} naming the field and sizes.
 */
public final class SelectCodec {
    static final int REQUEST_MAGIC = 0x5353454C; // "SSEL"
    static final int RESPONSE_MAGIC = 0x53524553; // "SRES"
    static final int PUSHDOWN_MAGIC = 0x53515259; // "SQRY"
    static final byte VERSION = 1;
    /** Select responses carrying per-sample start timestamps. */
    static final byte RESPONSE_VERSION_2 = 2;
    /** Responses with annotations (a pushed-down evaluation's warnings or infos); they may carry start timestamps too. */
    static final byte RESPONSE_VERSION_3 = 3;
    /** Version 3 plus the evaluation's sample counts ({@link SampleCounts}). */
    static final byte RESPONSE_VERSION_4 = 4;
    /**
     * Written when some series has native-histogram samples: version 3 (start-timestamp fields and
     * annotation counts) with each series' histograms after its start timestamps, and the sample counts
     * behind a presence byte.
     */
    static final byte RESPONSE_VERSION_5 = 5;
    /**
     * Pushdown requests with a Flags byte after Lookback (bit 0: delayed name removal, bit 1: use start
     * timestamps). Version 1 means both, the only modes of version 1 owners: a request with both set is
     * written as version 1, byte for byte; any other is version 2, which such owners refuse rather than
     * answer in the wrong mode.
     */
    static final byte PUSHDOWN_VERSION_2 = 2;
    /** Pushdown Flags bit: the asker evaluates with delayed name removal. */
    static final int FLAG_DELAYED_NAME_REMOVAL = 1;
    /** Pushdown Flags bit: the asker's rate/increase/irate/resets use start timestamps. */
    static final int FLAG_USE_START_TIMESTAMPS = 2;
    private static final Matcher.Type[] TYPES = Matcher.Type.values();

    private SelectCodec() {}

    /** Version 2: version 1 followed by the limits ({@code TimeoutMs varint, MaxSamples varint}, 0 = none). */
    static final byte REQUEST_VERSION_2 = 2;

    public static byte[] encodeRequest(SelectRequest r) {
        Out out = new Out(64);
        out.i32(REQUEST_MAGIC);
        out.u8(REQUEST_VERSION_2);
        out.i64(r.minT());
        out.i64(r.maxT());
        out.varint(r.shards().size());
        for (int s : r.shards()) out.varint(s);
        out.matchers(r.matchers());
        out.varint(r.timeoutMs());
        out.varint(r.maxSamples());
        return out.toByteArray();
    }

    public static SelectRequest decodeRequest(byte[] bytes) {
        In in = new In(bytes, "select request");
        int version = in.magic(REQUEST_MAGIC, REQUEST_VERSION_2);
        long minT = in.i64("minT");
        long maxT = in.i64("maxT");
        int ns = in.count("shard count", 1);
        List<Integer> shards = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) shards.add(in.count("shard"));
        List<Matcher> matchers = in.matchers();
        long timeoutMs = 0, maxSamples = 0;
        if (version >= REQUEST_VERSION_2) {
            timeoutMs = in.nonNegative("timeout");
            maxSamples = in.nonNegative("max samples");
        }
        in.end();
        return new SelectRequest(shards, matchers, minT, maxT, timeoutMs, maxSamples);
    }

    /**
     * {@code Magic "SQRY", Version u8, Start i64, End i64, Step i64, Lookback i64, [Flags u8 (version 2)],
     * ShardCount varint, Shard varint^n, Query Str}; version 1 means both flags set.
     */
    public static byte[] encodePushdown(PushdownRequest r) {
        Out out = new Out(64 + r.query().length());
        int flags = (r.delayedNameRemoval() ? FLAG_DELAYED_NAME_REMOVAL : 0) | (r.useStartTimestamps() ? FLAG_USE_START_TIMESTAMPS : 0);
        boolean v1 = flags == (FLAG_DELAYED_NAME_REMOVAL | FLAG_USE_START_TIMESTAMPS);
        out.i32(PUSHDOWN_MAGIC);
        out.u8(v1 ? VERSION : PUSHDOWN_VERSION_2);
        out.i64(r.startMs());
        out.i64(r.endMs());
        out.i64(r.stepMs());
        out.i64(r.lookbackMs());
        if (!v1) out.u8(flags);
        out.varint(r.shards().size());
        for (int s : r.shards()) out.varint(s);
        out.str(r.query());
        return out.toByteArray();
    }

    public static PushdownRequest decodePushdown(byte[] bytes) {
        In in = new In(bytes, "pushdown request");
        int version = in.magic(PUSHDOWN_MAGIC, PUSHDOWN_VERSION_2);
        long start = in.i64("start");
        long end = in.i64("end");
        long step = in.i64("step");
        long lookback = in.i64("lookback");
        int known = FLAG_DELAYED_NAME_REMOVAL | FLAG_USE_START_TIMESTAMPS;
        int flags = known;
        if (version >= PUSHDOWN_VERSION_2) {
            flags = in.u8("flags");
            if ((flags & ~known) != 0) {
                throw new SelectFormatException("pushdown request: unknown flags 0x" + Integer.toHexString(flags)
                        + ", this node knows 0x" + Integer.toHexString(known));
            }
        }
        int ns = in.count("shard count", 1);
        List<Integer> shards = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) shards.add(in.count("shard"));
        String query = in.str("query");
        in.end();
        return new PushdownRequest(shards, query, start, end, step, lookback, (flags & FLAG_DELAYED_NAME_REMOVAL) != 0,
                (flags & FLAG_USE_START_TIMESTAMPS) != 0);
    }

    public static byte[] encodeResponse(SelectResponse r) {
        Out out = new Out(1024);
        boolean withStart = false, withHistograms = false;
        for (Series s : r.series()) {
            withStart |= s.startTimestamps() != null;
            withHistograms |= s.histograms() != null;
        }
        boolean annotated = !r.warnings().isEmpty() || !r.infos().isEmpty();
        int version = withHistograms ? RESPONSE_VERSION_5 : r.samples() != null ? RESPONSE_VERSION_4 : annotated ? RESPONSE_VERSION_3
                : withStart ? RESPONSE_VERSION_2 : VERSION;
        out.i32(RESPONSE_MAGIC);
        out.u8(version);
        out.varint(r.served().size());
        for (int s : r.served()) out.varint(s);
        out.varint(r.series().size());
        for (Series s : r.series()) {
            Labels l = s.labels();
            out.varint(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.str(l.name(i));
                out.str(l.value(i));
            }
            int n = s.size();
            out.varint(n);
            long prev = 0;
            for (int i = 0; i < n; i++) {
                long t = s.timestamps()[i];
                out.zigzag(i == 0 ? t : t - prev);
                prev = t;
            }
            for (int i = 0; i < n; i++) out.i64(Double.doubleToRawLongBits(s.values()[i]));
            if (version >= RESPONSE_VERSION_2) {
                long[] st = s.startTimestamps();
                out.u8(st == null ? 0 : 1);
                if (st != null) for (int i = 0; i < n; i++) out.zigzag(s.timestamps()[i] - st[i]);
            }
            if (version >= RESPONSE_VERSION_5) out.histograms(s.histograms(), n);
        }
        if (version >= RESPONSE_VERSION_3) {
            out.varint(r.warnings().size());
            for (String w : r.warnings()) out.str(w);
            out.varint(r.infos().size());
            for (String i : r.infos()) out.str(i);
        }
        if (version >= RESPONSE_VERSION_5) out.u8(r.samples() == null ? 0 : 1);
        if (version >= RESPONSE_VERSION_4 && r.samples() != null) {
            long[] perStep = r.samples().perStep();
            out.varint(r.samples().total());
            out.varint(perStep.length);
            long prev = 0;
            for (long n : perStep) {
                out.zigzag(n - prev);
                prev = n;
            }
        }
        return out.toByteArray();
    }

    public static SelectResponse decodeResponse(byte[] bytes) {
        In in = new In(bytes, "select response");
        int version = in.magic(RESPONSE_MAGIC, RESPONSE_VERSION_5);
        int ns = in.count("served count", 1);
        List<Integer> served = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) served.add(in.count("served shard"));
        int nseries = in.count("series count", 2);
        List<Series> series = new ArrayList<>(Math.min(nseries, 1 << 16));
        for (int i = 0; i < nseries; i++) {
            int nl = in.count("label count", 2);
            String[] kv = new String[nl * 2];
            for (int j = 0; j < nl; j++) {
                kv[2 * j] = in.str("label name");
                kv[2 * j + 1] = in.str("label value");
            }
            int n = in.count("sample count");
            if ((long) n * 9 > in.remaining()) {
                throw new SelectFormatException("select response: series " + i + " claims " + n + " samples but only "
                        + in.remaining() + " bytes remain");
            }
            long[] ts = new long[n];
            double[] vs = new double[n];
            long prev = 0;
            for (int k = 0; k < n; k++) {
                long d = in.zigzag("timestamp");
                ts[k] = k == 0 ? d : prev + d;
                prev = ts[k];
            }
            for (int k = 0; k < n; k++) vs[k] = Double.longBitsToDouble(in.i64("value"));
            long[] st = null;
            if (version >= RESPONSE_VERSION_2) {
                int has = in.u8("start timestamp flag");
                if (has > 1) throw new SelectFormatException("select response: series " + i + " has start timestamp flag " + has + ", expected 0 or 1");
                if (has == 1) {
                    st = new long[n];
                    for (int k = 0; k < n; k++) st[k] = ts[k] - in.zigzag("start timestamp");
                }
            }
            FloatHistogram[] hs = version >= RESPONSE_VERSION_5 ? in.histograms(i, n) : null;
            series.add(new Series(Labels.of(kv), ts, vs, st, hs));
        }
        List<String> warnings = new ArrayList<>(), infos = new ArrayList<>();
        if (version >= 3) {
            int nw = in.count("warning count", 1);
            for (int i = 0; i < nw; i++) warnings.add(in.str("warning"));
            int ni = in.count("info count", 1);
            for (int i = 0; i < ni; i++) infos.add(in.str("info"));
        }
        boolean hasSamples = version == RESPONSE_VERSION_4 || version >= RESPONSE_VERSION_5 && in.flag("sample counts flag");
        SampleCounts samples = hasSamples ? in.sampleCounts() : null;
        in.end();
        return new SelectResponse(served, series, warnings, infos, samples);
    }

    /** Growable big-endian output. */
    static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        void u8(int v) {
            write(v);
        }

        void i32(int v) {
            for (int s = 24; s >= 0; s -= 8) write(v >>> s);
        }

        void i64(long v) {
            for (int s = 56; s >= 0; s -= 8) write((int) (v >>> s));
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        /** {@code MatcherCount varint, <Type u8, Name Str, Value Str>^MatcherCount}. */
        void matchers(List<Matcher> ms) {
            varint(ms.size());
            for (Matcher m : ms) {
                u8(m.type().ordinal());
                str(m.name());
                str(m.value());
            }
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        /**
         * {@code HistogramCount varint, <Index varint, Histogram>^HistogramCount}, indexes ascending; a
         * histogram is {@code Hint u8, Schema zigzag, ZeroThreshold f64, ZeroCount f64, Count f64, Sum f64},
         * positive and negative spans and buckets ({@code SpanCount varint, <Offset zigzag, Length varint>^n,
         * BucketCount varint, f64^n} each) and {@code CustomCount varint, f64^n}.
         */
        void histograms(FloatHistogram[] hs, int n) {
            int count = 0;
            if (hs != null) for (int i = 0; i < n; i++) if (hs[i] != null) count++;
            varint(count);
            if (count == 0) return;
            for (int i = 0; i < n; i++) {
                FloatHistogram h = hs[i];
                if (h == null) continue;
                varint(i);
                u8(h.resetHint().ordinal());
                zigzag(h.schema());
                f64(h.zeroThreshold());
                f64(h.zeroCount());
                f64(h.count());
                f64(h.sum());
                spans(h.positiveSpanOffsets(), h.positiveSpanLengths(), h.positiveBuckets());
                spans(h.negativeSpanOffsets(), h.negativeSpanLengths(), h.negativeBuckets());
                varint(h.customValues().length);
                for (double c : h.customValues()) f64(c);
            }
        }

        private void spans(int[] offsets, int[] lengths, double[] buckets) {
            varint(offsets.length);
            for (int i = 0; i < offsets.length; i++) {
                zigzag(offsets[i]);
                varint(lengths[i]);
            }
            varint(buckets.length);
            for (double b : buckets) f64(b);
        }

        void f64(double v) {
            i64(Double.doubleToRawLongBits(v));
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            write(b, 0, b.length);
        }
    }

    static final class In {
        private final ByteBuffer buf;
        private final String what;

        In(byte[] bytes, String what) {
            this.buf = ByteBuffer.wrap(bytes);
            this.what = what;
        }

        int remaining() {
            return buf.remaining();
        }

        void magic(int expected) {
            magic(expected, VERSION);
        }

        /** Checks magic and version (1 .. maxVersion) and returns the version. */
        int magic(int expected, int maxVersion) {
            if (buf.remaining() < 5) throw new SelectFormatException(what + ": " + buf.remaining() + " bytes, too short for a header");
            int m = buf.getInt();
            if (m != expected) {
                throw new SelectFormatException(what + ": bad magic 0x" + Integer.toHexString(m) + ", expected 0x"
                        + Integer.toHexString(expected));
            }
            int v = buf.get() & 0xFF;
            if (v < VERSION || v > maxVersion) {
                throw new SelectFormatException(what + ": unsupported version " + v + ", this node reads "
                        + (maxVersion == VERSION ? String.valueOf(VERSION) : VERSION + " to " + maxVersion));
            }
            return v;
        }

        int u8(String field) {
            try {
                return buf.get() & 0xFF;
            } catch (BufferUnderflowException e) {
                throw truncated(field);
            }
        }

        long i64(String field) {
            try {
                return buf.getLong();
            } catch (BufferUnderflowException e) {
                throw truncated(field);
            }
        }

        long varint(String field) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (!buf.hasRemaining()) throw truncated(field);
                byte b = buf.get();
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return v;
            }
            throw new SelectFormatException(what + ": varint " + field + " longer than 10 bytes at offset " + buf.position());
        }

        long zigzag(String field) {
            long v = varint(field);
            return (v >>> 1) ^ -(v & 1);
        }

        /** {@code TotalSamples varint, StepCount varint, StepDelta zigzag^StepCount}; the steps must add up to the total. */
        SampleCounts sampleCounts() {
            long total = varint("total samples");
            int steps = count("step count");
            if (steps > buf.remaining()) {
                throw new SelectFormatException(what + ": " + steps + " per-step sample counts but only " + buf.remaining()
                        + " bytes remain");
            }
            long[] perStep = new long[steps];
            long prev = 0;
            for (int i = 0; i < steps; i++) perStep[i] = prev += zigzag("step samples");
            try {
                return new SampleCounts(total, perStep);
            } catch (IllegalArgumentException e) {
                throw new SelectFormatException(what + ": bad sample counts: " + e.getMessage());
            }
        }

        /** Reads what {@link Out#matchers} wrote. */
        List<Matcher> matchers() {
            int nm = count("matcher count", 3);
            List<Matcher> matchers = new ArrayList<>(Math.min(nm, 64));
            for (int i = 0; i < nm; i++) {
                int t = u8("matcher type");
                if (t >= TYPES.length) throw new SelectFormatException(what + ": matcher " + i + " has unknown type " + t);
                matchers.add(Matcher.of(TYPES[t], str("matcher name"), str("matcher value")));
            }
            return matchers;
        }

        long nonNegative(String field) {
            long v = varint(field);
            if (v < 0) throw new SelectFormatException(what + ": " + field + " " + v + " out of range");
            return v;
        }

        int count(String field) {
            long v = varint(field);
            if (v < 0 || v > Integer.MAX_VALUE) throw new SelectFormatException(what + ": " + field + " " + v + " out of range");
            return (int) v;
        }

        /**
         * A declared count of items that take at least {@code minBytesEach} bytes each, checked
         * against the bytes that remain before anything is allocated for them.
         */
        int count(String field, int minBytesEach) {
            int n = count(field);
            if ((long) n * minBytesEach > buf.remaining()) {
                throw new SelectFormatException(what + ": " + field + " " + n + " cannot fit in the " + buf.remaining()
                        + " bytes that remain");
            }
            return n;
        }

        boolean flag(String field) {
            int v = u8(field);
            if (v > 1) throw new SelectFormatException(what + ": " + field + " is " + v + ", expected 0 or 1");
            return v == 1;
        }

        /** The histograms of series {@code series} with {@code n} samples (see {@link Out#histograms}); null when none. */
        FloatHistogram[] histograms(int series, int n) {
            int count = count("histogram count", 2);
            if (count == 0) return null;
            if (count > n) throw new SelectFormatException(what + ": series " + series + " has " + count + " histograms but " + n + " samples");
            FloatHistogram[] out = new FloatHistogram[n];
            int prev = -1;
            for (int k = 0; k < count; k++) {
                int idx = count("histogram sample index");
                if (idx <= prev || idx >= n) {
                    throw new SelectFormatException(what + ": series " + series + " histogram index " + idx + " not ascending within 0.." + (n - 1));
                }
                prev = idx;
                int hint = u8("histogram reset hint");
                if (hint >= FloatHistogram.ResetHint.values().length) throw new SelectFormatException(what + ": unknown histogram reset hint " + hint);
                long schema = zigzag("histogram schema");
                double zt = f64("zero threshold"), zc = f64("zero count"), c = f64("histogram count"), sum = f64("histogram sum");
                int[][] pos = spans("positive spans");
                double[] posBuckets = doubles("positive buckets");
                int[][] neg = spans("negative spans");
                double[] negBuckets = doubles("negative buckets");
                double[] custom = doubles("custom bounds");
                try {
                    out[idx] = new FloatHistogram(FloatHistogram.ResetHint.values()[hint], (int) schema, zt, zc, c, sum, pos[0], pos[1],
                            posBuckets, neg[0], neg[1], negBuckets, custom);
                } catch (IllegalArgumentException e) {
                    throw new SelectFormatException(what + ": series " + series + " histogram " + idx + ": " + e.getMessage());
                }
            }
            return out;
        }

        private int[][] spans(String field) {
            int n = count(field + " count", 2);
            int[] offsets = new int[n], lengths = new int[n];
            for (int i = 0; i < n; i++) {
                offsets[i] = (int) zigzag(field + " offset");
                lengths[i] = count(field + " length");
            }
            return new int[][] {offsets, lengths};
        }

        private double[] doubles(String field) {
            int n = count(field + " count", 8);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = f64(field);
            return out;
        }

        double f64(String field) {
            return Double.longBitsToDouble(i64(field));
        }

        String str(String field) {
            int n = count(field + " length");
            if (n > buf.remaining()) {
                throw new SelectFormatException(what + ": " + field + " of " + n + " bytes but only " + buf.remaining() + " remain");
            }
            String s = new String(buf.array(), buf.position(), n, StandardCharsets.UTF_8);
            buf.position(buf.position() + n);
            return s;
        }

        void end() {
            if (buf.hasRemaining()) throw new SelectFormatException(what + ": " + buf.remaining() + " trailing bytes");
        }

        private SelectFormatException truncated(String field) {
            return new SelectFormatException(what + ": truncated at offset " + buf.position() + " reading " + field);
        }
    }
}
