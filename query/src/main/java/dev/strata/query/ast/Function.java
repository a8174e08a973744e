package dev.strata.query.ast;

import static dev.strata.query.ast.ValueType.MATRIX;
import static dev.strata.query.ast.ValueType.SCALAR;
import static dev.strata.query.ast.ValueType.STRING;
import static dev.strata.query.ast.ValueType.VECTOR;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PromQL function and its properties: the one table read by the parser (signature), the engine (name
 * keeping) and the distributed planner (whether it computes each series from that series alone).
 *
 * <p>{@code variadic} follows Prometheus: 0 = exactly the listed args; -1 = the last arg type repeats
 * without limit; n > 0 = up to n of the trailing args are optional. {@code keepsName}: the output series
 * keep their input's metric name (false = the name is dropped, or may be). {@code perSeries}: see
 * {@link PerSeries}.
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType,
                       boolean experimental, boolean keepsName, PerSeries perSeries) {

    /**
     * Whether a call computes each output series from one input series alone, so that an aggregation over
     * it can be evaluated shard by shard (a series lives in exactly one shard) and the partials merged.
     */
    public enum PerSeries {
        /** Not per series, or not known to be (the planner evaluates it over all shards at once). */
        NO,
        /** A function of one range vector ({@code rate}, {@code *_over_time}, ...): each series from its own window. */
        RANGE,
        /** Element-wise over its first argument, an instant vector; per series when the other arguments are number literals. */
        ELEMENTWISE
    }

    private static final Map<String, Function> ALL = new LinkedHashMap<>();

    private static void def(String name, ValueType ret, int variadic, ValueType... args) {
        ALL.put(name, new Function(name, List.of(args), variadic, ret, false, false, PerSeries.NO));
    }

    private static void exp(String name, ValueType ret, int variadic, ValueType... args) {
        ALL.put(name, new Function(name, List.of(args), variadic, ret, true, false, PerSeries.NO));
    }

    private static void perSeries(PerSeries kind, String... names) {
        for (String n : names) {
            Function f = ALL.get(n);
            ALL.put(n, new Function(n, f.argTypes, f.variadic, f.returnType, f.experimental, f.keepsName, kind));
        }
    }

    private static void keepsName(String... names) {
        for (String n : names) {
            Function f = ALL.get(n);
            ALL.put(n, new Function(n, f.argTypes, f.variadic, f.returnType, f.experimental, true, f.perSeries));
        }
    }

    static {
        for (String f : List.of("abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sqrt", "sgn", "deg", "rad",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar",
                "timestamp", "absent", "sort", "sort_desc")) {
            def(f, VECTOR, 0, VECTOR);
        }
        for (String f : List.of("avg_over_time", "count_over_time", "last_over_time", "max_over_time",
                "min_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time", "sum_over_time",
                "absent_over_time", "changes", "resets", "delta", "deriv", "idelta", "increase", "irate", "rate")) {
            def(f, VECTOR, 0, MATRIX);
        }
        for (String f : List.of("mad_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
                "ts_of_last_over_time", "first_over_time", "ts_of_first_over_time")) {
            exp(f, VECTOR, 0, MATRIX);
        }
        for (String f : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year")) {
            def(f, VECTOR, 1, VECTOR);
        }
        def("clamp", VECTOR, 0, VECTOR, SCALAR, SCALAR);
        def("clamp_max", VECTOR, 0, VECTOR, SCALAR);
        def("clamp_min", VECTOR, 0, VECTOR, SCALAR);
        def("round", VECTOR, 1, VECTOR, SCALAR);
        def("histogram_fraction", VECTOR, 0, SCALAR, SCALAR, VECTOR);
        def("histogram_quantile", VECTOR, 0, SCALAR, VECTOR);
        exp("histogram_quantiles", VECTOR, -1, VECTOR, STRING, SCALAR);
        exp("double_exponential_smoothing", VECTOR, 0, MATRIX, SCALAR, SCALAR);
        // Prometheus 2.x's name of double_exponential_smoothing; Prometheus 3.0 removed it ("unknown function").
        // Strata keeps it so 2.x dashboards work; the engine adds an info annotation naming the new function.
        def("holt_winters", VECTOR, 0, MATRIX, SCALAR, SCALAR);
        exp("info", VECTOR, 1, VECTOR, VECTOR);
        def("label_replace", VECTOR, 0, VECTOR, STRING, STRING, STRING, STRING);
        def("label_join", VECTOR, -1, VECTOR, STRING, STRING, STRING);
        def("pi", SCALAR, 0);
        def("predict_linear", VECTOR, 0, MATRIX, SCALAR);
        def("quantile_over_time", VECTOR, 0, SCALAR, MATRIX);
        def("scalar", SCALAR, 0, VECTOR);
        exp("sort_by_label", VECTOR, -1, VECTOR, STRING);
        exp("sort_by_label_desc", VECTOR, -1, VECTOR, STRING);
        def("time", SCALAR, 0);
        def("vector", VECTOR, 0, SCALAR);
        exp("start_timestamp", VECTOR, 0, VECTOR);
        exp("step", SCALAR, 0);
        exp("range", SCALAR, 0);
        exp("start", SCALAR, 0);
        exp("end", SCALAR, 0);
        exp("min_of", SCALAR, 0, SCALAR, SCALAR);
        exp("max_of", SCALAR, 0, SCALAR, SCALAR);

        // Rollups that return one of the window's own samples keep the series' name.
        keepsName("last_over_time", "first_over_time");
        perSeries(PerSeries.RANGE, "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
                "sum_over_time", "count_over_time", "min_over_time", "max_over_time", "avg_over_time",
                "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time");
        perSeries(PerSeries.ELEMENTWISE, "abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sqrt", "sgn", "deg",
                "rad", "clamp", "clamp_min", "clamp_max", "round");
    }

    /** The function named {@code name}, or null. */
    public static Function get(String name) {
        return ALL.get(name);
    }

    public static Map<String, Function> all() {
        return Collections.unmodifiableMap(ALL);
    }
}
