package dev.strata.query.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * The remote read handler against an in-memory store: requests are encoded here by hand from
 * prompb's field numbers, responses decoded independently (SAMPLES protobuf; stream frames, CRC-32C
 * and XOR chunks).
 */
class RemoteReadHandlerTest {
    private final InMemoryQueryable store = new InMemoryQueryable();
    private final RemoteReadHandler handler = new RemoteReadHandler(store, Executors.newSingleThreadExecutor(), 1000, 64, 1 << 20);

    RemoteReadHandlerTest() {
        for (int i = 0; i < 300; i++) {
            store.append(Labels.of("__name__", "up", "job", "a"), i * 15_000L, i);
            store.append(Labels.of("__name__", "up", "job", "b"), i * 15_000L, i * 0.5);
        }
        store.append(Labels.of("__name__", "other"), 0, 7);
        // A series with both kinds over time: floats, then histograms (integer counts, float counts,
        // custom buckets, negative buckets, a gauge hint), then a float again.
        Labels mixed = Labels.of("__name__", "up", "job", "h");
        store.append(mixed, 1_000, 1.5);
        store.append(mixed, 2_000, 2.5);
        for (int i = 0; i < HISTOGRAMS.size(); i++) store.append(mixed, 3_000 + i * 1_000L, HISTOGRAMS.get(i));
        store.append(mixed, 3_000 + HISTOGRAMS.size() * 1_000L, 9.0);
    }

    /** Histogram samples of {@code up{job="h"}}: which of them the integer form can hold is said per entry. */
    static final List<FloatHistogram> HISTOGRAMS = List.of(
            // integer: spans with a gap, a zero bucket, bucket counts that go down and up (negative deltas)
            new FloatHistogram(FloatHistogram.ResetHint.NO, 3, 0x1p-128, 2, 31, 12.75,
                    new int[] {-2, 3}, new int[] {2, 3}, new double[] {5, 1, 0, 7, 9},
                    new int[] {1}, new int[] {2}, new double[] {3, 4}, null),
            // float: a non-whole count
            new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, 0, 0.001, 0.5, 6.5, -3.25,
                    new int[] {0}, new int[] {3}, new double[] {1, 2.5, 2.5}, null, null, null, null),
            // integer, no buckets at all, gauge hint
            new FloatHistogram(FloatHistogram.ResetHint.GAUGE, -4, 0, 0, 0, 0, null, null, null, null, null, null, null),
            // custom buckets (schema -53), integer counts
            new FloatHistogram(FloatHistogram.ResetHint.YES, FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 10, 42,
                    new int[] {0, 1}, new int[] {2, 1}, new double[] {4, 5, 1}, null, null, null, new double[] {0.1, 1, 10}),
            // float: a count beyond 2^53
            new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, 8, 0, 0, 0x1p60, 1,
                    new int[] {100}, new int[] {1}, new double[] {0x1p60}, null, null, null, null));

    /** Whether {@link #HISTOGRAMS}' entry {@code i} must come as an integer histogram. */
    private static final boolean[] INTEGER = {true, false, true, true, false};

    /** {@code {__name__="up", job=~"a|b"}} over [start, end], accepting {@code types}. */
    private static byte[] request(long start, long end, String jobRegex, int... types) throws Exception {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(q);
        o.writeInt64(1, start);
        o.writeInt64(2, end);
        o.writeByteArray(3, matcher(0, "__name__", "up"));
        o.writeByteArray(3, matcher(2, "job", jobRegex));
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        CodedOutputStream ho = CodedOutputStream.newInstance(h);
        ho.writeInt64(1, 15_000);
        ho.writeString(2, "rate");
        ho.writeInt64(3, start);
        ho.writeInt64(4, end);
        ho.flush();
        o.writeByteArray(4, h.toByteArray());
        o.flush();
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        CodedOutputStream ro = CodedOutputStream.newInstance(r);
        ro.writeByteArray(1, q.toByteArray());
        for (int t : types) ro.writeEnum(2, t);
        ro.flush();
        return Snappy.compress(r.toByteArray());
    }

    private static byte[] matcher(int type, String name, String value) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(b);
        o.writeEnum(1, type);
        o.writeString(2, name);
        o.writeString(3, value);
        o.flush();
        return b.toByteArray();
    }

    private FullHttpResponse post(byte[] body) throws Exception {
        return handler.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/read",
                Unpooled.wrappedBuffer(body))).get();
    }

    record Decoded(String labels, List<Long> t, List<Double> v) {}

    private static String labels(List<String[]> ls) {
        StringBuilder s = new StringBuilder();
        for (String[] l : ls) s.append(l[0]).append('=').append(l[1]).append(',');
        return s.toString();
    }

    private static String[] label(byte[] b) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(b);
        String[] l = {"", ""};
        for (int tag; (tag = in.readTag()) != 0; ) l[(tag >>> 3) - 1] = in.readString();
        return l;
    }

    @Test
    void samplesResponse() throws Exception {
        FullHttpResponse r = post(request(30_000, 60_000, "a|b", 0));
        assertEquals(200, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        assertEquals("snappy", r.headers().get("Content-Encoding"));
        CodedInputStream resp = CodedInputStream.newInstance(Snappy.uncompress(ByteBufUtil.getBytes(r.content())));
        List<Decoded> got = new ArrayList<>();
        for (int tag; (tag = resp.readTag()) != 0; ) {
            CodedInputStream result = CodedInputStream.newInstance(resp.readByteArray());
            for (int t2; (t2 = result.readTag()) != 0; ) {
                CodedInputStream ts = CodedInputStream.newInstance(result.readByteArray());
                List<String[]> ls = new ArrayList<>();
                List<Long> t = new ArrayList<>();
                List<Double> v = new ArrayList<>();
                for (int t3; (t3 = ts.readTag()) != 0; ) {
                    byte[] m = ts.readByteArray();
                    if ((t3 >>> 3) == 1) {
                        ls.add(label(m));
                    } else {
                        CodedInputStream s = CodedInputStream.newInstance(m);
                        for (int t4; (t4 = s.readTag()) != 0; ) {
                            if ((t4 >>> 3) == 1) v.add(s.readDouble());
                            else t.add(s.readInt64());
                        }
                    }
                }
                got.add(new Decoded(labels(ls), t, v));
            }
        }
        assertEquals(List.of(
                new Decoded("__name__=up,job=a,", List.of(30_000L, 45_000L, 60_000L), List.of(2.0, 3.0, 4.0)),
                new Decoded("__name__=up,job=b,", List.of(30_000L, 45_000L, 60_000L), List.of(1.0, 1.5, 2.0))), got);
    }

    /**
     * Native histograms come in {@code TimeSeries.histograms} (field 4), floats of the same series in
     * {@code samples}; decoded here from prompb's {@code Histogram} definition: whole counts as an
     * integer histogram (count_int, zero_count_int, bucket deltas), others as a float histogram.
     */
    @Test
    void samplesResponseCarriesNativeHistograms() throws Exception {
        FullHttpResponse r = post(request(0, 100_000, "h", 0));
        assertEquals(200, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        CodedInputStream resp = CodedInputStream.newInstance(Snappy.uncompress(ByteBufUtil.getBytes(r.content())));
        List<Long> floatT = new ArrayList<>();
        List<Double> floatV = new ArrayList<>();
        List<Long> histT = new ArrayList<>();
        List<FloatHistogram> hists = new ArrayList<>();
        List<Boolean> integer = new ArrayList<>();
        int series = 0;
        for (int tag; (tag = resp.readTag()) != 0; ) {
            CodedInputStream result = CodedInputStream.newInstance(resp.readByteArray());
            for (int t2; (t2 = result.readTag()) != 0; ) {
                series++;
                CodedInputStream ts = CodedInputStream.newInstance(result.readByteArray());
                for (int t3; (t3 = ts.readTag()) != 0; ) {
                    byte[] m = ts.readByteArray();
                    switch (t3 >>> 3) {
                        case 1 -> { }
                        case 2 -> {
                            CodedInputStream s = CodedInputStream.newInstance(m);
                            for (int t4; (t4 = s.readTag()) != 0; ) {
                                if ((t4 >>> 3) == 1) floatV.add(s.readDouble());
                                else floatT.add(s.readInt64());
                            }
                        }
                        case 4 -> {
                            PromHistogram h = PromHistogram.decode(m);
                            histT.add(h.timestamp);
                            hists.add(h.histogram());
                            integer.add(h.integer);
                        }
                        default -> throw new AssertionError("unexpected TimeSeries field " + (t3 >>> 3));
                    }
                }
            }
        }
        assertEquals(1, series);
        assertEquals(List.of(1_000L, 2_000L, 3_000 + HISTOGRAMS.size() * 1_000L), floatT);
        assertEquals(List.of(1.5, 2.5, 9.0), floatV);
        assertEquals(HISTOGRAMS.size(), hists.size(), "histogram samples in TimeSeries.histograms");
        for (int i = 0; i < HISTOGRAMS.size(); i++) {
            assertEquals(3_000 + i * 1_000L, histT.get(i));
            assertEquals(HISTOGRAMS.get(i), hists.get(i), "histogram " + i);
            assertEquals(INTEGER[i], integer.get(i), "histogram " + i + " integer form");
        }

        // Histogram samples count against the sample limit like floats: 3 floats + 5 histograms = 8.
        RemoteReadHandler seven = new RemoteReadHandler(store, Executors.newSingleThreadExecutor(), 7, 1 << 20, 1 << 20);
        FullHttpResponse over = seven.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/read",
                Unpooled.wrappedBuffer(request(0, 100_000, "h", 0)))).get();
        assertEquals(400, over.status().code());
    }

    /**
     * Streamed responses hold the mixed series' floats as XOR chunks and its histograms as histogram
     * chunks (integer or float, read back with {@link HistogramChunkReader}), all in time order; each
     * histogram here needs a chunk of its own (form, kind or layout changes).
     */
    @Test
    void streamedResponseCarriesHistogramChunks() throws Exception {
        FullHttpResponse r = post(request(0, 100_000, "h", 1));
        assertEquals(200, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        CodedInputStream in = CodedInputStream.newInstance(ByteBufUtil.getBytes(r.content()));
        List<Integer> encodings = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        while (!in.isAtEnd()) {
            int len = in.readRawVarint32();
            in.readRawLittleEndian32();
            CodedInputStream m = CodedInputStream.newInstance(in.readRawBytes(len));
            for (int tag; (tag = m.readTag()) != 0; ) {
                if ((tag >>> 3) == 2) {
                    m.readInt64();
                    continue;
                }
                CodedInputStream s = CodedInputStream.newInstance(m.readByteArray());
                for (int t2; (t2 = s.readTag()) != 0; ) {
                    byte[] b = s.readByteArray();
                    if ((t2 >>> 3) != 2) continue;
                    CodedInputStream chunk = CodedInputStream.newInstance(b);
                    int encoding = 0;
                    byte[] data = null;
                    for (int t3; (t3 = chunk.readTag()) != 0; ) {
                        if ((t3 >>> 3) == 3) encoding = chunk.readEnum();
                        else if ((t3 >>> 3) == 4) data = chunk.readByteArray();
                        else chunk.readInt64();
                    }
                    encodings.add(encoding);
                    if (encoding == 1) {
                        XorChunkReader x = new XorChunkReader(data);
                        for (int i = 0; i < x.count(); i++) {
                            x.next();
                            times.add(x.t);
                            values.add(x.v);
                        }
                    } else {
                        for (HistogramChunkReader.Sample h : new HistogramChunkReader(data, encoding == 3).samples) {
                            times.add(h.t());
                            values.add(h.h());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(1, 2, 3, 2, 2, 3, 1), encodings);
        List<Long> expectedTimes = new ArrayList<>(List.of(1_000L, 2_000L));
        for (int i = 0; i < HISTOGRAMS.size(); i++) expectedTimes.add(3_000 + i * 1_000L);
        expectedTimes.add(3_000 + HISTOGRAMS.size() * 1_000L);
        assertEquals(expectedTimes, times);
        assertEquals(1.5, values.get(0));
        assertEquals(2.5, values.get(1));
        for (int i = 0; i < HISTOGRAMS.size(); i++) {
            FloatHistogram got = (FloatHistogram) values.get(2 + i);
            assertEquals(HISTOGRAMS.get(i).withResetHint(got.resetHint()), got, "histogram " + i);
        }
        assertEquals(9.0, values.get(values.size() - 1));
    }

    /**
     * prompb's {@code Histogram}, decoded from its definition: count_int 1 | count_float 2, sum 3, schema 4
     * (sint32), zero_threshold 5, zero_count_int 6 | zero_count_float 7, negative spans 8 / deltas 9
     * (sint64, packed) / counts 10 (double, packed), positive spans 11 / deltas 12 / counts 13, reset_hint
     * 14, timestamp 15, custom_values 16; BucketSpan {offset sint32 = 1, length uint32 = 2}.
     */
    static final class PromHistogram {
        boolean integer;
        long countInt, zeroInt, timestamp;
        double countFloat, zeroFloat, sum, zeroThreshold;
        int schema, hint;
        final List<int[]> pos = new ArrayList<>(), neg = new ArrayList<>();
        final List<Long> posDeltas = new ArrayList<>(), negDeltas = new ArrayList<>();
        final List<Double> posCounts = new ArrayList<>(), negCounts = new ArrayList<>(), custom = new ArrayList<>();
        boolean sawInt, sawFloat;

        static PromHistogram decode(byte[] b) throws Exception {
            PromHistogram h = new PromHistogram();
            CodedInputStream in = CodedInputStream.newInstance(b);
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> { h.countInt = in.readUInt64(); h.sawInt = true; }
                    case 2 -> { h.countFloat = in.readDouble(); h.sawFloat = true; }
                    case 3 -> h.sum = in.readDouble();
                    case 4 -> h.schema = in.readSInt32();
                    case 5 -> h.zeroThreshold = in.readDouble();
                    case 6 -> { h.zeroInt = in.readUInt64(); h.sawInt = true; }
                    case 7 -> { h.zeroFloat = in.readDouble(); h.sawFloat = true; }
                    case 8, 11 -> {
                        CodedInputStream s = CodedInputStream.newInstance(in.readByteArray());
                        int[] span = new int[2];
                        for (int t; (t = s.readTag()) != 0; ) {
                            if ((t >>> 3) == 1) span[0] = s.readSInt32();
                            else span[1] = s.readUInt32();
                        }
                        ((tag >>> 3) == 8 ? h.neg : h.pos).add(span);
                    }
                    case 9, 12 -> {
                        CodedInputStream s = CodedInputStream.newInstance(in.readByteArray());
                        while (!s.isAtEnd()) ((tag >>> 3) == 9 ? h.negDeltas : h.posDeltas).add(s.readSInt64());
                    }
                    case 10, 13, 16 -> {
                        CodedInputStream s = CodedInputStream.newInstance(in.readByteArray());
                        List<Double> to = (tag >>> 3) == 10 ? h.negCounts : (tag >>> 3) == 13 ? h.posCounts : h.custom;
                        while (!s.isAtEnd()) to.add(s.readDouble());
                    }
                    case 14 -> h.hint = in.readEnum();
                    case 15 -> h.timestamp = in.readInt64();
                    default -> throw new AssertionError("unknown Histogram field " + (tag >>> 3));
                }
            }
            if (h.sawInt && h.sawFloat) throw new AssertionError("integer and float fields mixed");
            if (h.sawInt && (!h.posCounts.isEmpty() || !h.negCounts.isEmpty())) throw new AssertionError("integer histogram with float counts");
            if (h.sawFloat && (!h.posDeltas.isEmpty() || !h.negDeltas.isEmpty())) throw new AssertionError("float histogram with deltas");
            h.integer = h.sawInt;
            return h;
        }

        FloatHistogram histogram() {
            return new FloatHistogram(FloatHistogram.ResetHint.values()[hint], schema, zeroThreshold,
                    integer ? zeroInt : zeroFloat, integer ? countInt : countFloat, sum,
                    offsets(pos), lengths(pos), integer ? absolute(posDeltas) : doubles(posCounts),
                    offsets(neg), lengths(neg), integer ? absolute(negDeltas) : doubles(negCounts), doubles(custom));
        }

        private static int[] offsets(List<int[]> spans) {
            return spans.stream().mapToInt(s -> s[0]).toArray();
        }

        private static int[] lengths(List<int[]> spans) {
            return spans.stream().mapToInt(s -> s[1]).toArray();
        }

        private static double[] absolute(List<Long> deltas) {
            double[] out = new double[deltas.size()];
            long c = 0;
            for (int i = 0; i < out.length; i++) out[i] = c += deltas.get(i);
            return out;
        }

        private static double[] doubles(List<Double> l) {
            return l.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    @Test
    void streamedChunksResponse() throws Exception {
        // The client prefers streamed chunks; 300 samples per series make 3 chunks (120, 120, 60), and the
        // 64-byte frame limit puts each chunk in a frame of its own.
        FullHttpResponse r = post(request(0, 10_000_000, "a", 1, 0));
        assertEquals(200, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        assertEquals(RemoteReadHandler.STREAMED_CONTENT_TYPE, r.headers().get("Content-Type"));
        CodedInputStream in = CodedInputStream.newInstance(ByteBufUtil.getBytes(r.content()));
        List<Integer> chunkSizes = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int frames = 0;
        while (!in.isAtEnd()) {
            int len = in.readRawVarint32();
            long crc = Integer.toUnsignedLong(Integer.reverseBytes(in.readRawLittleEndian32()));
            byte[] msg = in.readRawBytes(len);
            CRC32C c = new CRC32C();
            c.update(msg);
            assertEquals(c.getValue(), crc, "frame " + frames + " checksum");
            frames++;
            CodedInputStream m = CodedInputStream.newInstance(msg);
            for (int tag; (tag = m.readTag()) != 0; ) {
                if ((tag >>> 3) == 2) {
                    assertEquals(0, m.readInt64());
                    continue;
                }
                CodedInputStream series = CodedInputStream.newInstance(m.readByteArray());
                List<String[]> ls = new ArrayList<>();
                for (int t2; (t2 = series.readTag()) != 0; ) {
                    byte[] b = series.readByteArray();
                    if ((t2 >>> 3) == 1) {
                        ls.add(label(b));
                        continue;
                    }
                    CodedInputStream chunk = CodedInputStream.newInstance(b);
                    long minT = 0, maxT = 0;
                    byte[] data = null;
                    for (int t3; (t3 = chunk.readTag()) != 0; ) {
                        switch (t3 >>> 3) {
                            case 1 -> minT = chunk.readInt64();
                            case 2 -> maxT = chunk.readInt64();
                            case 3 -> assertEquals(1, chunk.readEnum());
                            default -> data = chunk.readByteArray();
                        }
                    }
                    XorChunkReader x = new XorChunkReader(data);
                    chunkSizes.add(x.count());
                    for (int i = 0; i < x.count(); i++) {
                        x.next();
                        times.add(x.t);
                        values.add(x.v);
                    }
                    assertEquals(minT, times.get(times.size() - x.count()));
                    assertEquals(maxT, times.get(times.size() - 1));
                }
                assertEquals("__name__=up,job=a,", labels(ls));
            }
        }
        assertEquals(3, frames);
        assertEquals(List.of(120, 120, 60), chunkSizes);
        for (int i = 0; i < 300; i++) {
            assertEquals(i * 15_000L, times.get(i));
            assertEquals(i, values.get(i));
        }
    }

    @Test
    void limitsAndBadRequests() throws Exception {
        // Both series over all time are 600 samples: within a limit of 1000, over a limit of 500.
        FullHttpResponse ok = post(request(0, 10_000_000, "a|b", 0));
        assertEquals(200, ok.status().code());
        RemoteReadHandler small = new RemoteReadHandler(store, Executors.newSingleThreadExecutor(), 500, 1 << 20, 1 << 20);
        FullHttpResponse over = small.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/read",
                Unpooled.wrappedBuffer(request(0, 10_000_000, "a|b", 0)))).get();
        assertEquals(400, over.status().code());
        assertEquals("exceeded sample limit (500)\n", over.content().toString(StandardCharsets.UTF_8));

        FullHttpResponse notSnappy = post("hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notSnappy.status().code());
        FullHttpResponse badRegex = post(request(0, 1, "(", 0));
        assertEquals(400, badRegex.status().code());
        // RE2 syntax, with Go's (and so Prometheus's) error text.
        assertTrue(badRegex.content().toString(StandardCharsets.UTF_8).contains("error parsing regexp"));
        FullHttpResponse badType = post(request(0, 1, "a", 7));
        assertEquals(400, badType.status().code());
        assertTrue(badType.content().toString(StandardCharsets.UTF_8).contains("none of the requested response types"));
        FullHttpResponse garbage = post(Snappy.compress(new byte[] {(byte) 0x0a, (byte) 0xff}));
        assertEquals(400, garbage.status().code());
    }
}
