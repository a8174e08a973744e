package dev.strata.query.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.Labels;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * Histogram chunks of streamed remote read, decoded with {@link HistogramChunkReader} (written from
 * Prometheus's chunk format page): a hand-encoded chunk, and seeded random series (integer and float
 * counts, counter resets with and without hints, gauges, layout changes, custom buckets, floats in between)
 * read through the handler: every sample comes back, each chunk's encoding, header and the hints
 * Prometheus's reader derives from it are right.
 */
class HistogramChunkEncoderTest {
    /** One integer sample: schema 0, threshold 0, positive span (0, 1), count 1, bucket 1, sum 1.0, t 0. */
    @Test
    void handEncodedChunk() {
        FloatHistogram h = new FloatHistogram(ResetHint.NO, 0, 0, 0, 1, 1.0, new int[] {0}, new int[] {1}, new double[] {1},
                null, null, null, null);
        HistogramChunkEncoder enc = new HistogramChunkEncoder(h, false);
        enc.append(0, h);
        assertEquals(HistogramChunkEncoder.HISTOGRAM, enc.encoding());
        String bits = "0" // schema 0
                + "10" + "001" // 1 positive span
                + "10" + "001" + "0" // length 1, offset 0
                + "0" // no negative span
                + "0" // t 0
                + "10" + "001" // count 1
                + "0" // zero count 0
                + "0011111111110000000000000000000000000000000000000000000000000000" // sum 1.0
                + "10" + "001"; // bucket 1
        byte[] expected = new byte[4 + (bits.length() + 7) / 8];
        expected[1] = 1; // count
        expected[2] = 0x40; // header: not a reset (hint NO)
        expected[3] = 0; // zero threshold 0
        for (int i = 0; i < bits.length(); i++) if (bits.charAt(i) == '1') expected[4 + i / 8] |= (byte) (0x80 >>> (i % 8));
        assertArrayEquals(expected, enc.bytes());
    }

    @Test
    void randomSeriesRoundTripThroughStreamedRead() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("HistogramChunkEncoderTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        Random r = new Random(seed);
        java.util.Set<Integer> encodings = new java.util.TreeSet<>(), headers = new java.util.TreeSet<>();
        int histogramChunks = 0;
        for (int round = 0; round < 20; round++) {
            InMemoryQueryable store = new InMemoryQueryable();
            Labels labels = Labels.of("__name__", "h");
            List<Long> ts = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            long t = r.nextInt(1_000_000);
            FloatHistogram prev = null;
            int n = 1 + r.nextInt(400);
            for (int i = 0; i < n; i++) {
                t += 1 + (r.nextInt(10) == 0 ? r.nextInt(1_000_000) : 15_000 + r.nextInt(3) - 1);
                Object v;
                if (r.nextInt(12) == 0) {
                    v = r.nextInt(5) == 0 ? Double.NaN : r.nextGaussian() * 100;
                    store.append(labels, t, (double) v);
                    prev = null;
                } else {
                    prev = next(r, prev);
                    v = prev;
                    store.append(labels, t, prev);
                }
                ts.add(t);
                values.add(v);
            }
            List<Object[]> chunks = streamedChunks(store);
            int k = 0;
            Object before = null;
            for (Object[] c : chunks) {
                int encoding = (int) c[0];
                byte[] data = (byte[]) c[1];
                encodings.add(encoding);
                if (encoding == 1) {
                    XorChunkReader x = new XorChunkReader(data);
                    for (int i = 0; i < x.count(); i++, k++) {
                        x.next();
                        assertEquals(ts.get(k), x.t, "seed " + seed + " sample " + k);
                        assertEquals(Double.doubleToRawLongBits((double) values.get(k)), Double.doubleToRawLongBits(x.v));
                    }
                    before = values.get(k - 1);
                    continue;
                }
                HistogramChunkReader hr = new HistogramChunkReader(data, encoding == HistogramChunkEncoder.FLOAT_HISTOGRAM);
                FloatHistogram first = (FloatHistogram) values.get(k);
                boolean whole = true;
                for (int i = 0; i < hr.samples.size(); i++) whole &= HistogramProto.isInteger((FloatHistogram) values.get(k + i));
                assertEquals(whole ? 2 : 3, encoding, "seed " + seed + ": encoding of the chunk at sample " + k);
                int expectedHeader = first.resetHint() == ResetHint.GAUGE ? 0xc0 : first.resetHint() == ResetHint.YES ? 0x80
                        : first.resetHint() == ResetHint.NO ? 0x40
                        : before instanceof FloatHistogram p && p.resetHint() != ResetHint.GAUGE && decreased(p, first) ? 0x80 : 0;
                assertEquals(expectedHeader, hr.header, "seed " + seed + ": header of the chunk at sample " + k);
                headers.add(hr.header);
                histogramChunks++;
                for (int i = 0; i < hr.samples.size(); i++, k++) {
                    FloatHistogram stored = (FloatHistogram) values.get(k);
                    HistogramChunkReader.Sample s = hr.samples.get(i);
                    assertEquals(ts.get(k), s.t(), "seed " + seed + " sample " + k);
                    assertEquals(stored.withResetHint(s.h().resetHint()), s.h(), "seed " + seed + " sample " + k);
                    // What Prometheus's reader reports must be true of the data: no reset inside a chunk.
                    if (stored.resetHint() == ResetHint.GAUGE) assertEquals(ResetHint.GAUGE, s.h().resetHint());
                    if (i > 0 && s.h().resetHint() == ResetHint.NO) {
                        assertTrue(stored.resetHint() != ResetHint.YES && !decreased((FloatHistogram) values.get(k - 1), stored),
                                "seed " + seed + " sample " + k + " is a counter reset inside a chunk: " + values.get(k - 1) + " then " + stored);
                    }
                }
                before = values.get(k - 1);
            }
            assertEquals(n, k, "seed " + seed + ": samples read back");
        }
        System.out.println(histogramChunks + " histogram chunks, encodings " + encodings + ", headers " + headers);
        assertEquals(java.util.Set.of(1, 2, 3), encodings, "seed " + seed + ": every chunk encoding was exercised");
        assertEquals(java.util.Set.of(0x00, 0x40, 0x80, 0xc0), headers, "seed " + seed + ": every counter-reset header was exercised");
    }

    /** Whether a count of {@code h} (total, zero bucket, or a bucket at the same index) is below {@code prev}'s. */
    private static boolean decreased(FloatHistogram prev, FloatHistogram h) {
        if (h.count() < prev.count() || h.zeroCount() < prev.zeroCount()) return true;
        boolean sameBuckets = java.util.Arrays.equals(prev.positiveSpanOffsets(), h.positiveSpanOffsets())
                && java.util.Arrays.equals(prev.positiveSpanLengths(), h.positiveSpanLengths())
                && java.util.Arrays.equals(prev.negativeSpanOffsets(), h.negativeSpanOffsets())
                && java.util.Arrays.equals(prev.negativeSpanLengths(), h.negativeSpanLengths()) && prev.schema() == h.schema();
        if (!sameBuckets) return false;
        for (int i = 0; i < h.positiveBuckets().length; i++) if (h.positiveBuckets()[i] < prev.positiveBuckets()[i]) return true;
        for (int i = 0; i < h.negativeBuckets().length; i++) if (h.negativeBuckets()[i] < prev.negativeBuckets()[i]) return true;
        return false;
    }

    /**
     * The next histogram of a random series: mostly growth in the same layout, sometimes a reset (hinted
     * YES or UNKNOWN; NO only on growth, as senders guarantee), a layout change, a gauge.
     */
    private static FloatHistogram next(Random r, FloatHistogram prev) {
        int roll = r.nextInt(20);
        if (prev == null || roll == 0) return fresh(r);
        boolean reset = roll == 1;
        ResetHint hint = prev.resetHint() == ResetHint.GAUGE ? ResetHint.GAUGE
                : reset && r.nextBoolean() ? ResetHint.YES : !reset && r.nextInt(4) == 0 ? ResetHint.NO : ResetHint.UNKNOWN;
        boolean whole = HistogramProto.isInteger(prev) || r.nextInt(10) == 0;
        double[] pos = grow(r, prev.positiveBuckets(), reset, whole, hint);
        double[] neg = grow(r, prev.negativeBuckets(), reset, whole, hint);
        double zero = reset ? 0 : prev.zeroCount() + (whole ? r.nextInt(3) : r.nextDouble());
        if (hint == ResetHint.GAUGE) zero = r.nextInt(5);
        if (prev.usesCustomBuckets()) zero = 0;
        double count = zero;
        for (double c : pos) count += c;
        for (double c : neg) count += c;
        return new FloatHistogram(hint, prev.schema(), prev.zeroThreshold(), zero, count, r.nextInt(3) == 0 ? prev.sum() : r.nextGaussian() * 1e3,
                prev.positiveSpanOffsets(), prev.positiveSpanLengths(), pos, prev.negativeSpanOffsets(), prev.negativeSpanLengths(), neg,
                prev.customValues());
    }

    private static double[] grow(Random r, double[] before, boolean reset, boolean whole, ResetHint hint) {
        double[] out = new double[before.length];
        for (int i = 0; i < out.length; i++) {
            double add = whole ? r.nextInt(r.nextInt(10) == 0 ? 100_000 : 4) : r.nextDouble() * 3;
            out[i] = hint == ResetHint.GAUGE ? (whole ? r.nextInt(50) : r.nextDouble() * 50) : reset ? add : before[i] + add;
        }
        return out;
    }

    private static FloatHistogram fresh(Random r) {
        boolean custom = r.nextInt(6) == 0;
        int schema = custom ? FloatHistogram.CUSTOM_BUCKETS_SCHEMA : r.nextInt(13) - 4;
        double[] thresholds = {0, 0x1p-128, 0.001, 1e-300, 0x1p10, 0x1p11};
        double threshold = custom ? 0 : thresholds[r.nextInt(thresholds.length)];
        int[][] pos = randomSpans(r), neg = custom ? new int[][] {{}, {}} : randomSpans(r);
        double[] bounds = null;
        if (custom) {
            int nb = 0;
            for (int l : pos[1]) nb += l;
            int last = pos[0].length == 0 ? 0 : 0;
            for (int i = 0; i < pos[0].length; i++) last += pos[0][i] + pos[1][i];
            bounds = new double[Math.max(last, nb) + 1];
            double b = r.nextBoolean() ? -5 : 0;
            for (int i = 0; i < bounds.length; i++) bounds[i] = b += r.nextBoolean() ? 0.25 : r.nextDouble() * 40000;
            if (pos[0].length > 0) pos[0][0] = Math.abs(pos[0][0]);
        }
        boolean whole = r.nextBoolean();
        ResetHint hint = ResetHint.values()[r.nextInt(4)];
        double[] pb = new double[sum(pos[1])], nb = new double[sum(neg[1])];
        double zero = custom ? 0 : whole ? r.nextInt(10) : r.nextDouble() * 10;
        double count = zero;
        for (int i = 0; i < pb.length; i++) count += pb[i] = whole ? r.nextInt(1000) : r.nextDouble() * 1000;
        for (int i = 0; i < nb.length; i++) count += nb[i] = whole ? r.nextInt(1000) : r.nextDouble() * 1000;
        return new FloatHistogram(hint, schema, threshold, zero, count, r.nextGaussian(), pos[0], pos[1], pb, neg[0], neg[1], nb, bounds);
    }

    private static int[][] randomSpans(Random r) {
        int n = r.nextInt(4);
        int[][] s = {new int[n], new int[n]};
        for (int i = 0; i < n; i++) {
            s[0][i] = i == 0 ? r.nextInt(41) - 20 : r.nextInt(5);
            s[1][i] = r.nextInt(5);
        }
        return s;
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int x : a) s += x;
        return s;
    }

    /** The (encoding, data) of every chunk of a streamed read of everything in {@code store}. */
    private static List<Object[]> streamedChunks(InMemoryQueryable store) throws Exception {
        RemoteReadHandler handler = new RemoteReadHandler(store, Executors.newSingleThreadExecutor(), 1_000_000, 256, 1 << 20);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream mo = com.google.protobuf.CodedOutputStream.newInstance(m);
        mo.writeEnum(1, 0);
        mo.writeString(2, "__name__");
        mo.writeString(3, "h");
        mo.flush();
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream qo = com.google.protobuf.CodedOutputStream.newInstance(q);
        qo.writeInt64(1, 0);
        qo.writeInt64(2, Long.MAX_VALUE);
        qo.writeByteArray(3, m.toByteArray());
        qo.flush();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream ro = com.google.protobuf.CodedOutputStream.newInstance(req);
        ro.writeByteArray(1, q.toByteArray());
        ro.writeEnum(2, 1);
        ro.flush();
        FullHttpResponse resp = handler.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/read",
                Unpooled.wrappedBuffer(Snappy.compress(req.toByteArray())))).get();
        assertEquals(200, resp.status().code(), resp.content().toString(java.nio.charset.StandardCharsets.UTF_8));
        CodedInputStream in = CodedInputStream.newInstance(ByteBufUtil.getBytes(resp.content()));
        List<Object[]> out = new ArrayList<>();
        while (!in.isAtEnd()) {
            int len = in.readRawVarint32();
            in.readRawLittleEndian32();
            CodedInputStream msg = CodedInputStream.newInstance(in.readRawBytes(len));
            for (int tag; (tag = msg.readTag()) != 0; ) {
                if ((tag >>> 3) == 2) {
                    msg.readInt64();
                    continue;
                }
                CodedInputStream s = CodedInputStream.newInstance(msg.readByteArray());
                for (int t2; (t2 = s.readTag()) != 0; ) {
                    byte[] b = s.readByteArray();
                    if ((t2 >>> 3) != 2) continue;
                    CodedInputStream chunk = CodedInputStream.newInstance(b);
                    Object[] c = new Object[2];
                    long minT = 0, maxT = 0;
                    for (int t3; (t3 = chunk.readTag()) != 0; ) {
                        switch (t3 >>> 3) {
                            case 1 -> minT = chunk.readInt64();
                            case 2 -> maxT = chunk.readInt64();
                            case 3 -> c[0] = chunk.readEnum();
                            default -> c[1] = chunk.readByteArray();
                        }
                    }
                    assertTrue(minT <= maxT);
                    out.add(c);
                }
            }
        }
        return out;
    }
}
