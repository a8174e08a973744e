package dev.strata.query.promqltest;

import dev.strata.query.ast.AggregateExpr;
import dev.strata.query.ast.AtModifier;
import dev.strata.query.ast.BinaryExpr;
import dev.strata.query.ast.Call;
import dev.strata.query.ast.Expr;
import dev.strata.query.ast.ExprWalker;
import dev.strata.query.ast.MatrixSelector;
import dev.strata.query.ast.ParenExpr;
import dev.strata.query.ast.SubqueryExpr;
import dev.strata.query.ast.UnaryExpr;
import dev.strata.query.ast.VectorSelector;
import dev.strata.query.engine.Engine;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.Scalar;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.ParseException;
import dev.strata.query.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs one {@code eval} command as Prometheus's harness does: an instant eval also re-runs with {@code @}
 * pinned at several evaluation times and as a range query around its time; a range eval runs once.
 * Answers null when the eval passes, else what differed.
 */
final class EvalRunner {
    private EvalRunner() {}

    private static final Set<String> TIME_DEPENDENT = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "time", "timestamp", "predict_linear");

    private record Run(Expr expr, String text, long time) {}

    static String runInstant(Engine engine, Script.Eval e) {
        boolean expectFail = e.expects("fail");
        Expr parsed;
        try {
            parsed = Parser.parse(e.expr());
        } catch (ParseException ex) {
            return expectFail ? ResultCompare.checkFailure(e, ex.getMessage()) : "unexpected parse error: " + ex.getMessage();
        }
        List<Run> runs = new ArrayList<>();
        runs.add(new Run(null, e.expr(), e.start()));
        if (!timeDependent(parsed, e.expr())) {
            Expr pinned = pin(parsed, AtModifier.at(e.start()));
            long ts = e.start();
            long[] times = ts == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * ts, 0, ts / 5, ts, 10 * ts};
            for (long t : times) runs.add(new Run(pinned, pinned.toString(), t));
        }
        for (Run r : runs) {
            String err = runInstantOnce(engine, e, r, expectFail);
            if (err != null) return (r.expr() == null ? "" : "[@-pinned at " + r.time() + "ms: " + r.text() + "] ") + err;
        }
        return null;
    }

    private static String runInstantOnce(Engine engine, Script.Eval e, Run r, boolean expectFail) {
        QueryResult res;
        try {
            res = engine.instantQuery(r.text(), r.time(), PromqlTestRunner.OPTIONS);
        } catch (ParseException | QueryException ex) {
            return expectFail ? ResultCompare.checkFailure(e, ex.getMessage()) : "unexpected error: " + ex.getMessage();
        }
        if (expectFail) return "expected error but got none";
        String annErr = ResultCompare.checkAnnotations(e, res);
        if (annErr != null) return annErr;
        String cmp = ResultCompare.compareInstant(e, res.value());
        if (cmp != null) return cmp;
        // Range mode: [t-1m, t+1m] step 1m; the middle point must match.
        if (e.expects("ordered") || e.string() != null || e.rangeVector() || usesQueryTimeFunctions(e.expr())) {
            return null;
        }
        QueryResult rr;
        try {
            rr = engine.rangeQuery(r.text(), r.time() - 60_000, r.time() + 60_000, 60_000, PromqlTestRunner.OPTIONS);
        } catch (ParseException | QueryException ex) {
            return "error in range mode: " + ex.getMessage();
        }
        Matrix m = (Matrix) rr.value();
        List<Sample> vec = new ArrayList<>();
        for (SeriesPoints sp : m.series()) {
            for (int i = 0; i < sp.size(); i++) {
                if (sp.timestamps()[i] == r.time()) {
                    vec.add(new Sample(sp.metric(), r.time(), sp.values()[i], sp.histogram(i)));
                    break;
                }
            }
        }
        Value asInstant = res.value() instanceof Scalar ? new Scalar(r.time(), vec.isEmpty() ? Double.NaN : vec.get(0).value())
                : new Vector(vec);
        String c2 = ResultCompare.compareInstant(e, asInstant);
        return c2 == null ? null : "in range mode: " + c2;
    }

    private static boolean usesQueryTimeFunctions(String expr) {
        String l = expr.toLowerCase(Locale.ROOT).replace(" ", "");
        return l.contains("start()") || l.contains("end()") || l.contains("range()") || l.contains("step()");
    }

    private static boolean timeDependent(Expr e, String text) {
        if (usesQueryTimeFunctions(text)) return true;
        boolean[] found = {false};
        ExprWalker.inspect(e, x -> {
            if (x instanceof Call c && TIME_DEPENDENT.contains(c.function().name())) found[0] = true;
            return !found[0];
        });
        return found[0];
    }

    /**
     * Sets {@code @ t} on every selector and subquery that has none; subquery insides stay untouched.
     * A rewrite that rebuilds each node type differently, so it switches on the type itself rather than
     * using {@link ExprWalker}.
     */
    static Expr pin(Expr e, AtModifier at) {
        if (e instanceof VectorSelector vs) return vs.at() == null ? vs.withAt(at) : vs;
        if (e instanceof MatrixSelector ms) {
            return ms.selector().at() == null ? new MatrixSelector(ms.selector().withAt(at), ms.range()) : ms;
        }
        if (e instanceof SubqueryExpr sq) return sq.at() == null ? sq.withAt(at) : sq;
        if (e instanceof ParenExpr p) return new ParenExpr(pin(p.expr(), at));
        if (e instanceof UnaryExpr u) return new UnaryExpr(u.op(), pin(u.expr(), at));
        if (e instanceof BinaryExpr b) {
            return new BinaryExpr(b.op(), pin(b.lhs(), at), pin(b.rhs(), at), b.matching(), b.returnBool(),
                    b.explicitMatching());
        }
        if (e instanceof AggregateExpr a) {
            return new AggregateExpr(a.op(), pin(a.expr(), at), a.param() == null ? null : pin(a.param(), at),
                    a.grouping(), a.without(), a.hasGrouping());
        }
        if (e instanceof Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr x : c.args()) args.add(pin(x, at));
            return new Call(c.function(), args);
        }
        return e;
    }

    static String runRange(Engine engine, Script.Eval e) {
        boolean expectFail = e.expects("fail");
        QueryResult res;
        try {
            res = engine.rangeQuery(e.expr(), e.start(), e.end(), e.step(), PromqlTestRunner.OPTIONS);
        } catch (ParseException | QueryException ex) {
            return expectFail ? ResultCompare.checkFailure(e, ex.getMessage()) : "unexpected error: " + ex.getMessage();
        }
        if (expectFail) return "expected error but got none";
        String annErr = ResultCompare.checkAnnotations(e, res);
        if (annErr != null) return annErr;
        return ResultCompare.compareMatrix(e, (Matrix) res.value(), e.start(), e.step());
    }
}
