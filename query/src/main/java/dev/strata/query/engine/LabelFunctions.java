package dev.strata.query.engine;

import dev.strata.query.ast.Call;
import dev.strata.query.ast.StringLiteral;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/** label_replace, label_join and the sort family. */
final class LabelFunctions {
    private LabelFunctions() {}

    private static String str(Evaluator ev, Call c, int i) {
        return (String) ev.eval(c.args().get(i));
    }

    static boolean validLabelName(String n) {
        if (n.isEmpty()) return false;
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (Character.isSurrogate(ch) && !(Character.isHighSurrogate(ch) && i + 1 < n.length()
                    && Character.isLowSurrogate(n.charAt(i + 1)))) {
                return false;
            }
        }
        return true;
    }

    static Object labelReplace(Evaluator ev, Call c) {
        String dst = str(ev, c, 1), repl = str(ev, c, 2), src = str(ev, c, 3), regex = str(ev, c, 4);
        Pattern p;
        try {
            p = Pattern.compile("^(?:" + regex + ")$", Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw QueryException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!validLabelName(dst)) throw QueryException.execution("invalid destination label name in label_replace(): " + dst);
        List<StepSeries> in = ev.evalVector(c.args().get(0));
        Out out = new Out(ev.steps);
        for (StepSeries s : in) {
            ev.ctx.checkDeadline();
            Matcher m = p.matcher(s.labels.get(src));
            Labels l = s.labels;
            boolean drop = s.dropName;
            if (m.matches()) {
                String v = expand(m, repl);
                l = s.labels.with(dst, v);
                if (dst.equals(Labels.METRIC_NAME)) drop = false;
            }
            for (int i = 0; i < ev.steps; i++) if (s.has[i]) addChecked(out, l, drop, i, s.v[i]);
        }
        return out.series();
    }

    private static void addChecked(Out out, Labels l, boolean drop, int step, double v) {
        out.add(l, drop, step, v);
    }

    /** Go regexp Expand: $1, ${1}, $name, ${name}, $$. Unknown groups expand to "". */
    static String expand(Matcher m, String template) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch != '$' || i + 1 >= template.length()) {
                sb.append(ch);
                i++;
                continue;
            }
            char n = template.charAt(i + 1);
            if (n == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name;
            int next;
            if (n == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    sb.append(ch);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                next = close + 1;
            } else {
                int j = i + 1;
                while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) j++;
                if (j == i + 1) {
                    sb.append(ch);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                next = j;
            }
            if (name.isEmpty()) {
                sb.append(ch);
                i++;
                continue;
            }
            String val = "";
            if (name.chars().allMatch(Character::isDigit)) {
                int g = Integer.parseInt(name.length() > 9 ? "999999999" : name);
                if (g <= m.groupCount() && m.group(g) != null) val = m.group(g);
            } else {
                try {
                    String gv = m.group(name);
                    if (gv != null) val = gv;
                } catch (IllegalArgumentException e) {
                    val = "";
                }
            }
            sb.append(val);
            i = next;
        }
        return sb.toString();
    }

    static Object labelJoin(Evaluator ev, Call c) {
        String dst = str(ev, c, 1), sep = str(ev, c, 2);
        List<String> srcs = new ArrayList<>();
        for (int k = 3; k < c.args().size(); k++) {
            String s = str(ev, c, k);
            if (!validLabelName(s)) throw QueryException.execution("invalid source label name in label_join(): " + s);
            srcs.add(s);
        }
        if (!validLabelName(dst)) throw QueryException.execution("invalid destination label name in label_join(): " + dst);
        List<StepSeries> in = ev.evalVector(c.args().get(0));
        Out out = new Out(ev.steps);
        for (StepSeries s : in) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < srcs.size(); k++) {
                if (k > 0) sb.append(sep);
                sb.append(s.labels.get(srcs.get(k)));
            }
            Labels l = s.labels.with(dst, sb.toString());
            boolean drop = s.dropName && !dst.equals(Labels.METRIC_NAME);
            for (int i = 0; i < ev.steps; i++) if (s.has[i]) out.add(l, drop, i, s.v[i]);
        }
        return out.series();
    }

    static Object sort(Evaluator ev, Call c) {
        String name = c.function().name();
        List<String> byLabels = new ArrayList<>();
        for (int k = 1; k < c.args().size(); k++) byLabels.add(((StringLiteral) unwrapString(c, k)).value());
        List<StepSeries> in = new ArrayList<>(ev.evalVector(c.args().get(0)));
        if (name.equals("sort") || name.equals("sort_desc")) in = floatsOnly(ev, in);
        if (ev.steps > 1 || ev.ctx.rangeQuery) {
            ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels"
                    + ev.ctx.position(c));
        }
        if (ev.steps != 1) return in;
        Comparator<StepSeries> cmp;
        switch (name) {
            case "sort" -> cmp = (a, b) -> byValue(a.v[0], b.v[0], false);
            case "sort_desc" -> cmp = (a, b) -> byValue(a.v[0], b.v[0], true);
            default -> {
                boolean desc = name.endsWith("_desc");
                cmp = (a, b) -> {
                    for (String l : byLabels) {
                        int r = naturalCompare(a.labels.get(l), b.labels.get(l));
                        if (r != 0) return desc ? -r : r;
                    }
                    int r = a.labels.compareTo(b.labels);
                    return desc ? -r : r;
                };
            }
        }
        in.sort(cmp);
        return in;
    }

    /** The series without their histogram samples (sorting by value ignores histograms, as Prometheus's sort does). */
    private static List<StepSeries> floatsOnly(Evaluator ev, List<StepSeries> in) {
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            if (s.h == null) {
                out.add(s);
                continue;
            }
            StepSeries o = new StepSeries(s.labels, ev.steps, s.dropName);
            for (int i = 0; i < ev.steps; i++) if (s.hasFloat(i)) o.set(i, s.v[i]);
            if (o.count() > 0) out.add(o);
        }
        return out;
    }

    private static dev.strata.query.ast.Expr unwrapString(Call c, int k) {
        dev.strata.query.ast.Expr e = c.args().get(k);
        while (e instanceof dev.strata.query.ast.ParenExpr p) e = p.expr();
        return e;
    }

    /** Ascending (or descending) by value with NaN last in both directions. */
    private static int byValue(double a, double b, boolean desc) {
        if (Double.isNaN(a)) return Double.isNaN(b) ? 0 : 1;
        if (Double.isNaN(b)) return -1;
        return desc ? Double.compare(b, a) : Double.compare(a, b);
    }

    /** Natural order: digit runs compare numerically. */
    static int naturalCompare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i), cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i, sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", ""), nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                if (na.length() != nb.length()) return Integer.compare(na.length(), nb.length());
                int r = na.compareTo(nb);
                if (r != 0) return r;
            } else {
                if (ca != cb) return Character.compare(ca, cb);
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
