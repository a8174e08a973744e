package dev.strata.query.engine;

import dev.strata.store.model.FloatHistogram;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.VectorMatching;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators: scalar/scalar, vector/scalar, vector/vector with matching, and set operators. */
final class BinaryOps {
    private BinaryOps() {}

    static Object eval(Evaluator ev, BinaryExpr b) {
        Object l = ev.eval(b.lhs());
        Object r = ev.eval(b.rhs());
        String op = b.op();
        if (l instanceof double[] ls && r instanceof double[] rs) {
            double[] out = new double[ev.steps];
            for (int i = 0; i < ev.steps; i++) {
                double v = apply(op, ls[i], rs[i]);
                out[i] = BinaryExpr.isComparison(op) ? (compare(op, ls[i], rs[i]) ? 1 : 0) : v;
            }
            return out;
        }
        if (l instanceof double[] ls) return vectorScalar(ev, b, asVector(r), ls, true);
        if (r instanceof double[] rs) return vectorScalar(ev, b, asVector(l), rs, false);
        List<StepSeries> lv = asVector(l), rv = asVector(r);
        return switch (op) {
            case "and" -> and(ev, b.matching(), lv, rv, false);
            case "unless" -> and(ev, b.matching(), lv, rv, true);
            case "or" -> or(ev, b.matching(), lv, rv);
            default -> vectorVector(ev, b, lv, rv);
        };
    }

    @SuppressWarnings("unchecked")
    private static List<StepSeries> asVector(Object o) {
        return (List<StepSeries>) o;
    }

    static boolean compare(String op, double a, double b) {
        return switch (op) {
            case "==" -> a == b;
            case "!=" -> a != b;
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            case ">=" -> a >= b;
            default -> throw new IllegalStateException(op);
        };
    }

    /** Arithmetic result (comparisons return the lhs value). */
    static double apply(String op, double a, double b) {
        return switch (op) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / b;
            case "%" -> FloatMath.mod(a, b);
            case "^" -> FloatMath.pow(a, b);
            case "atan2" -> Math.atan2(a, b);
            default -> a;
        };
    }

    /** One element operation's outcome (Prometheus's vectorElemBinop): a float or histogram value, and whether kept. */
    private static final class Elem {
        double value;
        FloatHistogram hist;
        boolean keep;
        /** False when the operand kinds are not allowed together (the element is dropped, with an info). */
        boolean valid;
    }

    /**
     * Applies op to (lf | lh) and (rf | rh) where either side may be a native histogram: histogram
     * times/divided by a float, float times histogram, histogram plus/minus histogram, histogram ==/!=
     * histogram; every other mix is dropped with Prometheus's "incompatible sample types" info.
     */
    private static void elem(Evaluator ev, BinaryExpr b, double lf, FloatHistogram lh, double rf, FloatHistogram rh, Elem r) {
        String op = b.op();
        r.valid = true;
        r.hist = null;
        if (lh == null && rh == null) {
            if (isTrim(op)) {
                ev.annotations.info("incompatible sample types encountered for binary operator \"" + op + "\": float " + op + " float"
                        + ev.ctx.position(b));
                r.valid = false;
                return;
            }
            if (BinaryExpr.isComparison(op)) {
                r.keep = compare(op, lf, rf);
                r.value = lf;
            } else {
                r.keep = true;
                r.value = apply(op, lf, rf);
            }
            return;
        }
        r.keep = true;
        r.value = 0;
        if (lh == null) {
            if (op.equals("*")) {
                r.hist = HistogramMath.mul(rh, lf);
                return;
            }
        } else if (rh == null) {
            if (op.equals("*")) {
                r.hist = HistogramMath.mul(lh, rf);
                return;
            }
            if (op.equals("/")) {
                r.hist = HistogramMath.div(lh, rf);
                return;
            }
            if (isTrim(op)) {
                r.hist = HistogramMath.trim(lh, rf, op.equals("</"));
                return;
            }
        } else {
            switch (op) {
                case "+", "-" -> {
                    HistogramMath.Combined c;
                    try {
                        c = op.equals("+") ? HistogramMath.add(lh, rh) : HistogramMath.sub(lh, rh);
                    } catch (HistogramMath.IncompatibleException e) {
                        ev.annotations.warn("incompatible bucket layout encountered for binary operator " + op + ev.ctx.position(b));
                        r.valid = false;
                        return;
                    }
                    String operation = op.equals("+") ? "addition" : "subtraction";
                    if (c.outcome() == HistogramMath.AddOutcome.HINT_COLLISION) {
                        ev.annotations.warn("conflicting counter resets during histogram " + operation + ev.ctx.position(b));
                        r.valid = false;
                        return;
                    }
                    if (c.outcome() == HistogramMath.AddOutcome.RECONCILED_CUSTOM) {
                        ev.annotations.info("mismatched custom buckets were reconciled during " + operation + ev.ctx.position(b));
                    }
                    r.hist = op.equals("-") ? c.h().withResetHint(FloatHistogram.ResetHint.GAUGE) : c.h();
                    return;
                }
                case "==", "!=" -> {
                    r.hist = lh;
                    r.keep = HistogramMath.sameValue(lh, rh) == op.equals("==");
                    return;
                }
                default -> { }
            }
        }
        ev.annotations.info("incompatible sample types encountered for binary operator \"" + op + "\": "
                + (lh == null ? "float" : "histogram") + " " + op + " " + (rh == null ? "float" : "histogram") + ev.ctx.position(b));
        r.valid = false;
    }

    /** The trim operators {@code </} and {@code >/}: histogram-only, they keep the metric name as comparisons do. */
    static boolean isTrim(String op) {
        return op.equals("</") || op.equals(">/");
    }

    /** Copies step i of s (float or histogram) into o. */
    static void copyPoint(StepSeries s, int i, StepSeries o) {
        FloatHistogram h = s.hist(i);
        if (h != null) o.setHistogram(i, h);
        else o.set(i, s.v[i]);
    }

    private static List<StepSeries> vectorScalar(Evaluator ev, BinaryExpr b, List<StepSeries> vec, double[] sc,
                                                 boolean scalarLeft) {
        String op = b.op();
        boolean cmp = BinaryExpr.isComparison(op);
        List<StepSeries> out = new ArrayList<>();
        Elem e = new Elem();
        for (StepSeries s : vec) {
            boolean drop = s.dropName || !(cmp || isTrim(op)) || b.returnBool();
            StepSeries o = new StepSeries(s.labels, ev.steps, drop);
            boolean any = false;
            for (int i = 0; i < ev.steps; i++) {
                if (!s.has[i]) continue;
                FloatHistogram h = s.hist(i);
                if (h != null) {
                    if (scalarLeft) elem(ev, b, sc[i], null, 0, h, e);
                    else elem(ev, b, 0, h, sc[i], null, e);
                    if (!e.valid) continue;
                    if (b.returnBool()) o.set(i, e.keep ? 1 : 0);
                    else if (!e.keep) continue;
                    else if (cmp) o.setHistogram(i, h);
                    else o.setHistogram(i, e.hist);
                    any = true;
                    continue;
                }
                if (isTrim(op)) {
                    elem(ev, b, 0, null, 0, null, e); // float </ float: the incompatible-types info, no result
                    continue;
                }
                double a = scalarLeft ? sc[i] : s.v[i];
                double c = scalarLeft ? s.v[i] : sc[i];
                if (cmp) {
                    boolean keep = compare(op, a, c);
                    if (b.returnBool()) o.set(i, keep ? 1 : 0);
                    else if (keep) o.set(i, s.v[i]);
                    else continue;
                } else {
                    o.set(i, apply(op, a, c));
                }
                any = true;
            }
            if (any) out.add(o);
        }
        return out;
    }

    private static Labels[] signatures(List<StepSeries> vec, VectorMatching m) {
        Labels[] sig = new Labels[vec.size()];
        for (int i = 0; i < sig.length; i++) {
            Labels l = vec.get(i).labels;
            sig[i] = LabelSets.project(l, m.matchingLabels(), m.on());
        }
        return sig;
    }

    private static List<StepSeries> and(Evaluator ev, VectorMatching m, List<StepSeries> lv, List<StepSeries> rv,
                                        boolean unless) {
        Labels[] ls = signatures(lv, m), rs = signatures(rv, m);
        List<StepSeries> out = new ArrayList<>();
        StepSeries[] os = new StepSeries[lv.size()];
        for (int i = 0; i < ev.steps; i++) {
            Set<Labels> right = new HashSet<>();
            for (int j = 0; j < rv.size(); j++) if (rv.get(j).has[i]) right.add(rs[j]);
            for (int j = 0; j < lv.size(); j++) {
                StepSeries s = lv.get(j);
                if (!s.has[i] || right.contains(ls[j]) == unless) continue;
                if (os[j] == null) os[j] = new StepSeries(s.labels, ev.steps, s.dropName);
                copyPoint(s, i, os[j]);
            }
        }
        for (StepSeries s : os) if (s != null) out.add(s);
        return out;
    }

    private static List<StepSeries> or(Evaluator ev, VectorMatching m, List<StepSeries> lv, List<StepSeries> rv) {
        Labels[] ls = signatures(lv, m), rs = signatures(rv, m);
        StepSeries[] ro = new StepSeries[rv.size()];
        for (int i = 0; i < ev.steps; i++) {
            Set<Labels> left = new HashSet<>();
            for (int j = 0; j < lv.size(); j++) if (lv.get(j).has[i]) left.add(ls[j]);
            for (int j = 0; j < rv.size(); j++) {
                StepSeries s = rv.get(j);
                if (!s.has[i] || left.contains(rs[j])) continue;
                if (ro[j] == null) ro[j] = new StepSeries(s.labels, ev.steps, s.dropName);
                copyPoint(s, i, ro[j]);
            }
        }
        List<StepSeries> out = new ArrayList<>(lv);
        for (StepSeries s : ro) if (s != null) out.add(s);
        return out;
    }

    private static List<StepSeries> vectorVector(Evaluator ev, BinaryExpr b, List<StepSeries> lhs,
                                                 List<StepSeries> rhs) {
        VectorMatching m = b.matching();
        String op = b.op();
        boolean cmp = BinaryExpr.isComparison(op);
        boolean swap = m.card() == VectorMatching.Card.ONE_TO_MANY;
        List<StepSeries> many = swap ? rhs : lhs;
        List<StepSeries> one = swap ? lhs : rhs;
        Labels[] manySig = signatures(many, m), oneSig = signatures(one, m);
        boolean dropByOp = !(cmp || isTrim(op)) || b.returnBool();
        boolean dropNow = !(cmp || isTrim(op)) || (b.returnBool() && !ev.delayedNames);
        Out out = new Out(ev.steps);
        Map<ResultKey, Labels> resultLabels = new HashMap<>();
        Elem e = new Elem();
        for (int i = 0; i < ev.steps; i++) {
            ev.ctx.checkDeadline();
            Map<Labels, Integer> right = new HashMap<>();
            for (int j = 0; j < one.size(); j++) {
                if (!one.get(j).has[i]) continue;
                Integer prev = right.putIfAbsent(oneSig[j], j);
                if (prev != null) {
                    Labels a = one.get(prev).labels, c = one.get(j).labels;
                    if (a.compareTo(c) > 0) { Labels t = a; a = c; c = t; }
                    throw QueryException.execution("found duplicate series for the match group "
                            + LabelSets.format(oneSig[j]) + " on the " + (swap ? "left" : "right")
                            + " hand-side of the operation: [" + LabelSets.format(a) + ", " + LabelSets.format(c)
                            + "];many-to-many matching not allowed: matching labels must be unique on one side");
                }
            }
            Set<Labels> matchedOne = new HashSet<>();
            Set<Labels> seenResults = new HashSet<>();
            boolean[] manyMatched = new boolean[many.size()];
            boolean[] oneMatched = new boolean[one.size()];
            for (int j = 0; j < many.size(); j++) {
                StepSeries ls = many.get(j);
                if (!ls.has[i]) continue;
                Integer ri = right.get(manySig[j]);
                double lval = ls.v[i];
                double rval;
                StepSeries rs = null;
                if (ri == null) {
                    Double fill = m.fillRight();
                    if (fill == null) continue;
                    rval = fill;
                } else {
                    rs = one.get(ri);
                    rval = rs.v[i];
                    oneMatched[ri] = true;
                }
                manyMatched[j] = true;
                if (m.card() == VectorMatching.Card.ONE_TO_ONE && rs != null && !matchedOne.add(manySig[j])) {
                    throw QueryException.execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
                double vl = swap ? rval : lval, vr = swap ? lval : rval;
                FloatHistogram lhist = ls.hist(i), rhist = rs == null ? null : rs.hist(i);
                FloatHistogram hl = swap ? rhist : lhist, hr = swap ? lhist : rhist;
                elem(ev, b, vl, hl, vr, hr, e);
                if (!e.valid) continue;
                double value;
                FloatHistogram hvalue = null;
                if (b.returnBool()) value = e.keep ? 1 : 0;
                else if (!e.keep) continue;
                else {
                    value = e.value;
                    hvalue = e.hist;
                }
                Labels metric = resultMetric(ls.labels, rs == null ? null : rs.labels, m, resultLabels);
                // Arithmetic drops the name at once in both modes, a bool comparison only when names are
                // not delayed (Prometheus's resultMetric), before the uniqueness check below.
                if (dropNow) metric = LabelSets.dropName(metric);
                if (m.card() != VectorMatching.Card.ONE_TO_ONE && !seenResults.add(metric)) {
                    throw QueryException.execution("multiple matches for labels: grouping labels must ensure unique matches");
                }
                if (hvalue != null) out.addHistogram(metric, dropByOp || ls.dropName, i, hvalue);
                else out.add(metric, dropByOp || ls.dropName, i, value);
            }
            Double fillOther = m.fillLeft();
            if (fillOther != null) {
                for (int j = 0; j < one.size(); j++) {
                    StepSeries rs = one.get(j);
                    if (!rs.has[i] || oneMatched[j]) continue;
                    boolean matchedAny = false;
                    for (int k = 0; k < many.size(); k++) {
                        if (many.get(k).has[i] && manySig[k].equals(oneSig[j])) matchedAny = true;
                    }
                    if (matchedAny) continue;
                    double lval = fillOther, rval = rs.v[i];
                    double vl = swap ? rval : lval, vr = swap ? lval : rval;
                    double value;
                    if (cmp) {
                        boolean keep = compare(op, vl, vr);
                        if (b.returnBool()) value = keep ? 1 : 0;
                        else if (keep) value = vl;
                        else continue;
                    } else {
                        value = apply(op, vl, vr);
                    }
                    Labels metric = fillMetric(rs.labels, m);
                    out.add(metric, true, i, value);
                }
            }
        }
        return out.series();
    }

    private record ResultKey(Labels many, Labels one) {}

    private static Labels resultMetric(Labels many, Labels one, VectorMatching m, Map<ResultKey, Labels> cache) {
        ResultKey key = new ResultKey(many, one);
        Labels cached = cache.get(key);
        if (cached != null) return cached;
        Labels.Builder b = many.toBuilder();
        if (m.card() == VectorMatching.Card.ONE_TO_ONE) {
            if (m.on()) {
                Labels.Builder k = new Labels.Builder();
                // Only the on(...) labels, so no name unless it is one of them (Prometheus 2 and 3 alike).
                for (String n : m.matchingLabels()) k.set(n, many.get(n));
                b = k;
            } else {
                for (String n : m.matchingLabels()) b.remove(n);
            }
        }
        if (one != null) {
            for (String n : m.include()) b.set(n, one.get(n));
        }
        Labels r = b.build();
        cache.put(key, r);
        return r;
    }

    /** Labels for a result made from an unmatched "one"-side series with a fill value. */
    private static Labels fillMetric(Labels one, VectorMatching m) {
        if (m.card() == VectorMatching.Card.ONE_TO_ONE) {
            Labels.Builder b = one.toBuilder();
            if (m.on()) {
                Labels.Builder k = new Labels.Builder();
                for (String n : m.matchingLabels()) k.set(n, one.get(n));
                return k.build();
            }
            for (String n : m.matchingLabels()) b.remove(n);
            return b.build();
        }
        return LabelSets.project(one, m.matchingLabels(), m.on());
    }
}
