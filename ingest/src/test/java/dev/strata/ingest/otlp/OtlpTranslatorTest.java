package dev.strata.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.protocol.MalformedRequestException;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.FloatHistogram.ResetHint;
import dev.strata.store.model.MetricMetadata;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Translation settings and edge cases the end-to-end test does not reach. */
class OtlpTranslatorTest {
    private static final long T = 1_700_000_000_123_456_789L;

    private static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static ExportMetricsServiceRequest request(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "api"))
                        .addAttributes(kv("service.instance.id", "i-1")).addAttributes(kv("cloud.region", "eu")))
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("lib")
                                .setVersion("2.1").addAttributes(kv("team", "core")))
                        .addAllMetrics(List.of(metrics)))).build();
    }

    private static Metric gauge(String name, String unit, NumberDataPoint.Builder p) {
        return Metric.newBuilder().setName(name).setUnit(unit).setGauge(Gauge.newBuilder().addDataPoints(p)).build();
    }

    /** Each series as "labels value @ms", in batch order. */
    private static List<String> series(WriteBatch b) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < b.seriesCount(); s++) {
            StringBuilder line = new StringBuilder();
            for (int l = b.labelStart(s); l < b.labelStart(s) + b.labelCount(s); l++) {
                line.append(b.name(l)).append('=').append(b.labelValue(l)).append(' ');
            }
            int i = b.sampleStart(s);
            line.append(Double.doubleToRawLongBits(b.value(i)) == Double.doubleToRawLongBits(OtlpTranslator.STALE_NAN)
                    ? "stale" : String.valueOf(b.value(i))).append(" @").append(b.timestamp(i));
            out.add(line.toString());
        }
        return out;
    }

    @Test
    void scopeLabelsPromotedAttributesCollisionsAndStaleness() {
        OtlpSettings settings = new OtlpSettings(OtlpSettings.Strategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES,
                List.of("cloud.region"), true, true);
        WriteBatch b = new WriteBatch();
        new OtlpTranslator(settings).translate(request(
                gauge("temp", "Cel", NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(21.5)
                        .addAttributes(kv("a.b", "1")).addAttributes(kv("a_b", "2")).addAttributes(kv("cloud.region", "us"))),
                gauge("load", "", NumberDataPoint.newBuilder().setTimeUnixNano(T).setFlags(1))), b);
        assertEquals(List.of(
                // a.b and a_b both become a_b: joined in key order; the data point's cloud_region wins
                "__name__=temp_celsius a_b=1;2 cloud_region=us instance=i-1 job=api otel_scope_name=lib "
                        + "otel_scope_team=core otel_scope_version=2.1 21.5 @1700000000123",
                "__name__=load cloud_region=eu instance=i-1 job=api otel_scope_name=lib otel_scope_team=core "
                        + "otel_scope_version=2.1 stale @1700000000123",
                // keep-identifying-resource-attributes: service.* stay on target_info
                "__name__=target_info cloud_region=eu instance=i-1 job=api service_instance_id=i-1 service_name=api 1.0 @1700000000123"),
                series(b));
    }

    @Test
    void utf8StrategyKeepsNames() {
        OtlpSettings settings = new OtlpSettings(OtlpSettings.Strategy.NO_UTF8_ESCAPING_WITH_SUFFIXES, List.of(), false, false);
        WriteBatch b = new WriteBatch();
        new OtlpTranslator(settings).translate(request(Metric.newBuilder().setName("http.requests").setSum(Sum.newBuilder()
                .setIsMonotonic(true).setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setStartTimeUnixNano(T - 60_000_000_000L)
                        .setAsInt(9).addAttributes(kv("http.method", "GET")))).build()), b);
        List<String> got = series(b);
        assertEquals("__name__=http.requests_total http.method=GET instance=i-1 job=api 9.0 @1700000000123", got.get(0));
        assertEquals(1_700_000_000_123L - 60_000, b.startTimestamp(b.sampleStart(0)), "the start time travels as start timestamp");
        assertEquals("__name__=target_info cloud.region=eu instance=i-1 job=api 1.0 @1700000000123", got.get(1));
    }

    @Test
    void histogramBucketsMustMatchBounds() {
        Metric bad = Metric.newBuilder().setName("h").setHistogram(io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(io.opentelemetry.proto.metrics.v1.HistogramDataPoint.newBuilder().setTimeUnixNano(T)
                        .setCount(3).addExplicitBounds(1).addBucketCounts(3))).build();
        MalformedRequestException e = assertThrows(MalformedRequestException.class,
                () -> new OtlpTranslator(OtlpSettings.defaults()).translate(request(bad), new WriteBatch()));
        assertTrue(e.getMessage().contains("1 bucket counts for 1 explicit bounds (expected 2)"), e.getMessage());
    }

    @Test
    void metadataAsPrometheus3RecordsIt() {
        OtlpSettings settings = new OtlpSettings(OtlpSettings.Strategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES, List.of(), false, false);
        WriteBatch b = new WriteBatch();
        Metric counter = Metric.newBuilder().setName("http.server.requests").setUnit("{request}").setDescription("Requests served.")
                .setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(3))).build();
        Metric upDown = Metric.newBuilder().setName("queue.size").setUnit("By/s").setDescription("")
                .setSum(Sum.newBuilder().setIsMonotonic(false).setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(3))).build();
        Metric empty = Metric.newBuilder().setName("no.points").setGauge(Gauge.newBuilder()).build();
        new OtlpTranslator(settings).translate(request(
                gauge("cpu.utilization", "1", NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(0.5)),
                gauge("temp", "Cel", NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(21.5)), counter, upDown, empty), b);
        assertEquals(List.of(
                new MetricMetadata("cpu_utilization_ratio", "gauge", "", ""),
                new MetricMetadata("temp_celsius", "gauge", "celsius", ""),
                new MetricMetadata("http_server_requests_total", "counter", "", "Requests served."),
                new MetricMetadata("queue_size_bytes_per_second", "gauge", "bytes_per_second", ""),
                new MetricMetadata("target_info", "gauge", "", "Target metadata")), b.metadata(),
                "a metric without data points has no metadata");
        assertEquals("milli.seconds", OtlpNames.unit("milli.seconds", true), "UTF-8: the unit as is");
        assertEquals("milli_seconds", OtlpNames.unit("milli.seconds", false));
        assertEquals("per_second", OtlpNames.unit("{x}/s", false));
    }

    private static Metric exponential(String name, AggregationTemporality temporality, ExponentialHistogramDataPoint.Builder... points) {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder().setAggregationTemporality(temporality);
        for (ExponentialHistogramDataPoint.Builder p : points) h.addDataPoints(p);
        return Metric.newBuilder().setName(name).setUnit("s").setExponentialHistogram(h).build();
    }

    private static ExponentialHistogramDataPoint.Buckets.Builder buckets(int offset, long... counts) {
        ExponentialHistogramDataPoint.Buckets.Builder b = ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset);
        for (long c : counts) b.addBucketCounts(c);
        return b;
    }

    @Test
    void exponentialHistogramsBecomeNativeHistograms() {
        WriteBatch b = new WriteBatch();
        new OtlpTranslator(OtlpSettings.defaults()).translate(request(exponential("rpc.latency", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T).setStartTimeUnixNano(T - 60_000_000_000L).setScale(3)
                        .setCount(15).setSum(1.5).setZeroCount(5)
                        .setPositive(buckets(-2, 1, 0, 2, 0, 0, 0, 3)).setNegative(buckets(0, 4)),
                ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T + 1_000_000_000L).setScale(10).setCount(5).setSum(2)
                        .setPositive(buckets(5, 1, 1, 1, 1, 1)),
                ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T + 2_000_000_000L).setScale(3).setFlags(1))), b);
        int h = 0;
        for (int s = 0; s < b.seriesCount(); s++) {
            if (b.histogram(b.sampleStart(s)) == null) continue;
            assertEquals("rpc_latency_seconds", b.labelValue(b.labelStart(s)), "a native histogram keeps the bare name");
            FloatHistogram got = b.histogram(b.sampleStart(s));
            switch (h++) {
                case 0 -> {
                    // OTLP bucket i is Prometheus bucket i + 1; a gap of one empty bucket stays in the span, one of three starts a new span
                    assertEquals(new FloatHistogram(ResetHint.UNKNOWN, 3, 1e-128, 5, 15, 1.5, new int[] {-1, 3}, new int[] {3, 1},
                            new double[] {1, 0, 2, 3}, new int[] {1}, new int[] {1}, new double[] {4}, null), got);
                    assertEquals(T / 1_000_000 - 60_000, b.startTimestamp(b.sampleStart(s)));
                }
                // scale 10 is reduced to schema 8: four OTLP buckets per Prometheus bucket
                case 1 -> assertEquals(new FloatHistogram(ResetHint.UNKNOWN, 8, 1e-128, 0, 5, 2, new int[] {2}, new int[] {2},
                        new double[] {3, 2}, null, null, null, null), got);
                default -> assertEquals(Double.doubleToRawLongBits(OtlpTranslator.STALE_NAN), Double.doubleToRawLongBits(got.sum()), "no recorded value: stale");
            }
        }
        assertEquals(3, h);
        MalformedRequestException coarse = assertThrows(MalformedRequestException.class, () -> new OtlpTranslator(OtlpSettings.defaults())
                .translate(request(exponential("x", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                        ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T).setScale(-5).setCount(1).setZeroCount(1))), new WriteBatch()));
        assertTrue(coarse.getMessage().contains("scale -5 is below -4"), coarse.getMessage());
        MalformedRequestException delta = assertThrows(MalformedRequestException.class, () -> new OtlpTranslator(OtlpSettings.defaults())
                .translate(request(exponential("x", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                        ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T).setScale(0).setCount(1).setZeroCount(1))), new WriteBatch()));
        assertTrue(delta.getMessage().contains("an exponential histogram with delta temporality"), delta.getMessage());
    }

    @Test
    void explicitBucketHistogramsAsNhcbWhenConfigured() {
        io.opentelemetry.proto.metrics.v1.HistogramDataPoint.Builder p = io.opentelemetry.proto.metrics.v1.HistogramDataPoint.newBuilder()
                .setTimeUnixNano(T).setCount(10).setSum(4.5).addAllExplicitBounds(List.of(0.1, 0.5, 1.0, 5.0))
                .addAllBucketCounts(List.of(0L, 3L, 0L, 6L, 1L));
        Metric m = Metric.newBuilder().setName("rpc.duration").setUnit("s").setHistogram(io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(p)).build();
        WriteBatch classic = new WriteBatch();
        new OtlpTranslator(OtlpSettings.defaults()).translate(request(m), classic);
        assertEquals(0, classic.totalHistograms(), "off by default: classic series");
        WriteBatch b = new WriteBatch();
        new OtlpTranslator(new OtlpSettings(OtlpSettings.Strategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES, List.of(), false, false, true))
                .translate(request(m), b);
        assertEquals(1, b.totalHistograms());
        for (int s = 0; s < b.seriesCount(); s++) {
            FloatHistogram h = b.histogram(b.sampleStart(s));
            if (h == null) continue;
            assertEquals("rpc_duration_seconds", b.labelValue(b.labelStart(s)));
            // buckets 1..4 (bucket 0 is empty and dropped; the empty bucket 2 stays inside the span)
            assertEquals(new FloatHistogram(ResetHint.UNKNOWN, -53, 0, 0, 10, 4.5, new int[] {1}, new int[] {4},
                    new double[] {3, 0, 6, 1}, null, null, null, new double[] {0.1, 0.5, 1.0, 5.0}), h);
        }
    }
}
