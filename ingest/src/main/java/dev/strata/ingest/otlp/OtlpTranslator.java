package dev.strata.ingest.otlp;

import dev.strata.ingest.protocol.MalformedRequestException;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.MetricMetadata;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an OTLP metrics export into Prometheus series in a {@link WriteBatch}, with Prometheus 3's
 * rules (docs/ingestion.md, "OTLP"): names by {@link OtlpNames}; labels from the data point's
 * attributes, the promoted resource attributes and, if enabled, the scope; {@code job} =
 * [service.namespace/]service.name and {@code instance} = service.instance.id of the resource; a
 * {@code target_info} series (value 1) per resource carrying its other attributes; gauges and
 * non-monotonic sums as one series, monotonic cumulative sums as counters, explicit-bucket
 * histograms as classic {@code _bucket}/{@code _sum}/{@code _count} series, exponential histograms as
 * native histograms ({@link #exponential}), summaries as
 * {@code {quantile=...}}/{@code _sum}/{@code _count}. Start times become per-sample start timestamps;
 * a data point flagged "no recorded value" becomes a staleness marker. Each metric with data points
 * adds its metadata as Prometheus 3 records it: the translated name, the type (gauge; counter for a
 * monotonic sum, gauge for a non-monotonic one; histogram; summary), the unit as the unit namer builds
 * it ({@link OtlpNames#unit}) and the description as help; a written {@code target_info} adds
 * (gauge, "Target metadata").
 *
 * <p>Rejected (the whole request, {@link MalformedRequestException} -> 400, nothing written):
 * delta temporality.
 */
public final class OtlpTranslator {
    static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);
    private static final int FLAG_NO_RECORDED_VALUE = 1;

    private final OtlpSettings settings;

    public OtlpTranslator(OtlpSettings settings) {
        this.settings = settings;
    }

    /** Appends the series of {@code request} to {@code batch}. */
    public void translate(ExportMetricsServiceRequest request, WriteBatch batch) {
        List<String> rejected = new ArrayList<>();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    String why = unsupported(m);
                    if (why != null) rejected.add("\"" + m.getName() + "\" (" + why + ")");
                }
            }
        }
        if (!rejected.isEmpty()) {
            throw new MalformedRequestException("OTLP metrics Strata cannot store, nothing was written: "
                    + String.join(", ", rejected) + ". Delta temporality is not accepted (export cumulative temporality)");
        }
        boolean utf8 = settings.strategy().utf8();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            Map<String, String> resource = attributes(rm.getResource().getAttributesList());
            Map<String, String> base = new TreeMap<>();
            for (String a : settings.promoteResourceAttributes()) {
                String v = resource.get(a);
                if (v != null) base.put(OtlpNames.labelName(a, utf8), v);
            }
            String job = job(resource);
            String instance = resource.get("service.instance.id");
            long latest = Long.MIN_VALUE;
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                Map<String, String> scoped = new TreeMap<>(base);
                if (settings.promoteScopeMetadata()) scopeLabels(sm, scoped, utf8);
                for (Metric m : sm.getMetricsList()) {
                    latest = Math.max(latest, metric(m, scoped, job, instance, batch, utf8));
                }
            }
            targetInfo(resource, job, instance, latest, batch, utf8);
        }
    }

    /** Null when the metric can be stored, else why not. */
    private static String unsupported(Metric m) {
        return switch (m.getDataCase()) {
            case SUM -> m.getSum().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                    ? "a sum with delta temporality" : null;
            case HISTOGRAM -> m.getHistogram().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                    ? "a histogram with delta temporality" : null;
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                    ? "an exponential histogram with delta temporality" : null;
            default -> null;
        };
    }

    /** Writes one metric's series; returns its latest sample time (ms), or Long.MIN_VALUE. */
    private long metric(Metric m, Map<String, String> scoped, String job, String instance, WriteBatch batch,
                        boolean utf8) {
        long latest = Long.MIN_VALUE;
        metadata(m, utf8, batch);
        switch (m.getDataCase()) {
            case GAUGE -> {
                String name = name(m, OtlpNames.Kind.GAUGE, utf8);
                for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
                    latest = Math.max(latest, number(name, p, false, scoped, job, instance, batch, utf8));
                }
            }
            case SUM -> {
                boolean counter = m.getSum().getIsMonotonic();
                String name = name(m, counter ? OtlpNames.Kind.COUNTER : OtlpNames.Kind.GAUGE, utf8);
                for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                    latest = Math.max(latest, number(name, p, counter, scoped, job, instance, batch, utf8));
                }
            }
            case HISTOGRAM -> {
                String name = name(m, OtlpNames.Kind.HISTOGRAM, utf8);
                for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                    latest = Math.max(latest, settings.convertHistogramsToNhcb() ? nhcb(name, p, scoped, job, instance, batch, utf8)
                            : histogram(name, p, scoped, job, instance, batch, utf8));
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                String name = name(m, OtlpNames.Kind.HISTOGRAM, utf8);
                for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                    latest = Math.max(latest, exponential(name, p, scoped, job, instance, batch, utf8));
                }
            }
            case SUMMARY -> {
                String name = name(m, OtlpNames.Kind.SUMMARY, utf8);
                for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
                    latest = Math.max(latest, summary(name, p, scoped, job, instance, batch, utf8));
                }
            }
            default -> { } // a metric without data
        }
        return latest;
    }

    /** The metric's metadata entry, for a metric with data points (Prometheus 3 records it with its samples). */
    private static void metadata(Metric m, boolean utf8, WriteBatch batch) {
        String type;
        OtlpNames.Kind kind;
        int points;
        switch (m.getDataCase()) {
            case GAUGE -> { type = "gauge"; kind = OtlpNames.Kind.GAUGE; points = m.getGauge().getDataPointsCount(); }
            case SUM -> {
                boolean counter = m.getSum().getIsMonotonic();
                type = counter ? "counter" : "gauge";
                kind = counter ? OtlpNames.Kind.COUNTER : OtlpNames.Kind.GAUGE;
                points = m.getSum().getDataPointsCount();
            }
            case HISTOGRAM -> { type = "histogram"; kind = OtlpNames.Kind.HISTOGRAM; points = m.getHistogram().getDataPointsCount(); }
            case SUMMARY -> { type = "summary"; kind = OtlpNames.Kind.SUMMARY; points = m.getSummary().getDataPointsCount(); }
            default -> { return; }
        }
        if (points == 0) return;
        batch.addMetadata(new MetricMetadata(name(m, kind, utf8), type, OtlpNames.unit(m.getUnit(), utf8), m.getDescription()));
    }

    private static String name(Metric m, OtlpNames.Kind kind, boolean utf8) {
        try {
            return OtlpNames.metricName(m.getName(), m.getUnit(), kind, utf8);
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException(e.getMessage());
        }
    }

    private long number(String name, NumberDataPoint p, boolean counter, Map<String, String> scoped, String job,
                        String instance, WriteBatch batch, boolean utf8) {
        Map<String, String> labels = labels(scoped, p.getAttributesList(), job, instance, utf8);
        double v = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0 ? STALE_NAN
                : p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
        long t = ms(p.getTimeUnixNano());
        write(batch, name, labels, t, counter ? ms(p.getStartTimeUnixNano()) : 0, v);
        return t;
    }

    private long histogram(String name, HistogramDataPoint p, Map<String, String> scoped, String job, String instance,
                           WriteBatch batch, boolean utf8) {
        Map<String, String> labels = labels(scoped, p.getAttributesList(), job, instance, utf8);
        long t = ms(p.getTimeUnixNano());
        long st = ms(p.getStartTimeUnixNano());
        boolean stale = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0;
        if (p.hasSum()) write(batch, name + "_sum", labels, t, st, stale ? STALE_NAN : p.getSum());
        write(batch, name + "_count", labels, t, st, stale ? STALE_NAN : p.getCount());
        long cumulative = 0;
        int bounds = p.getExplicitBoundsCount();
        if (p.getBucketCountsCount() > 0) {
            if (p.getBucketCountsCount() != bounds + 1) {
                throw new MalformedRequestException("histogram \"" + name + "\": " + p.getBucketCountsCount()
                        + " bucket counts for " + bounds + " explicit bounds (expected " + (bounds + 1) + ")");
            }
            for (int i = 0; i < bounds; i++) {
                cumulative += p.getBucketCounts(i);
                Map<String, String> l = new TreeMap<>(labels);
                l.put("le", plain(p.getExplicitBounds(i)));
                write(batch, name + "_bucket", l, t, st, stale ? STALE_NAN : cumulative);
            }
        }
        Map<String, String> inf = new TreeMap<>(labels);
        inf.put("le", "+Inf");
        write(batch, name + "_bucket", inf, t, st, stale ? STALE_NAN : p.getCount());
        return t;
    }

    /**
     * An exponential histogram data point as a native histogram, as Prometheus 3's OTLP receiver
     * converts it: schema = scale (a scale above 8 is reduced to 8 by merging 2^(scale-8) buckets
     * into one; below -4 is refused), OTLP bucket i (base^i, base^(i+1)] becomes Prometheus bucket
     * i + 1, empty buckets at the ends are dropped and gaps of up to two empty buckets are kept
     * inside a span (as the client libraries do); zero threshold 1e-128 unless the point carries
     * one; counter-reset hint unknown; "no recorded value" becomes a stale marker (sum = StaleNaN).
     */
    private long exponential(String name, ExponentialHistogramDataPoint p, Map<String, String> scoped, String job, String instance,
                             WriteBatch batch, boolean utf8) {
        Map<String, String> labels = labels(scoped, p.getAttributesList(), job, instance, utf8);
        long t = ms(p.getTimeUnixNano());
        long st = ms(p.getStartTimeUnixNano());
        int scale = p.getScale();
        if (scale < FloatHistogram.MIN_EXPONENTIAL_SCHEMA) {
            throw new MalformedRequestException("exponential histogram \"" + name + "\": scale " + scale + " is below -4, the coarsest native histogram schema");
        }
        int down = Math.max(0, scale - FloatHistogram.MAX_EXPONENTIAL_SCHEMA);
        FloatHistogram h;
        try {
            if ((p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0) {
                h = new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, scale - down, DEFAULT_ZERO_THRESHOLD, 0, 0, STALE_NAN,
                        null, null, null, null, null, null, null);
            } else {
                double[][] pos = buckets(p.getPositive().getOffset(), p.getPositive().getBucketCountsList(), down);
                double[][] neg = buckets(p.getNegative().getOffset(), p.getNegative().getBucketCountsList(), down);
                h = new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, scale - down,
                        p.getZeroThreshold() > 0 ? p.getZeroThreshold() : DEFAULT_ZERO_THRESHOLD, unsigned(p.getZeroCount()),
                        unsigned(p.getCount()), p.hasSum() ? p.getSum() : 0, ints(pos[0]), ints(pos[1]), pos[2], ints(neg[0]), ints(neg[1]), neg[2], null);
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("exponential histogram \"" + name + "\": " + e.getMessage());
        }
        batch.beginSeries();
        label(batch, "__name__", name);
        for (Map.Entry<String, String> l : labels.entrySet()) label(batch, l.getKey(), l.getValue());
        batch.addHistogram(t, st, h);
        batch.endSeries();
        return t;
    }

    /**
     * An explicit-bucket histogram data point as a custom-bucket native histogram (NHCB, schema
     * -53; with {@code otlp.convert-histograms-to-nhcb}): the explicit bounds are its custom bounds,
     * bucket i (the last one up to +Inf) its bucket i; empty buckets at the ends are dropped and gaps
     * of up to two kept inside a span, as for exponential histograms.
     */
    private long nhcb(String name, HistogramDataPoint p, Map<String, String> scoped, String job, String instance,
                      WriteBatch batch, boolean utf8) {
        Map<String, String> labels = labels(scoped, p.getAttributesList(), job, instance, utf8);
        long t = ms(p.getTimeUnixNano());
        long st = ms(p.getStartTimeUnixNano());
        int bounds = p.getExplicitBoundsCount();
        if (p.getBucketCountsCount() > 0 && p.getBucketCountsCount() != bounds + 1) {
            throw new MalformedRequestException("histogram \"" + name + "\": " + p.getBucketCountsCount()
                    + " bucket counts for " + bounds + " explicit bounds (expected " + (bounds + 1) + ")");
        }
        double[] custom = new double[bounds];
        for (int i = 0; i < bounds; i++) custom[i] = p.getExplicitBounds(i);
        FloatHistogram h;
        try {
            if ((p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0) {
                h = new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, 0, STALE_NAN,
                        null, null, null, null, null, null, custom);
            } else {
                double[][] b = buckets(-1, p.getBucketCountsList(), 0); // OTLP bucket i is custom bucket i
                h = new FloatHistogram(FloatHistogram.ResetHint.UNKNOWN, FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0,
                        unsigned(p.getCount()), p.hasSum() ? p.getSum() : 0, ints(b[0]), ints(b[1]), b[2], null, null, null, custom);
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("histogram \"" + name + "\": " + e.getMessage());
        }
        batch.beginSeries();
        label(batch, "__name__", name);
        for (Map.Entry<String, String> l : labels.entrySet()) label(batch, l.getKey(), l.getValue());
        batch.addHistogram(t, st, h);
        batch.endSeries();
        return t;
    }

    /** Prometheus's default zero threshold for converted histograms (its OTLP translator's). */
    static final double DEFAULT_ZERO_THRESHOLD = 1e-128;

    /**
     * One side's OTLP buckets (counts from bucket index {@code offset}) as Prometheus spans and
     * absolute counts: {offsets, lengths, counts}, with {@code down} halvings of the resolution.
     */
    private static double[][] buckets(int offset, List<Long> counts, int down) {
        TreeMap<Long, Double> merged = new TreeMap<>();
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) == 0) continue;
            long idx = (((long) offset + i) >> down) + 1;
            merged.merge(idx, unsigned(counts.get(i)), Double::sum);
        }
        List<double[]> spans = new ArrayList<>(); // {offset, length}
        List<Double> out = new ArrayList<>();
        long prev = 0;
        for (Map.Entry<Long, Double> e : merged.entrySet()) {
            long idx = e.getKey();
            if (spans.isEmpty() || idx - prev - 1 > 2) {
                spans.add(new double[] {spans.isEmpty() ? idx : idx - prev - 1, 0});
            } else {
                for (long g = prev + 1; g < idx; g++) {
                    out.add(0.0);
                    spans.get(spans.size() - 1)[1]++;
                }
            }
            out.add(e.getValue());
            spans.get(spans.size() - 1)[1]++;
            prev = idx;
        }
        double[][] r = new double[3][];
        r[0] = spans.stream().mapToDouble(x -> x[0]).toArray();
        r[1] = spans.stream().mapToDouble(x -> x[1]).toArray();
        r[2] = out.stream().mapToDouble(Double::doubleValue).toArray();
        return r;
    }

    private static int[] ints(double[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            if (a[i] < Integer.MIN_VALUE || a[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("bucket index out of range");
            out[i] = (int) a[i];
        }
        return out;
    }

    /** A uint64 as a double (values above 2^63 are not negative). */
    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private long summary(String name, SummaryDataPoint p, Map<String, String> scoped, String job, String instance,
                         WriteBatch batch, boolean utf8) {
        Map<String, String> labels = labels(scoped, p.getAttributesList(), job, instance, utf8);
        long t = ms(p.getTimeUnixNano());
        long st = ms(p.getStartTimeUnixNano());
        boolean stale = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0;
        write(batch, name + "_sum", labels, t, st, stale ? STALE_NAN : p.getSum());
        write(batch, name + "_count", labels, t, st, stale ? STALE_NAN : p.getCount());
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            Map<String, String> l = new TreeMap<>(labels);
            l.put("quantile", plain(q.getQuantile()));
            write(batch, name, l, t, 0, stale ? STALE_NAN : q.getValue());
        }
        return t;
    }

    /** target_info {job, instance, the resource's other attributes} 1, when the resource has other attributes. */
    private void targetInfo(Map<String, String> resource, String job, String instance, long t, WriteBatch batch, boolean utf8) {
        if (t == Long.MIN_VALUE) return;
        Map<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, String> a : resource.entrySet()) {
            String k = a.getKey();
            boolean identifying = k.equals("service.name") || k.equals("service.namespace") || k.equals("service.instance.id");
            if (identifying && !settings.keepIdentifyingResourceAttributes()) continue;
            labels.merge(OtlpNames.labelName(k, utf8), a.getValue(), (x, y) -> x + ";" + y);
        }
        if (labels.isEmpty()) return;
        if (job != null) labels.put("job", job);
        if (instance != null) labels.put("instance", instance);
        write(batch, "target_info", labels, t, 0, 1);
        batch.addMetadata(new MetricMetadata("target_info", "gauge", "", "Target metadata"));
    }

    private static String job(Map<String, String> resource) {
        String name = resource.get("service.name");
        if (name == null) return null;
        String ns = resource.get("service.namespace");
        return ns == null || ns.isEmpty() ? name : ns + "/" + name;
    }

    private void scopeLabels(ScopeMetrics sm, Map<String, String> out, boolean utf8) {
        InstrumentationScope scope = sm.getScope();
        if (scope.getName().isEmpty()) return;
        out.put("otel_scope_name", scope.getName());
        if (!scope.getVersion().isEmpty()) out.put("otel_scope_version", scope.getVersion());
        if (!sm.getSchemaUrl().isEmpty()) out.put("otel_scope_schema_url", sm.getSchemaUrl());
        for (Map.Entry<String, String> a : attributes(scope.getAttributesList()).entrySet()) {
            out.put("otel_scope_" + OtlpNames.labelName(a.getKey(), utf8), a.getValue());
        }
    }

    /**
     * The series labels: promoted resource attributes and scope labels, overridden by the data point's
     * attributes (attributes that normalize to the same name are joined with ';' in key order), then
     * job and instance from the resource.
     */
    private static Map<String, String> labels(Map<String, String> scoped, List<KeyValue> attrs, String job, String instance,
                                              boolean utf8) {
        Map<String, String> point = new TreeMap<>();
        for (Map.Entry<String, String> a : attributes(attrs).entrySet()) {
            String key;
            try {
                key = OtlpNames.labelName(a.getKey(), utf8);
            } catch (IllegalArgumentException e) {
                throw new MalformedRequestException(e.getMessage());
            }
            point.merge(key, a.getValue(), (x, y) -> x + ";" + y);
        }
        Map<String, String> out = new TreeMap<>(scoped);
        out.putAll(point);
        if (job != null) out.put("job", job);
        if (instance != null) out.put("instance", instance);
        return out;
    }

    /** Attributes by key (sorted, so collisions join in key order), values as OpenTelemetry's AsString. */
    private static Map<String, String> attributes(List<KeyValue> attrs) {
        Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : attrs) out.put(kv.getKey(), asString(kv.getValue()));
        return out;
    }

    static String asString(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> plain(v.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                StringBuilder b = new StringBuilder("[");
                for (AnyValue e : v.getArrayValue().getValuesList()) {
                    if (b.length() > 1) b.append(',');
                    json(e, b);
                }
                yield b.append(']').toString();
            }
            case KVLIST_VALUE -> {
                StringBuilder b = new StringBuilder("{");
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    if (b.length() > 1) b.append(',');
                    quote(kv.getKey(), b);
                    b.append(':');
                    json(kv.getValue(), b);
                }
                yield b.append('}').toString();
            }
            default -> "";
        };
    }

    private static void json(AnyValue v, StringBuilder b) {
        switch (v.getValueCase()) {
            case STRING_VALUE, BYTES_VALUE -> quote(asString(v), b);
            case VALUE_NOT_SET -> b.append("null");
            default -> b.append(asString(v));
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest plain decimal ("+Inf", "-Inf", "NaN" for those). */
    static String plain(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return "0";
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static long ms(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L);
    }

    private static void write(WriteBatch batch, String name, Map<String, String> labels, long t, long st, double v) {
        batch.beginSeries();
        label(batch, "__name__", name);
        for (Map.Entry<String, String> l : labels.entrySet()) label(batch, l.getKey(), l.getValue());
        batch.addSample(t, st, v);
        batch.endSeries();
    }

    private static void label(WriteBatch batch, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        batch.addLabel(batch.appendBytes(n, 0, n.length), n.length, batch.appendBytes(v, 0, v.length), v.length);
    }
}
