package dev.strata.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.protocol.MalformedRequestException;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.model.MetricMetadata;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
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
}
