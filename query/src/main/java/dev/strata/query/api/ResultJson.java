package dev.strata.query.api;

import dev.strata.store.json.JsonWriter;
import dev.strata.store.json.SampleValueFormat;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryStats;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.Scalar;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.StringValue;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;

/**
 * Query results in Prometheus's JSON: {@code {"resultType":"vector","result":[...]}} plus
 * {@code "stats"} when asked. Vector elements are {@code {"metric":{...},"value":[t,"v"]}}, matrix
 * series {@code {"metric":{...},"values":[[t,"v"],...]}}, scalars and strings {@code [t,"v"]}. A native
 * histogram sample is {@code "histogram":[t,{...}]} in a vector; a matrix series lists its histogram
 * points under {@code "histograms":[[t,{...}],...]} after its float {@code "values"} (either key left
 * out when it would be empty), as Prometheus does; the histogram object is {@link HistogramJson}.
 */
public final class ResultJson {
    private ResultJson() {}

    static void queryData(Value value, StatsJson stats, JsonWriter w) {
        w.raw("{\"resultType\":").string(value.type().apiName()).raw(",\"result\":");
        result(value, w);
        if (stats != null) {
            w.raw(",\"stats\":");
            stats.write(w);
        }
        w.raw('}');
    }

    public static void result(Value value, JsonWriter w) {
        if (value instanceof Vector v) {
            w.raw('[');
            boolean first = true;
            for (Sample s : v.samples()) {
                if (!first) w.raw(',');
                first = false;
                w.raw("{\"metric\":");
                LabelsJson.write(s.metric(), w);
                if (s.histogram() != null) {
                    w.raw(",\"histogram\":[").timestamp(s.timestampMs()).raw(',');
                    HistogramJson.write(s.histogram(), w);
                    w.raw("]}");
                } else {
                    w.raw(",\"value\":[").timestamp(s.timestampMs()).raw(',').sampleValue(s.value()).raw("]}");
                }
            }
            w.raw(']');
        } else if (value instanceof Matrix m) {
            w.raw('[');
            boolean first = true;
            for (SeriesPoints s : m.series()) {
                if (!first) w.raw(',');
                first = false;
                w.raw("{\"metric\":");
                LabelsJson.write(s.metric(), w);
                long[] ts = s.timestamps();
                double[] vs = s.values();
                int hists = 0;
                for (int i = 0; i < ts.length; i++) if (s.histogram(i) != null) hists++;
                if (ts.length > hists) {
                    w.raw(",\"values\":[");
                    boolean firstPoint = true;
                    for (int i = 0; i < ts.length; i++) {
                        if (s.histogram(i) != null) continue;
                        if (!firstPoint) w.raw(',');
                        firstPoint = false;
                        w.raw('[').timestamp(ts[i]).raw(',').sampleValue(vs[i]).raw(']');
                    }
                    w.raw(']');
                }
                if (hists > 0) {
                    w.raw(",\"histograms\":[");
                    boolean firstPoint = true;
                    for (int i = 0; i < ts.length; i++) {
                        if (s.histogram(i) == null) continue;
                        if (!firstPoint) w.raw(',');
                        firstPoint = false;
                        w.raw('[').timestamp(ts[i]).raw(',');
                        HistogramJson.write(s.histogram(i), w);
                        w.raw(']');
                    }
                    w.raw(']');
                }
                w.raw('}');
            }
            w.raw(']');
        } else if (value instanceof Scalar s) {
            w.raw('[').timestamp(s.timestampMs()).raw(',').sampleValue(s.value()).raw(']');
        } else if (value instanceof StringValue s) {
            w.raw('[').timestamp(s.timestampMs()).raw(',').string(s.value()).raw(']');
        } else {
            throw new IllegalStateException("unknown value type " + value.getClass().getName());
        }
    }

    /**
     * Prometheus's {@code stats} object. The engine measures evaluation as a whole, so
     * {@code innerEvalTime} equals {@code evalTotalTime} and the sub-phases it does not time
     * separately ({@code resultSortTime}, {@code queryPreparationTime}) are 0; queue and total
     * execution time are measured by the API around the engine call. {@code perStep} ({@code stats=all})
     * adds {@code totalQueryableSamplesPerStep} as Prometheus does when its per-step statistics are
     * enabled ({@code --enable-feature=promql-per-step-stats}): {@code [[<step time>, <samples>], ...]}.
     */
    record StatsJson(QueryStats stats, long queueNanos, long execNanos, boolean perStep) {
        void write(JsonWriter w) {
            w.raw("{\"timings\":{\"evalTotalTime\":");
            seconds(stats.evalNanos(), w);
            w.raw(",\"resultSortTime\":0,\"queryPreparationTime\":0,\"innerEvalTime\":");
            seconds(stats.evalNanos(), w);
            w.raw(",\"execQueueTime\":");
            seconds(queueNanos, w);
            w.raw(",\"execTotalTime\":");
            seconds(execNanos, w);
            w.raw("},\"samples\":{");
            long[] steps = stats.totalQueryableSamplesPerStep();
            if (perStep && steps != null && steps.length > 0) {
                w.raw("\"totalQueryableSamplesPerStep\":[");
                for (int i = 0; i < steps.length; i++) {
                    if (i > 0) w.raw(',');
                    w.raw('[').raw(goSeconds(stats.firstStepMs() + i * stats.stepMs())).raw(',').number(steps[i]).raw(']');
                }
                w.raw("],");
            }
            w.raw("\"totalQueryableSamples\":").number(stats.totalQueryableSamples())
                    .raw(",\"peakSamples\":").number(stats.peakSamples()).raw("}}");
        }

        /**
         * Milliseconds as Go's encoding/json writes float64(ms)/1000 (Prometheus marshals per-step
         * stats that way, not as result timestamps): shortest decimal, so no trailing zeros
         * ({@code 1435781451.78}, {@code 21}).
         */
        static String goSeconds(long ms) {
            String sign = ms < 0 ? "-" : "";
            long a = Math.abs(ms);
            long frac = a % 1000;
            if (frac == 0) return sign + (a / 1000);
            String f = String.format(java.util.Locale.ROOT, "%03d", frac);
            while (f.endsWith("0")) f = f.substring(0, f.length() - 1);
            return sign + (a / 1000) + "." + f;
        }

        /** A float64 as Go's encoding/json writes it (exponent without leading zeros, e.g. 1e-7). */
        private static void seconds(long nanos, JsonWriter w) {
            String s = SampleValueFormat.formatValue(nanos / 1e9);
            int e = s.indexOf("e-0");
            if (e >= 0) s = s.substring(0, e + 2) + s.substring(e + 3);
            w.raw(s);
        }
    }
}
