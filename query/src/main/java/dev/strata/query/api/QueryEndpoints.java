package dev.strata.query.api;

import dev.strata.query.ast.Expr;
import dev.strata.query.ast.Prettier;
import dev.strata.query.ast.ValueType;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.QueryException;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.engine.QueryResult;
import dev.strata.query.engine.Value;
import dev.strata.query.engine.Vector;
import dev.strata.query.parser.ParseException;
import dev.strata.query.parser.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code /api/v1/query}, {@code /api/v1/query_range} and {@code /api/v1/format_query}: parameters
 * checked in Prometheus's order with its messages, then the engine, then the result with
 * {@code limit} truncation, annotations and optional stats.
 */
final class QueryEndpoints {
    /** Prometheus's cap on points per series of a range query (60 s steps for a week). */
    static final long MAX_POINTS_PER_SERIES = 11_000;

    private final QueryEvaluator evaluator;
    private final QueryOptions defaults;
    private final LongSupplier clockMs;

    QueryEndpoints(QueryEvaluator evaluator, QueryOptions defaults, LongSupplier clockMs) {
        this.evaluator = evaluator;
        this.defaults = defaults;
        this.clockMs = clockMs;
    }

    ApiResult instant(ApiRequest r) {
        FormValues f = r.form();
        long limit = RequestParams.limit(f);
        long time = RequestParams.optionalTime(f, "time", clockMs.getAsLong());
        QueryOptions opts = options(f, r.receivedNanos());
        String query = f.first("query");
        try {
            Parser.parse(query);
        } catch (ParseException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        }
        long started = System.nanoTime();
        QueryResult res = run(() -> evaluator.instant(query, time, opts));
        return answer(r, f, res, limit, started);
    }

    ApiResult range(ApiRequest r) {
        FormValues f = r.form();
        long limit = RequestParams.limit(f);
        long start = RequestParams.requiredTime(f, "start");
        long end = RequestParams.requiredTime(f, "end");
        if (end < start) throw ApiException.invalidParam("end", "end timestamp must not be before start time");
        long stepNanos = RequestParams.durationNanos(f, "step");
        if (stepNanos <= 0) {
            throw ApiException.invalidParam("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (rangeNanos(start, end) / stepNanos > MAX_POINTS_PER_SERIES) {
            throw ApiException.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        QueryOptions opts = options(f, r.receivedNanos());
        String query = f.first("query");
        Expr expr;
        try {
            expr = Parser.parse(query);
        } catch (ParseException e) {
            throw ApiException.badData(e.getMessage());
        }
        if (expr.type() != ValueType.VECTOR && expr.type() != ValueType.SCALAR) {
            throw ApiException.badData("invalid expression type \"" + expr.type().display()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        // The engine works in milliseconds; Prometheus truncates the step the same way.
        long stepMs = stepNanos / 1_000_000;
        if (stepMs <= 0) stepMs = 1;
        long step = stepMs;
        long started = System.nanoTime();
        // The results cache is bypassed for stats (they describe this query's own work) and on request,
        // as Mimir does: nocache=1 (or true) or Cache-Control: no-cache.
        String nocache = f.first("nocache");
        boolean useCache = f.first("stats").isEmpty() && !r.noCacheHeader()
                && !nocache.equals("1") && !nocache.equalsIgnoreCase("true");
        QueryResult res = run(() -> evaluator.range(query, start, end, step, opts, useCache));
        return answer(r, f, res, limit, started);
    }

    /**
     * {@code /api/v1/query_exemplars}: parameters checked as Prometheus does; Strata stores no
     * exemplars, so every valid request is answered with an empty list.
     */
    ApiResult exemplars(ApiRequest r) {
        FormValues f = r.form();
        long start = RequestParams.optionalTime(f, "start", ParamParsers.MIN_TIME_MS);
        long end = RequestParams.optionalTime(f, "end", ParamParsers.MAX_TIME_MS);
        if (end < start) throw ApiException.badData("end timestamp must not be before start timestamp");
        try {
            Parser.parse(f.first("query"));
        } catch (ParseException e) {
            throw ApiException.badData(e.getMessage());
        }
        return ApiResult.of(w -> w.raw("[]"));
    }

    ApiResult formatQuery(ApiRequest r) {
        Expr expr;
        try {
            expr = Parser.parse(r.form().first("query"));
        } catch (ParseException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        }
        String text = Prettier.pretty(expr);
        return ApiResult.of(w -> w.string(text));
    }

    /** Go's {@code end.Sub(start)}: nanoseconds, saturating at the int64 range. */
    static long rangeNanos(long startMs, long endMs) {
        long diff;
        try {
            diff = Math.subtractExact(endMs, startMs);
            return Math.multiplyExact(diff, 1_000_000L);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The request's {@code timeout} (can only shorten the configured one), {@code lookback_delta} and
     * {@code partial_response}. As in Prometheus, the time a request waited for the executor counts
     * against its timeout.
     */
    private QueryOptions options(FormValues f, long receivedNanos) {
        QueryOptions o = defaults;
        long budgetNanos = o.timeoutMs() > 0 ? o.timeoutMs() * 1_000_000L : Long.MAX_VALUE;
        String to = f.first("timeout");
        if (!to.isEmpty()) budgetNanos = Math.min(budgetNanos, RequestParams.durationNanos(f, "timeout"));
        if (budgetNanos != Long.MAX_VALUE) {
            long left = budgetNanos - (System.nanoTime() - receivedNanos);
            if (left <= 0) {
                // The deadline passed before the query could start.
                throw new ApiException(ErrorType.TIMEOUT, "query timed out in query queue");
            }
            o = o.withTimeoutMs(Math.max(1, (left + 999_999) / 1_000_000));
        }
        String lb = f.first("lookback_delta");
        if (!lb.isEmpty()) {
            long ns;
            try {
                ns = ParamParsers.parseDurationNanos(lb);
            } catch (IllegalArgumentException e) {
                throw ApiException.badData("error parsing lookback delta duration: " + e.getMessage());
            }
            long ms = ns / 1_000_000;
            if (ms > 0) o = o.withLookbackDeltaMs(ms);
        }
        String partial = f.first("partial_response");
        if (!partial.isEmpty()) {
            if (!partial.equals("true") && !partial.equals("false")) {
                throw ApiException.badData("invalid parameter \"partial_response\": expected true or false, got \"" + partial + "\"");
            }
            o = o.withPartialResponse(partial.equals("true"));
        }
        return o;
    }

    private interface Call {
        QueryResult get();
    }

    private static QueryResult run(Call c) {
        try {
            return c.get();
        } catch (QueryException e) {
            throw new ApiException(errorType(e.errorType()), e.getMessage(), e);
        } catch (ParseException e) {
            throw ApiException.badData(e.getMessage());
        }
    }

    static ErrorType errorType(String engineType) {
        return switch (engineType) {
            case "timeout" -> ErrorType.TIMEOUT;
            case "canceled" -> ErrorType.CANCELED;
            case "bad_data" -> ErrorType.BAD_DATA;
            case "internal" -> ErrorType.INTERNAL;
            case "unavailable" -> ErrorType.UNAVAILABLE;
            default -> ErrorType.EXECUTION;
        };
    }

    private static ApiResult answer(ApiRequest r, FormValues f, QueryResult res, long limit, long startedNanos) {
        long finished = System.nanoTime();
        Value value = res.value();
        List<String> warnings = new ArrayList<>(res.warnings());
        if (limit > 0) {
            if (value instanceof Vector v && v.samples().size() > limit) {
                value = new Vector(v.samples().subList(0, (int) limit));
                warnings.add(SeriesEndpoints.TRUNCATED);
            } else if (value instanceof Matrix m && m.series().size() > limit) {
                value = new Matrix(m.series().subList(0, (int) limit));
                warnings.add(SeriesEndpoints.TRUNCATED);
            }
        }
        ResultJson.StatsJson stats = f.first("stats").isEmpty() || res.stats() == null ? null
                : new ResultJson.StatsJson(res.stats(), startedNanos - r.receivedNanos(), finished - r.receivedNanos(),
                        f.first("stats").equals("all"));
        Value out = value;
        return new ApiResult(w -> ResultJson.queryData(out, stats, w),
                cap(warnings, "warning"), cap(res.infos(), "info"));
    }

    /** Prometheus sends at most ten of each kind and says how many it left out. */
    static List<String> cap(List<String> list, String kind) {
        if (list.size() <= 10) return list;
        List<String> out = new ArrayList<>(list.subList(0, 10));
        out.add((list.size() - 10) + " more " + kind + " annotations omitted");
        return out;
    }
}
