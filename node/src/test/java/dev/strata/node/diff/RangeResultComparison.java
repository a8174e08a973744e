package dev.strata.node.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two {@code /api/v1/query_range} answers the way the PromQL compliance tester does: both failed
 * (with the same {@code errorType}) or both succeeded with the same series -- label sets exactly, the same
 * timestamps exactly, float values within a relative tolerance of {@link #TOLERANCE} (NaN equals NaN, an
 * infinity only the same infinity), native histograms field by field with the same tolerance. Warnings and
 * info annotations are not compared (3.x adds annotations 2.42 does not have).
 */
final class RangeResultComparison {
    static final double TOLERANCE = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One difference: {@code kind} is the class counted in the summary; for a point, {@code series} and
     * {@code at} (seconds) say where, {@code prometheus} and {@code strata} hold the two values ("" where a
     * side has no point); {@code detail} is the text shown.
     */
    record Difference(String query, String kind, String series, long at, String prometheus, String strata, String detail) {
        static Difference whole(String query, String kind, String detail) {
            return new Difference(query, kind, "", 0, "", "", detail);
        }
    }

    /** The outcome for one query: every difference (empty when equal) and the points compared. */
    record Outcome(List<Difference> differences, long comparedPoints) {}

    private RangeResultComparison() {}

    static Outcome compare(String query, String prometheusBody, String strataBody) {
        JsonNode p, s;
        try {
            p = JSON.readTree(prometheusBody);
            s = JSON.readTree(strataBody);
        } catch (Exception e) {
            return new Outcome(List.of(Difference.whole(query, "unparseable answer", "prometheus: " + cut(prometheusBody)
                    + "\nstrata: " + cut(strataBody))), 0);
        }
        boolean pOk = "success".equals(p.path("status").asText()), sOk = "success".equals(s.path("status").asText());
        if (!pOk || !sOk) {
            if (pOk == sOk) {
                String pt = p.path("errorType").asText(), st = s.path("errorType").asText();
                return new Outcome(pt.equals(st) ? List.of() : List.of(Difference.whole(query, "error type",
                        "prometheus: " + p.path("error").asText() + " (" + pt + ")\nstrata: " + s.path("error").asText() + " (" + st + ")")), 0);
            }
            return new Outcome(List.of(Difference.whole(query, pOk ? "strata failed" : "prometheus failed",
                    "prometheus: " + cut(prometheusBody) + "\nstrata: " + cut(strataBody))), 0);
        }
        String pType = p.path("data").path("resultType").asText(), sType = s.path("data").path("resultType").asText();
        if (!pType.equals(sType)) return new Outcome(List.of(Difference.whole(query, "result type", pType + " vs " + sType)), 0);
        Map<String, JsonNode> pSeries = bySeries(p), sSeries = bySeries(s);
        List<Difference> out = new ArrayList<>();
        if (!pSeries.keySet().equals(sSeries.keySet())) {
            List<String> onlyP = new ArrayList<>(pSeries.keySet()), onlyS = new ArrayList<>(sSeries.keySet());
            onlyP.removeAll(sSeries.keySet());
            onlyS.removeAll(pSeries.keySet());
            out.add(new Difference(query, "series", "", 0, String.join("; ", onlyP), String.join("; ", onlyS),
                    "only in prometheus: " + onlyP + "\nonly in strata: " + onlyS));
        }
        long points = 0;
        // A series on one side only: its points are one-sided too (listed, so that they can be explained).
        for (Map.Entry<String, JsonNode> e : sSeries.entrySet()) {
            if (pSeries.containsKey(e.getKey())) continue;
            for (Map.Entry<Long, JsonNode> pt : points(e.getValue().path("values")).entrySet()) {
                out.add(new Difference(query, "timestamps", e.getKey(), pt.getKey(), "", pt.getValue().toString(),
                        e.getKey() + " values at " + pt.getKey() + ": only strata has a point"));
            }
        }
        for (Map.Entry<String, JsonNode> e : pSeries.entrySet()) {
            JsonNode ss = sSeries.get(e.getKey());
            if (ss == null) {
                for (Map.Entry<Long, JsonNode> pt : points(e.getValue().path("values")).entrySet()) {
                    out.add(new Difference(query, "timestamps", e.getKey(), pt.getKey(), pt.getValue().toString(), "",
                            e.getKey() + " values at " + pt.getKey() + ": only prometheus has a point"));
                }
                continue;
            }
            for (String field : List.of("values", "histograms")) {
                Map<Long, JsonNode> pv = points(e.getValue().path(field)), sv = points(ss.path(field));
                TreeMap<Long, Boolean> all = new TreeMap<>();
                pv.keySet().forEach(t -> all.put(t, true));
                sv.keySet().forEach(t -> all.put(t, true));
                for (long t : all.keySet()) {
                    JsonNode a = pv.get(t), b = sv.get(t);
                    if (a == null || b == null) {
                        out.add(new Difference(query, "timestamps", e.getKey(), t, a == null ? "" : a.toString(), b == null ? "" : b.toString(),
                                e.getKey() + " " + field + " at " + t + ": " + (a == null ? "only strata has a point" : "only prometheus has a point")));
                        continue;
                    }
                    points++;
                    boolean same = field.equals("values") ? sameFloat(a.asText(), b.asText()) : sameHistogram(a, b);
                    if (!same) {
                        out.add(new Difference(query, field.equals("values") ? "values" : "histogram values", e.getKey(), t,
                                a.asText(), b.asText(), e.getKey() + " at " + t + ": prometheus " + a + ", strata " + b));
                    }
                }
            }
        }
        return new Outcome(out, points);
    }

    /**
     * The histogram points of a range-query answer by series -- the label set without {@code __name__}, as a
     * function of it names the series in a {@link Difference} -- and timestamp; empty if it is not a matrix.
     */
    static Map<String, Map<Long, JsonNode>> histogramPoints(String body) {
        Map<String, Map<Long, JsonNode>> out = new TreeMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : bySeries(JSON.readTree(body)).entrySet()) {
                out.put(e.getKey().replaceFirst("__name__=[^,}]*(, )?", ""), points(e.getValue().path("histograms")));
            }
        } catch (Exception e) {
            return Map.of();
        }
        return out;
    }

    /** A series' points by timestamp (whole seconds here: every step is). */
    private static Map<Long, JsonNode> points(JsonNode array) {
        Map<Long, JsonNode> m = new TreeMap<>();
        for (JsonNode point : array) m.put(point.get(0).asLong(), point.get(1));
        return m;
    }

    /** Series keyed by their label set as text (labels sorted by name; JSON object order is not relied on). */
    private static Map<String, JsonNode> bySeries(JsonNode answer) {
        Map<String, JsonNode> out = new TreeMap<>();
        JsonNode result = answer.path("data").path("result");
        if (!result.isArray()) {
            out.put("(" + answer.path("data").path("resultType").asText() + ")", answer.path("data"));
            return out;
        }
        for (JsonNode series : result) {
            TreeMap<String, String> labels = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = series.path("metric").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> l = it.next();
                labels.put(l.getKey(), l.getValue().asText());
            }
            out.put(labels.toString(), series);
        }
        return out;
    }

    static boolean sameFloat(String a, String b) {
        if (a.equals(b)) return true;
        double x = Double.parseDouble(a.replace("Inf", "Infinity")), y = Double.parseDouble(b.replace("Inf", "Infinity"));
        if (Double.isNaN(x) || Double.isNaN(y)) return Double.isNaN(x) && Double.isNaN(y);
        if (Double.isInfinite(x) || Double.isInfinite(y)) return x == y;
        return Math.abs(x - y) <= TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }

    /** {@code count}, {@code sum} and every bucket {@code [boundaryRule, lower, upper, count]} alike. */
    private static boolean sameHistogram(JsonNode a, JsonNode b) {
        if (!sameFloat(a.path("count").asText(), b.path("count").asText())) return false;
        if (!sameFloat(a.path("sum").asText(), b.path("sum").asText())) return false;
        JsonNode ab = a.path("buckets"), bb = b.path("buckets");
        if (ab.size() != bb.size()) return false;
        for (int i = 0; i < ab.size(); i++) {
            if (ab.get(i).get(0).asInt() != bb.get(i).get(0).asInt()) return false;
            for (int k = 1; k < 4; k++) {
                if (!sameFloat(ab.get(i).get(k).asText(), bb.get(i).get(k).asText())) return false;
            }
        }
        return true;
    }

    private static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
