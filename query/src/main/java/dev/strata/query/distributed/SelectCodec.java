package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import dev.strata.query.engine.HistogramPartial;
import dev.strata.query.storage.Series;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

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
 * {@code HasSampleCounts u8 (0|1)} followed by version 4's sample counts when 1. Version 6 (a
 * pushed-down sum's answer with histogram partials, {@link SelectResponse#histogramPartials}) is version 5
 * with a member table after the served shards ({@code MemberCount varint, Labels^MemberCount}), each
 * series' partials after its histograms ({@link Out#partials}), and a CRC32C of everything before it at
 * the end ({@code u32}). Big-endian. Decoding errors are {@link SelectFormatException} naming the field and sizes.
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
     * Written when some series has histogram partials (a pushed-down sum asked for them): version 5 plus
     * the member table, the per-series partials and a trailing CRC32C (docs/format/select.md).
     */
    static final byte RESPONSE_VERSION_6 = 6;
    /** Partial flags (response version 6). */
    static final int PARTIAL_FLOATS = 1, PARTIAL_RESET = 2, PARTIAL_NOT_RESET = 4, PARTIAL_RECONCILED = 8,
            PARTIAL_FIRST_EXPONENTIAL = 16, PARTIAL_FIRST_CUSTOM = 32;
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
        boolean withPartials = r.hasHistogramPartials();
        int version = withPartials ? RESPONSE_VERSION_6 : withHistograms ? RESPONSE_VERSION_5 : r.samples() != null ? RESPONSE_VERSION_4 : annotated ? RESPONSE_VERSION_3
                : withStart ? RESPONSE_VERSION_2 : VERSION;
        out.i32(RESPONSE_MAGIC);
        out.u8(version);
        out.varint(r.served().size());
        for (int s : r.served()) out.varint(s);
        Map<Labels, Integer> members = withPartials ? members(r) : null;
        if (withPartials) {
            out.varint(members.size());
            for (Labels l : members.keySet()) out.labels(l);
        }
        out.varint(r.series().size());
        for (int si = 0; si < r.series().size(); si++) {
            Series s = r.series().get(si);
            out.labels(s.labels());
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
            if (version >= RESPONSE_VERSION_6) out.partials(r.partialsOf(si), members);
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
        if (version >= RESPONSE_VERSION_6) out.crc();
        return out.toByteArray();
    }

    /** The member table of a version 6 answer: every first series its partials name, numbered in order of appearance. */
    private static Map<Labels, Integer> members(SelectResponse r) {
        Map<Labels, Integer> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < r.series().size(); i++) {
            HistogramPartial[] ps = r.partialsOf(i);
            if (ps == null) continue;
            for (HistogramPartial p : ps) {
                if (p == null) continue;
                if (p.firstExponential() != null) out.putIfAbsent(p.firstExponential(), out.size());
                if (p.firstCustom() != null) out.putIfAbsent(p.firstCustom(), out.size());
            }
        }
        return out;
    }

    public static SelectResponse decodeResponse(byte[] bytes) {
        In in = new In(bytes, "select response");
        int version = in.magic(RESPONSE_MAGIC, RESPONSE_VERSION_6);
        if (version >= RESPONSE_VERSION_6) in.checkCrc();
        int ns = in.count("served count", 1);
        List<Integer> served = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) served.add(in.count("served shard"));
        List<Labels> members = null;
        if (version >= RESPONSE_VERSION_6) {
            int nm = in.count("member count", 1);
            members = new ArrayList<>(Math.min(nm, 1 << 16));
            for (int i = 0; i < nm; i++) members.add(in.labels());
        }
        int nseries = in.count("series count", 2);
        List<Series> series = new ArrayList<>(Math.min(nseries, 1 << 16));
        List<HistogramPartial[]> partials = version >= RESPONSE_VERSION_6 ? new ArrayList<>(Math.min(nseries, 1 << 16)) : null;
        for (int i = 0; i < nseries; i++) {
            Labels labels = in.labels();
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
            if (partials != null) partials.add(in.partials(i, n, hs, members));
            series.add(new Series(labels, ts, vs, st, hs));
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
        return new SelectResponse(served, series, warnings, infos, samples, partials);
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

        /** {@code LabelCount varint, <Name Str, Value Str>^LabelCount}, sorted by name. */
        void labels(Labels l) {
            varint(l.size());
            for (int i = 0; i < l.size(); i++) {
                str(l.name(i));
                str(l.value(i));
            }
        }

        /**
         * {@code PartialCount varint, <Index varint, Flags u8, Count varint, [FirstExponential varint],
         * [FirstCustom varint]>^PartialCount}, indexes ascending; Flags bits: 0 floats seen, 1 counter reset
         * seen, 2 not-counter-reset seen, 3 custom bounds reconciled, 4/5 FirstExponential/FirstCustom present
         * (member table indexes). The sum is the sample's histogram.
         */
        void partials(HistogramPartial[] ps, Map<Labels, Integer> members) {
            int count = 0;
            if (ps != null) for (HistogramPartial p : ps) if (p != null) count++;
            varint(count);
            if (count == 0) return;
            for (int i = 0; i < ps.length; i++) {
                HistogramPartial p = ps[i];
                if (p == null) continue;
                varint(i);
                u8((p.floatsSeen() ? PARTIAL_FLOATS : 0) | (p.counterResetSeen() ? PARTIAL_RESET : 0)
                        | (p.notCounterResetSeen() ? PARTIAL_NOT_RESET : 0) | (p.customReconciled() ? PARTIAL_RECONCILED : 0)
                        | (p.firstExponential() != null ? PARTIAL_FIRST_EXPONENTIAL : 0) | (p.firstCustom() != null ? PARTIAL_FIRST_CUSTOM : 0));
                varint(p.count());
                if (p.firstExponential() != null) varint(members.get(p.firstExponential()));
                if (p.firstCustom() != null) varint(members.get(p.firstCustom()));
            }
        }

        /** Appends the CRC32C of everything written so far. */
        void crc() {
            CRC32C crc = new CRC32C();
            crc.update(buf, 0, count);
            i32((int) crc.getValue());
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

        /** Reads what {@link Out#labels} wrote. */
        Labels labels() {
            int nl = count("label count", 2);
            String[] kv = new String[nl * 2];
            for (int j = 0; j < nl; j++) {
                kv[2 * j] = str("label name");
                kv[2 * j + 1] = str("label value");
            }
            return Labels.of(kv);
        }

        /**
         * Checks the trailing CRC32C (version 6) and leaves it out of what remains to be read, so that a
         * corrupted body is refused before any of it is interpreted.
         */
        void checkCrc() {
            if (buf.remaining() < 4) throw new SelectFormatException(what + ": too short for its CRC32C");
            int end = buf.limit() - 4;
            CRC32C crc = new CRC32C();
            crc.update(buf.array(), 0, end);
            int stored = buf.getInt(end);
            if ((int) crc.getValue() != stored) {
                throw new SelectFormatException(what + ": CRC32C mismatch (stored 0x" + Integer.toHexString(stored) + ", computed 0x"
                        + Integer.toHexString((int) crc.getValue()) + ")");
            }
            buf.limit(end);
        }

        /** The partials of series {@code series} (see {@link Out#partials}); null when it has none. */
        HistogramPartial[] partials(int series, int n, FloatHistogram[] hs, List<Labels> members) {
            int count = count("partial count", 3);
            if (count == 0) {
                if (hs != null) throw new SelectFormatException(what + ": series " + series + " has histograms but no partials");
                return null;
            }
            if (count > n) throw new SelectFormatException(what + ": series " + series + " has " + count + " partials but " + n + " samples");
            HistogramPartial[] out = new HistogramPartial[n];
            int prev = -1;
            for (int k = 0; k < count; k++) {
                int idx = count("partial sample index");
                if (idx <= prev || idx >= n) {
                    throw new SelectFormatException(what + ": series " + series + " partial index " + idx + " not ascending within 0.." + (n - 1));
                }
                prev = idx;
                int flags = u8("partial flags");
                if ((flags & ~63) != 0) throw new SelectFormatException(what + ": series " + series + " partial " + idx + " has unknown flags 0x" + Integer.toHexString(flags));
                long c = varint("partial count");
                Labels exp = (flags & PARTIAL_FIRST_EXPONENTIAL) != 0 ? member(members, "first exponential") : null;
                Labels custom = (flags & PARTIAL_FIRST_CUSTOM) != 0 ? member(members, "first custom") : null;
                try {
                    out[idx] = new HistogramPartial(c, (flags & PARTIAL_FLOATS) != 0, (flags & PARTIAL_RESET) != 0,
                            (flags & PARTIAL_NOT_RESET) != 0, (flags & PARTIAL_RECONCILED) != 0, exp, custom, hs == null ? null : hs[idx]);
                } catch (IllegalArgumentException e) {
                    throw new SelectFormatException(what + ": series " + series + " partial " + idx + ": " + e.getMessage());
                }
            }
            if (hs != null) {
                for (int k = 0; k < n; k++) {
                    if (hs[k] != null && out[k] == null) {
                        throw new SelectFormatException(what + ": series " + series + " histogram " + k + " has no partial");
                    }
                }
            }
            return out;
        }

        private Labels member(List<Labels> members, String field) {
            int i = count(field);
            if (i >= members.size()) throw new SelectFormatException(what + ": " + field + " member " + i + " of " + members.size());
            return members.get(i);
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
