package dev.strata.query.promqltest;

import dev.strata.index.Matcher;
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
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.Sample;
import dev.strata.query.engine.Scalar;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.query.engine.StringValue;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.ParseException;
import dev.strata.query.parser.Parser;
import dev.strata.store.model.Labels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs Prometheus's PromQL test scripts through the parser, engine and a {@link TestStorage}, judging
 * as Prometheus's harness does: each instant eval is also re-run with {@code @} pinned at several
 * evaluation times and as a range query around its time. Evals touching native histograms are skipped
 * and counted.
 */
public final class PromqlTestRunner {
    /**
     * The harness's engine settings: lookback 5m, max 10,000 samples, subquery step 1m, delayed name
     * removal and start timestamps on, as Prometheus's test engine always runs the scripts (they expect it).
     */
    public static final QueryOptions OPTIONS = new QueryOptions(5 * 60_000, 10_000, 60_000, 60_000)
            .withDelayedNameRemoval(true).withUseStartTimestamps(true);

    private static final Set<String> TIME_DEPENDENT = Set.of("days_in_month", "day_of_month", "day_of_week",
            "day_of_year", "hour", "minute", "month", "year", "time", "timestamp", "predict_linear");

    private final Supplier<TestStorage> storageFactory;
    private final boolean verbose;
    private final PrintStream out;

    public PromqlTestRunner(Supplier<TestStorage> storageFactory, boolean verbose, PrintStream out) {
        this.storageFactory = storageFactory;
        this.verbose = verbose;
        this.out = out;
    }

    /**
     * Runs every .test file of dir through the real in-memory store (MemShard + ShardIndex); prints
     * per-file lines and the total. -Dpromqltest.verbose=true prints every failing eval.
     */
    public static Summary run(Path dir, PrintStream out) {
        return new PromqlTestRunner(LocalShardsTestStorage::new, Boolean.getBoolean("promqltest.verbose"), out).runDir(dir);
    }

    public Summary runDir(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".test")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        Summary total = new Summary(0, 0, 0);
        for (Path f : files) {
            Summary s = runFile(f);
            out.println(f.getFileName() + ": " + s);
            total = total.plus(s);
        }
        out.println("promqltest: " + total);
        return total;
    }

    public Summary runFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Script.Command> cmds = Script.parse(lines);
        TestStorage storage = storageFactory.get();
        Engine engine = new Engine(storage.queryable(), OPTIONS);
        List<Labels> histogramSeries = new ArrayList<>();
        int passed = 0, failed = 0, skipped = 0;
        for (Script.Command c : cmds) {
            if (c instanceof Script.Clear) {
                storage.clear();
                histogramSeries.clear();
            } else if (c instanceof Script.Load l) {
                load(storage, l, histogramSeries);
            } else if (c instanceof Script.Eval e) {
                if (e.hasHistograms() || usesHistogramOperators(e.expr()) || touchesHistograms(e.expr(), histogramSeries)) {
                    skipped++;
                    continue;
                }
                String err;
                try {
                    err = e.range() ? runRange(engine, e) : runInstant(engine, e);
                } catch (RuntimeException ex) {
                    err = "runner error: " + ex;
                }
                if (err == null) {
                    passed++;
                } else {
                    failed++;
                    if (verbose) out.println("FAIL " + file.getFileName() + ":" + e.line() + ": " + e.expr() + "\n    " + err);
                }
            }
        }
        return new Summary(passed, failed, skipped);
    }

    private static void load(TestStorage storage, Script.Load l, List<Labels> histogramSeries) {
        // A later line for the same series and time overrides an earlier one (as in Prometheus's
        // harness); the store keeps the first write, so resolve duplicates before appending.
        Map<Labels, java.util.TreeMap<Long, Double>> samples = new java.util.LinkedHashMap<>();
        // "name@st" lines: each sample's start timestamp as an offset from the sample's time.
        Map<Labels, Map<Long, Long>> starts = new HashMap<>();
        for (SeriesSpec s : l.series()) {
            if (s.startTimestamps()) {
                Map<Long, Long> st = starts.computeIfAbsent(s.labels(), k -> new HashMap<>());
                List<Long> offsets = SeriesSpec.expandOffsets(s.valuesText());
                for (int i = 0; i < offsets.size(); i++) {
                    if (offsets.get(i) == null) continue;
                    long t = i * l.stepMs();
                    st.put(t, t + offsets.get(i));
                }
                continue;
            }
            List<SeriesSpec.Point> pts = SeriesSpec.expand(s.valuesText());
            boolean hist = false;
            for (int i = 0; i < pts.size(); i++) {
                SeriesSpec.Point p = pts.get(i);
                if (p.missing()) continue;
                if (p.histogram()) {
                    hist = true;
                    continue;
                }
                samples.computeIfAbsent(s.labels(), k -> new java.util.TreeMap<>()).put(i * l.stepMs(), p.value());
            }
            if (hist) histogramSeries.add(s.labels());
            if (l.withNhcb()) addNhcbNames(s, histogramSeries);
        }
        samples.forEach((labels, points) -> {
            Map<Long, Long> st = starts.getOrDefault(labels, Map.of());
            points.forEach((t, v) -> storage.append(labels, t, st.getOrDefault(t, 0L), v));
        });
    }

    /** load_with_nhcb also makes native histograms named without the classic suffixes. */
    private static void addNhcbNames(SeriesSpec s, List<Labels> histogramSeries) {
        String name = s.labels().get(Labels.METRIC_NAME);
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (name.endsWith(suffix)) {
                histogramSeries.add(s.labels().with(Labels.METRIC_NAME, name.substring(0, name.length() - suffix.length()))
                        .without("le"));
            }
        }
    }

    /** The trim operators {@code </} and {@code >/} exist only for native histograms. */
    private static boolean usesHistogramOperators(String expr) {
        return expr.contains("</") || expr.contains(">/");
    }

    private static boolean touchesHistograms(String expr, List<Labels> hist) {
        if (hist.isEmpty()) return false;
        Expr e;
        try {
            e = Parser.parse(expr);
        } catch (ParseException ex) {
            return false;
        }
        List<VectorSelector> sels = new ArrayList<>();
        collectSelectors(e, sels);
        for (VectorSelector vs : sels) {
            for (Labels l : hist) {
                boolean all = true;
                for (Matcher m : vs.matchers()) {
                    if (!m.matches(l.get(m.name()))) {
                        all = false;
                        break;
                    }
                }
                if (all) return true;
            }
        }
        return false;
    }

    private static void collectSelectors(Expr e, List<VectorSelector> out) {
        ExprWalker.inspect(e, x -> {
            if (x instanceof VectorSelector vs) out.add(vs);
            return true;
        });
    }

    // ---- instant evals ----

    private record Run(Expr expr, String text, long time) {}

    private String runInstant(Engine engine, Script.Eval e) {
        boolean expectFail = e.expects("fail");
        Expr parsed;
        try {
            parsed = Parser.parse(e.expr());
        } catch (ParseException ex) {
            return expectFail ? checkFailure(e, ex.getMessage()) : "unexpected parse error: " + ex.getMessage();
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

    private String runInstantOnce(Engine engine, Script.Eval e, Run r, boolean expectFail) {
        QueryResult res;
        try {
            res = engine.instantQuery(r.text(), r.time(), OPTIONS);
        } catch (ParseException | QueryException ex) {
            return expectFail ? checkFailure(e, ex.getMessage()) : "unexpected error: " + ex.getMessage();
        }
        if (expectFail) return "expected error but got none";
        String annErr = checkAnnotations(e, res);
        if (annErr != null) return annErr;
        String cmp = compareInstant(e, res.value());
        if (cmp != null) return cmp;
        // Range mode: [t-1m, t+1m] step 1m; the middle point must match.
        if (e.expects("ordered") || e.string() != null || e.rangeVector() || usesQueryTimeFunctions(e.expr())) {
            return null;
        }
        QueryResult rr;
        try {
            rr = engine.rangeQuery(r.text(), r.time() - 60_000, r.time() + 60_000, 60_000, OPTIONS);
        } catch (ParseException | QueryException ex) {
            return "error in range mode: " + ex.getMessage();
        }
        Matrix m = (Matrix) rr.value();
        List<Sample> vec = new ArrayList<>();
        for (SeriesPoints sp : m.series()) {
            for (int i = 0; i < sp.size(); i++) {
                if (sp.timestamps()[i] == r.time()) {
                    vec.add(new Sample(sp.metric(), r.time(), sp.values()[i]));
                    break;
                }
            }
        }
        Value asInstant = res.value() instanceof Scalar ? new Scalar(r.time(), vec.isEmpty() ? Double.NaN : vec.get(0).value())
                : new Vector(vec);
        String c2 = compareInstant(e, asInstant);
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

    private static String checkFailure(Script.Eval e, String message) {
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

    private static String checkAnnotations(Script.Eval e, QueryResult res) {
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

    private static String compareInstant(Script.Eval e, Value v) {
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
            double got = vec.samples().get(at).value();
            if (!FloatCompare.equal(pts.get(0).value(), got)) {
                return "series " + s.labels() + ": expected " + pts.get(0).value() + ", got " + got;
            }
            if (e.expects("ordered") && at != i) return "expected " + s.labels() + " at position " + i + ", got " + at;
        }
        return null;
    }

    private static String describe(Value v) {
        if (v instanceof Vector vec) {
            StringBuilder sb = new StringBuilder("[");
            for (Sample s : vec.samples()) sb.append(s.metric()).append(" ").append(s.value()).append("; ");
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

    private static String compareMatrix(Script.Eval e, Matrix m, long from, long step) {
        Map<Labels, SeriesPoints> got = new HashMap<>();
        for (SeriesPoints sp : m.series()) got.put(sp.metric(), sp);
        Set<Labels> expected = new HashSet<>();
        for (SeriesSpec s : e.results()) {
            List<SeriesSpec.Point> pts = SeriesSpec.expand(s.valuesText());
            List<long[]> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            for (int i = 0; i < pts.size(); i++) {
                if (pts.get(i).missing()) continue;
                ts.add(new long[] {from + i * step});
                vs.add(pts.get(i).value());
            }
            if (ts.isEmpty()) continue;
            expected.add(s.labels());
            SeriesPoints sp = got.get(s.labels());
            if (sp == null) return "expected series " + s.labels() + " not in result " + describe(m);
            if (sp.size() != ts.size()) {
                return "series " + s.labels() + ": expected " + ts.size() + " points, got " + sp.size() + ": " + describe(m);
            }
            for (int i = 0; i < ts.size(); i++) {
                if (sp.timestamps()[i] != ts.get(i)[0] || !FloatCompare.equal(vs.get(i), sp.values()[i])) {
                    return "series " + s.labels() + ": expected " + vs.get(i) + "@" + ts.get(i)[0] + ", got "
                            + sp.values()[i] + "@" + sp.timestamps()[i];
                }
            }
        }
        for (Labels l : got.keySet()) {
            if (!expected.contains(l)) return "unexpected series " + l + " in result " + describe(m);
        }
        return null;
    }

    // ---- range evals ----

    private String runRange(Engine engine, Script.Eval e) {
        boolean expectFail = e.expects("fail");
        QueryResult res;
        try {
            res = engine.rangeQuery(e.expr(), e.start(), e.end(), e.step(), OPTIONS);
        } catch (ParseException | QueryException ex) {
            return expectFail ? checkFailure(e, ex.getMessage()) : "unexpected error: " + ex.getMessage();
        }
        if (expectFail) return "expected error but got none";
        String annErr = checkAnnotations(e, res);
        if (annErr != null) return annErr;
        return compareMatrix(e, (Matrix) res.value(), e.start(), e.step());
    }

    /** Command line: {@code PromqlTestRunner DIR [-v]}; exit status 1 when any eval failed. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: promqltest DIR [-v]");
            System.exit(2);
        }
        boolean v = args.length > 1 && args[1].equals("-v");
        Supplier<TestStorage> storage = "memory".equals(System.getProperty("promqltest.storage"))
                ? InMemoryTestStorage::new : LocalShardsTestStorage::new;
        Summary s = new PromqlTestRunner(storage, v, System.out).runDir(Path.of(args[0]));
        System.exit(s.failed() > 0 ? 1 : 0);
    }
}
