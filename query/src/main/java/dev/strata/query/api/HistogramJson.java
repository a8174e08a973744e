package dev.strata.query.api;

import dev.strata.query.engine.HistogramMath;
import dev.strata.store.json.JsonWriter;
import dev.strata.store.model.FloatHistogram;

/**
 * A native histogram in Prometheus's query-API JSON (util/jsonutil's MarshalHistogram):
 * {@code {"count":"42","sum":"3.5","buckets":[[3,"-0.25","0.25","3"],[0,"0.25","0.5","12"]]}}, counts and
 * bounds as strings, the non-empty buckets in ascending order, each led by its boundary rule:
 * 0 lower exclusive and upper inclusive, 1 lower inclusive and upper exclusive, 2 both exclusive,
 * 3 both inclusive. {@code buckets} is left out when every bucket is empty.
 */
final class HistogramJson {
    private HistogramJson() {}

    static void write(FloatHistogram h, JsonWriter w) {
        w.raw("{\"count\":").sampleValue(h.count()).raw(",\"sum\":").sampleValue(h.sum());
        boolean first = true;
        for (HistogramMath.Bucket b : HistogramMath.allBuckets(h)) {
            if (b.count() == 0) continue;
            w.raw(first ? ",\"buckets\":[" : ",");
            first = false;
            w.raw('[').number(boundaryRule(b)).raw(',').sampleValue(b.lower()).raw(',').sampleValue(b.upper()).raw(',')
                    .sampleValue(b.count()).raw(']');
        }
        if (!first) w.raw(']');
        w.raw('}');
    }

    static int boundaryRule(HistogramMath.Bucket b) {
        if (b.lowerInclusive()) return b.upperInclusive() ? 3 : 1;
        return b.upperInclusive() ? 0 : 2;
    }
}
