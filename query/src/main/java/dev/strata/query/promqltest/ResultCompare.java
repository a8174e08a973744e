package dev.strata.query.promqltest;

import dev.strata.store.model.FloatHistogram;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.Scalar;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.StringValue;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares an eval's answer with the script's expectations: the error message, warn/info annotations,
 * and values (floats with {@link FloatCompare}). Each check answers null on a match, else what differed.
 */
final class ResultCompare {
    private ResultCompare() {}

    static String checkFailure(Script.Eval e, String message) {
        for (Script.Expect x : e.expects()) {
            if (!x.kind().equals("fail")) continue;
            if (x.msg() != null && !x.msg().equals(message)) {
                return "expected error \"" + x.msg() + "\" but got \"" + message + "\"";
            }
            if (x.regex() != null && !x.regex().matcher(message).find()) {
                return "expected error matching " + x.regex() + " but got \"" + message + "\"";
            }
        }
        return null;
    }

    static String checkAnnotations(Script.Eval e, QueryResult res) {
        String w = checkKind(e, "warn", "no_warn", res.warnings());
        return w != null ? w : checkKind(e, "info", "no_info", res.infos());
    }

    private static String checkKind(Script.Eval e, String kind, String noKind, List<String> got) {
        if (e.expects(noKind) && !got.isEmpty()) return "unexpected " + kind + " annotations: " + got;
        List<Script.Expect> exps = new ArrayList<>();
        for (Script.Expect x : e.expects()) if (x.kind().equals(kind)) exps.add(x);
        if (exps.isEmpty()) return null;
        if (got.isEmpty()) return "expected " + kind + " annotations but got none";
        boolean anyPattern = false;
        for (Script.Expect x : exps) {
            if (x.msg() == null && x.regex() == null) continue;
            anyPattern = true;
            boolean ok = false;
            for (String g : got) if (matches(x, g)) ok = true;
            if (!ok) return "expected " + kind + " " + (x.msg() != null ? "\"" + x.msg() + "\"" : x.regex()) + " but got " + got;
        }
        if (anyPattern) {
            for (String g : got) {
                boolean ok = false;
                for (Script.Expect x : exps) if (x.msg() == null && x.regex() == null || matches(x, g)) ok = true;
                if (!ok) return "unexpected " + kind + " annotation: " + g;
            }
        }
        return null;
    }

    private static boolean matches(Script.Expect x, String g) {
        if (x.msg() != null) return x.msg().equals(g);
        if (x.regex() != null) return x.regex().matcher(g).find();
        return true;
    }

    static String compareInstant(Script.Eval e, Value v) {
        if (e.string() != null) {
            if (!(v instanceof StringValue s)) return "expected string, got " + v.type().display();
            return s.value().equals(e.string()) ? null : "expected string \"" + e.string() + "\", got \"" + s.value() + "\"";
        }
        if (e.scalar() != null) {
            if (!(v instanceof Scalar s)) return "expected scalar " + e.scalar() + ", got " + describe(v);
            return FloatCompare.equal(e.scalar(), s.value()) ? null : "expected scalar " + e.scalar() + ", got " + s.value();
        }
        if (e.rangeVector()) {
            if (!(v instanceof Matrix m)) return "expected range vector, got " + v.type().display();
            return compareMatrix(e, m, e.rvFrom(), e.rvStep());
        }
        if (v instanceof Scalar s) {
            if (e.results().isEmpty()) return "expected empty vector, got scalar " + s.value();
            return "expected vector, got scalar " + s.value();
        }
        if (!(v instanceof Vector vec)) return "expected instant vector, got " + v.type().display();
        List<SeriesSpec> exp = e.results();
        if (exp.size() != vec.samples().size()) {
            return "expected " + exp.size() + " samples, got " + vec.samples().size() + ": " + describe(vec);
        }
        Map<Labels, Integer> pos = new HashMap<>();
        for (int i = 0; i < vec.samples().size(); i++) pos.put(vec.samples().get(i).metric(), i);
        for (int i = 0; i < exp.size(); i++) {
            SeriesSpec s = exp.get(i);
            Integer at = pos.get(s.labels());
            if (at == null) return "expected series " + s.labels() + " not in result " + describe(vec);
            List<SeriesSpec.Point> pts = SeriesSpec.expand(s.valuesText());
            if (pts.size() != 1) return "bad expectation line for " + s.labels();
            Sample got = vec.samples().get(at);
            String diff = comparePoint(pts.get(0), got.value(), got.histogram());
            if (diff != null) return "series " + s.labels() + ": " + diff;
            if (e.expects("ordered") && at != i) return "expected " + s.labels() + " at position " + i + ", got " + at;
        }
        return null;
    }

    /** Compares one expected point with a float or histogram result; null when equal. */
    static String comparePoint(SeriesSpec.Point exp, double value, FloatHistogram hist) {
        if (exp.histogram() == null) {
            if (hist != null) return "expected float " + exp.value() + ", got histogram " + hist;
            return FloatCompare.equal(exp.value(), value) ? null : "expected " + exp.value() + ", got " + value;
        }
        if (hist == null) return "expected histogram " + exp.histogram() + ", got float " + value;
        return HistogramCompare.equal(exp.histogram(), hist, exp.hintSet()) ? null
                : "expected " + exp.histogram() + ", got " + hist;
    }

    private static String describe(Value v) {
        if (v instanceof Vector vec) {
            StringBuilder sb = new StringBuilder("[");
            for (Sample s : vec.samples()) sb.append(s.metric()).append(" ").append(s.histogram() != null ? s.histogram() : s.value()).append("; ");
            return sb.append("]").toString();
        }
        if (v instanceof Scalar s) return "scalar " + s.value();
        if (v instanceof Matrix m) {
            StringBuilder sb = new StringBuilder("[");
            for (SeriesPoints sp : m.series()) {
                sb.append(sp.metric()).append(" ");
                for (int i = 0; i < sp.size(); i++) sb.append(sp.values()[i]).append("@").append(sp.timestamps()[i]).append(" ");
                sb.append("; ");
            }
            return sb.append("]").toString();
        }
        return v.toString();
    }

    static String compareMatrix(Script.Eval e, Matrix m, long from, long step) {
        Map<Labels, SeriesPoints> got = new HashMap<>();
        for (SeriesPoints sp : m.series()) got.put(sp.metric(), sp);
        Set<Labels> expected = new HashSet<>();
        for (SeriesSpec s : e.results()) {
            List<SeriesSpec.Point> pts = SeriesSpec.expand(s.valuesText());
            List<long[]> ts = new ArrayList<>();
            List<SeriesSpec.Point> vs = new ArrayList<>();
            for (int i = 0; i < pts.size(); i++) {
                if (pts.get(i).missing()) continue;
                ts.add(new long[] {from + i * step});
                vs.add(pts.get(i));
            }
            if (ts.isEmpty()) continue;
            expected.add(s.labels());
            SeriesPoints sp = got.get(s.labels());
            if (sp == null) return "expected series " + s.labels() + " not in result " + describe(m);
            if (sp.size() != ts.size()) {
                return "series " + s.labels() + ": expected " + ts.size() + " points, got " + sp.size() + ": " + describe(m);
            }
            for (int i = 0; i < ts.size(); i++) {
                String diff = comparePoint(vs.get(i), sp.values()[i], sp.histogram(i));
                if (sp.timestamps()[i] != ts.get(i)[0] || diff != null) {
                    return "series " + s.labels() + " at " + ts.get(i)[0] + " (got time " + sp.timestamps()[i] + "): "
                            + (diff == null ? "time differs" : diff);
                }
            }
        }
        for (Labels l : got.keySet()) {
            if (!expected.contains(l)) return "unexpected series " + l + " in result " + describe(m);
        }
        return null;
    }
}
