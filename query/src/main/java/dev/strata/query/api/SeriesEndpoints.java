package dev.strata.query.api;

import dev.strata.query.ast.GoQuote;
import dev.strata.store.json.JsonWriter;
import dev.strata.index.Matcher;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code /api/v1/series}, {@code /api/v1/labels}, {@code /api/v1/label/<name>/values} and
 * {@code /api/v1/metadata}, with Prometheus's parameters, defaults (the whole time range), limits
 * (a warning {@code results truncated due to limit} when cut) and answers.
 */
final class SeriesEndpoints {
    static final String TRUNCATED = "results truncated due to limit";

    private final SeriesMetadataSource source;

    SeriesEndpoints(SeriesMetadataSource source) {
        this.source = source;
    }

    ApiResult series(ApiRequest r) {
        FormValues f = r.form();
        if (f.all("match[]").isEmpty()) throw ApiException.badData("no match[] parameter provided");
        long limit = RequestParams.limit(f);
        long start = RequestParams.optionalTime(f, "start", ParamParsers.MIN_TIME_MS);
        long end = RequestParams.optionalTime(f, "end", ParamParsers.MAX_TIME_MS);
        List<List<Matcher>> sets = RequestParams.matcherSets(f);
        List<String> warnings = new ArrayList<>();
        TreeSet<Labels> all = lookup(f, warnings, () -> {
            TreeSet<Labels> out = new TreeSet<>();
            for (List<Matcher> set : sets) out.addAll(source.series(set, start, end, RequestParams.hintLimit(limit)));
            return out;
        });
        return jsonList(new ArrayList<>(all), limit, warnings, LabelsJson::write);
    }

    ApiResult labelNames(ApiRequest r) {
        FormValues f = r.form();
        long limit = RequestParams.limit(f);
        long start = RequestParams.optionalTime(f, "start", ParamParsers.MIN_TIME_MS);
        long end = RequestParams.optionalTime(f, "end", ParamParsers.MAX_TIME_MS);
        List<List<Matcher>> sets = RequestParams.matcherSets(f);
        long hint = RequestParams.hintLimit(limit);
        List<String> warnings = new ArrayList<>();
        TreeSet<String> names = lookup(f, warnings, () -> {
            TreeSet<String> out = new TreeSet<>();
            if (sets.isEmpty()) {
                out.addAll(source.labelNames(List.of(), start, end, hint));
            } else {
                for (List<Matcher> set : sets) out.addAll(source.labelNames(set, start, end, hint));
            }
            return out;
        });
        return stringList(new ArrayList<>(names), limit, warnings);
    }

    ApiResult labelValues(ApiRequest r, String rawName) {
        String name = LabelNameEscaping.unescape(rawName);
        if (!isValidUtf8LabelName(name)) throw ApiException.badData("invalid label name: " + GoQuote.quote(name));
        FormValues f = r.form();
        long limit = RequestParams.limit(f);
        long start = RequestParams.optionalTime(f, "start", ParamParsers.MIN_TIME_MS);
        long end = RequestParams.optionalTime(f, "end", ParamParsers.MAX_TIME_MS);
        List<List<Matcher>> sets = RequestParams.matcherSets(f);
        long hint = RequestParams.hintLimit(limit);
        List<String> warnings = new ArrayList<>();
        TreeSet<String> values = lookup(f, warnings, () -> {
            TreeSet<String> out = new TreeSet<>();
            if (sets.isEmpty()) {
                out.addAll(source.labelValues(name, List.of(), start, end, hint));
            } else {
                for (List<Matcher> set : sets) out.addAll(source.labelValues(name, set, start, end, hint));
            }
            return out;
        });
        return stringList(new ArrayList<>(values), limit, warnings);
    }

    /**
     * Runs one request's lookups through {@link SeriesMetadataSource#request} with the request's
     * {@code partial_response} (default true); a storage failure becomes the API error of its type.
     */
    private <T> T lookup(FormValues f, List<String> warnings, java.util.function.Supplier<T> body) {
        String partial = f.first("partial_response");
        if (!partial.isEmpty() && !partial.equals("true") && !partial.equals("false")) {
            throw ApiException.badData("invalid parameter \"partial_response\": expected true or false, got \"" + partial + "\"");
        }
        try {
            return source.request(!partial.equals("false"), warnings, body);
        } catch (dev.strata.query.engine.QueryException e) {
            throw new ApiException(QueryEndpoints.errorType(e.errorType()), e.getMessage(), e);
        }
    }

    /** Strata keeps no metric metadata yet: the answer is Prometheus's empty map, after checking params. */
    ApiResult metadata(ApiRequest r) {
        FormValues f = r.form();
        checkNumber(f, "limit");
        checkNumber(f, "limit_per_metric");
        return ApiResult.of(w -> w.raw("{}"));
    }

    private static void checkNumber(FormValues f, String name) {
        String s = f.first(name);
        if (s.isEmpty()) return;
        try {
            ParamParsers.parseGoInt("strconv.Atoi", s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badData(name + " must be a number");
        }
    }

    private static ApiResult stringList(List<String> values, long limit, List<String> warnings) {
        return jsonList(values, limit, warnings, (v, w) -> w.string(v));
    }

    /** A JSON array of the values, cut to {@code limit} (> 0) with Prometheus's truncation warning. */
    private static <T> ApiResult jsonList(List<T> values, long limit, List<String> sourceWarnings,
                                          java.util.function.BiConsumer<T, JsonWriter> element) {
        List<String> warnings = new ArrayList<>(sourceWarnings);
        List<T> result = values;
        if (limit > 0 && result.size() > limit) {
            result = result.subList(0, (int) limit);
            warnings.add(TRUNCATED);
        }
        List<T> out = result;
        return new ApiResult(w -> {
            w.raw('[');
            for (int i = 0; i < out.size(); i++) {
                if (i > 0) w.raw(',');
                element.accept(out.get(i), w);
            }
            w.raw(']');
        }, warnings, List.of());
    }

    /** Prometheus 3's UTF-8 label name rule: non-empty and valid UTF-8 (no unpaired surrogates). */
    static boolean isValidUtf8LabelName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
