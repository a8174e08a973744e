package dev.strata.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * {@code /federate} in both formats over an in-memory store holding floats and native histograms. The
 * protobuf answer is decoded here from client_model's metrics.proto field numbers (MetricFamily, Metric,
 * LabelPair, Untyped, Histogram, BucketSpan), independently of the writer.
 */
class FederateEndpointTest {
    private static final long NOW = 1_000_000;
    private static final String PROMETHEUS_NATIVE_ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0.8,application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static final FloatHistogram INTEGER = new FloatHistogram(FloatHistogram.ResetHint.NO, 2, 0.001, 3, 20, 7.5,
            new int[] {-3, 2}, new int[] {2, 1}, new double[] {4, 2, 6}, new int[] {1}, new int[] {2}, new double[] {5, 0}, null);
    private static final FloatHistogram FRACTIONAL = new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, 0, 0.01, 0.5, 3.5, 1,
            new int[] {0}, new int[] {2}, new double[] {1.25, 1.75}, null, null, null, null);
    private static final FloatHistogram GAUGE_EMPTY = new FloatHistogram(FloatHistogram.ResetHint.GAUGE, -2, 0, 0, 0, 0,
            null, null, null, null, null, null, null);
    private static final FloatHistogram CUSTOM = new FloatHistogram(FloatHistogram.ResetHint.NO, FloatHistogram.CUSTOM_BUCKETS_SCHEMA,
            0, 0, 3, 2, new int[] {0}, new int[] {2}, new double[] {1, 2}, null, null, null, new double[] {1, 5});

    private final InMemoryQueryable store = new InMemoryQueryable();
    private final FederateEndpoint endpoint = new FederateEndpoint(store, Executors.newSingleThreadExecutor(), 300_000, () -> NOW);

    FederateEndpointTest() {
        store.append(Labels.of("__name__", "fh_up", "job", "a"), NOW - 20_000, 1);
        // A series whose latest sample is a histogram, one whose latest sample is a float.
        Labels mixedA = Labels.of("__name__", "fh_mixed", "job", "a");
        store.append(mixedA, NOW - 30_000, 4);
        store.append(mixedA, NOW - 20_000, INTEGER);
        Labels mixedB = Labels.of("__name__", "fh_mixed", "job", "b");
        store.append(mixedB, NOW - 30_000, FRACTIONAL);
        store.append(mixedB, NOW - 10_000, 2.5);
        store.append(Labels.of("__name__", "fh_mixed", "job", "c"), NOW - 5_000, FRACTIONAL);
        store.append(Labels.of("__name__", "fh_queue", "instance", "i:1"), NOW - 1_000, GAUGE_EMPTY);
        store.append(Labels.of("__name__", "fh_nhcb", "job", "a"), NOW - 1_000, CUSTOM);
    }

    private FullHttpResponse get(String accept) throws Exception {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/federate?match[]=" + URLEncoder.encode("{__name__=~\"fh_.*\"}", StandardCharsets.UTF_8));
        if (accept != null) req.headers().set("Accept", accept);
        return endpoint.handle(req).get();
    }

    @Test
    void textLeavesHistogramsOut() throws Exception {
        FullHttpResponse r = get("text/plain;version=0.0.4");
        assertEquals(FederateEndpoint.CONTENT_TYPE, r.headers().get("Content-Type"));
        assertEquals("""
                # TYPE fh_mixed untyped
                fh_mixed{job="b",instance=""} 2.5 990000
                # TYPE fh_up untyped
                fh_up{job="a",instance=""} 1 980000
                """, r.content().toString(StandardCharsets.UTF_8));
    }

    /** One family per run of name and type; histograms as native ones; custom buckets left out. */
    @Test
    void protobufCarriesNativeHistograms() throws Exception {
        FullHttpResponse r = get(PROMETHEUS_NATIVE_ACCEPT);
        assertEquals(200, r.status().code());
        assertEquals("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
                r.headers().get("Content-Type"));
        CodedInputStream in = CodedInputStream.newInstance(ByteBufUtil.getBytes(r.content()));
        List<String> families = new ArrayList<>();
        List<Decoded> metrics = new ArrayList<>();
        while (!in.isAtEnd()) {
            CodedInputStream f = CodedInputStream.newInstance(in.readRawBytes(in.readRawVarint32()));
            String name = null;
            int type = 0;
            for (int tag; (tag = f.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> name = f.readString();
                    case 3 -> type = f.readEnum();
                    case 4 -> metrics.add(Decoded.of(name, f.readByteArray()));
                    default -> throw new AssertionError("MetricFamily field " + (tag >>> 3));
                }
            }
            families.add(name + ":" + type);
        }
        // UNTYPED = 3, HISTOGRAM = 4, GAUGE_HISTOGRAM = 5
        assertEquals(List.of("fh_mixed:4", "fh_mixed:3", "fh_mixed:4", "fh_queue:5", "fh_up:3"), families);
        assertEquals(List.of("fh_mixed{job=a,instance=}", "fh_mixed{job=b,instance=}", "fh_mixed{job=c,instance=}",
                "fh_queue{instance=i:1}", "fh_up{job=a,instance=}"), metrics.stream().map(Decoded::series).toList());
        assertEquals(List.of(NOW - 20_000, NOW - 10_000, NOW - 5_000, NOW - 1_000, NOW - 20_000),
                metrics.stream().map(Decoded::timestamp).toList());
        assertEquals(2.5, metrics.get(1).value);
        assertEquals(1.0, metrics.get(4).value);
        // Whole counts: the integer form; fractional ones: the float form; the empty histogram: the no-op span.
        assertTrue(metrics.get(0).histogram.integer);
        assertEquals(INTEGER.withResetHint(FloatHistogram.ResetHint.UNKNOWN), metrics.get(0).histogram.toFloatHistogram());
        assertFalse(metrics.get(2).histogram.integer);
        assertEquals(FRACTIONAL, metrics.get(2).histogram.toFloatHistogram());
        assertEquals(List.of(0, 0), metrics.get(3).histogram.positiveSpans);
        assertEquals(-2, metrics.get(3).histogram.schema);
    }

    @Test
    void negotiation() {
        assertTrue(FederateProtobuf.accepted(PROMETHEUS_NATIVE_ACCEPT));
        assertTrue(FederateProtobuf.accepted("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"));
        // Prometheus 2.42 without native histograms: OpenMetrics and text only.
        assertFalse(FederateProtobuf.accepted("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
        assertFalse(FederateProtobuf.accepted(null));
        assertFalse(FederateProtobuf.accepted("*/*"));
        assertFalse(FederateProtobuf.accepted("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text"));
        assertFalse(FederateProtobuf.accepted("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.3,"
                + "text/plain;q=0.5"));
        assertFalse(FederateProtobuf.accepted("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0"));
    }


    /** One decoded {@code Metric}: labels, timestamp, and an Untyped value or a Histogram. */
    private static final class Decoded {
        String series;
        long timestamp;
        double value = Double.NaN;
        Hist histogram;

        String series() {
            return series;
        }

        long timestamp() {
            return timestamp;
        }

        static Decoded of(String family, byte[] b) throws Exception {
            Decoded d = new Decoded();
            StringBuilder s = new StringBuilder(family).append('{');
            CodedInputStream in = CodedInputStream.newInstance(b);
            boolean first = true;
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (tag >>> 3) {
                    case 1 -> {
                        CodedInputStream l = CodedInputStream.newInstance(in.readByteArray());
                        String[] kv = {"", ""};
                        for (int t; (t = l.readTag()) != 0; ) kv[(t >>> 3) - 1] = l.readString();
                        s.append(first ? "" : ",").append(kv[0]).append('=').append(kv[1]);
                        first = false;
                    }
                    case 5 -> {
                        CodedInputStream u = CodedInputStream.newInstance(in.readByteArray());
                        for (int t; (t = u.readTag()) != 0; ) d.value = u.readDouble();
                    }
                    case 6 -> d.timestamp = in.readInt64();
                    case 7 -> d.histogram = Hist.decode(in.readByteArray());
                    default -> throw new AssertionError("Metric field " + (tag >>> 3));
                }
            }
            d.series = s.append('}').toString();
            return d;
        }
    }

    /**
     * client_model's {@code Histogram}: sample_count 1 (uint64), sample_count_float 4, sample_sum 2, schema 5
     * (sint32), zero_threshold 6, zero_count 7 (uint64), zero_count_float 8, negative_span 9, negative_delta 10
     * (sint64, packed), negative_count 11 (double, packed), positive_span 12, positive_delta 13, positive_count 14.
     */
    private static final class Hist {
        boolean integer = true;
        long count, zero;
        double countF, zeroF, sum, threshold;
        int schema;
        List<Integer> positiveSpans = new ArrayList<>(), negativeSpans = new ArrayList<>();
        List<Double> pos = new ArrayList<>(), neg = new ArrayList<>();

        static Hist decode(byte[] b) throws Exception {
            Hist h = new Hist();
            CodedInputStream in = CodedInputStream.newInstance(b);
            List<Long> posD = new ArrayList<>(), negD = new ArrayList<>();
            for (int tag; (tag = in.readTag()) != 0; ) {
                int f = tag >>> 3;
                switch (f) {
                    case 1 -> h.count = in.readUInt64();
                    case 4 -> { h.countF = in.readDouble(); h.integer = false; }
                    case 2 -> h.sum = in.readDouble();
                    case 5 -> h.schema = in.readSInt32();
                    case 6 -> h.threshold = in.readDouble();
                    case 7 -> h.zero = in.readUInt64();
                    case 8 -> { h.zeroF = in.readDouble(); h.integer = false; }
                    case 9, 12 -> {
                        CodedInputStream s = CodedInputStream.newInstance(in.readByteArray());
                        int[] span = new int[2];
                        for (int t; (t = s.readTag()) != 0; ) {
                            if ((t >>> 3) == 1) span[0] = s.readSInt32();
                            else span[1] = s.readUInt32();
                        }
                        List<Integer> to = f == 9 ? h.negativeSpans : h.positiveSpans;
                        to.add(span[0]);
                        to.add(span[1]);
                    }
                    case 10, 13 -> {
                        CodedInputStream s = CodedInputStream.newInstance(in.readByteArray());
                        while (!s.isAtEnd()) (f == 10 ? negD : posD).add(s.readSInt64());
                    }
                    case 11, 14 -> {
                        CodedInputStream s = CodedInputStream.newInstance(in.readByteArray());
                        while (!s.isAtEnd()) (f == 11 ? h.neg : h.pos).add(s.readDouble());
                    }
                    default -> throw new AssertionError("Histogram field " + f);
                }
            }
            if (h.integer) {
                h.pos = absolute(posD);
                h.neg = absolute(negD);
            } else if (!posD.isEmpty() || !negD.isEmpty()) {
                throw new AssertionError("a float histogram with bucket deltas");
            }
            return h;
        }

        private static List<Double> absolute(List<Long> deltas) {
            List<Double> out = new ArrayList<>();
            long c = 0;
            for (long d : deltas) out.add((double) (c += d));
            return out;
        }

        FloatHistogram toFloatHistogram() {
            return new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, schema, threshold, integer ? zero : zeroF, integer ? count : countF,
                    sum, evens(positiveSpans), odds(positiveSpans), pos.stream().mapToDouble(Double::doubleValue).toArray(),
                    evens(negativeSpans), odds(negativeSpans), neg.stream().mapToDouble(Double::doubleValue).toArray(), null);
        }

        private static int[] evens(List<Integer> l) {
            int[] out = new int[l.size() / 2];
            for (int i = 0; i < out.length; i++) out[i] = l.get(2 * i);
            return out;
        }

        private static int[] odds(List<Integer> l) {
            int[] out = new int[l.size() / 2];
            for (int i = 0; i < out.length; i++) out[i] = l.get(2 * i + 1);
            return out;
        }
    }
}
