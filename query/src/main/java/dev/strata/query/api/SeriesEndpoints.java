package dev.strata.query.api;

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
        TreeSet<Labels> all = new TreeSet<>();
        for (List<Matcher> set : sets) all.addAll(source.series(set, start, end, RequestParams.hintLimit(limit)));
        return jsonList(new ArrayList<>(all), limit, LabelsJson::write);
    }

    ApiResult labelNames(ApiRequest r) {
        FormValues f = r.form();
        long limit = RequestParams.limit(f);
        long start = RequestParams.optionalTime(f, "start", ParamParsers.MIN_TIME_MS);
        long end = RequestParams.optionalTime(f, "end", ParamParsers.MAX_TIME_MS);
        List<List<Matcher>> sets = RequestParams.matcherSets(f);
        long hint = RequestParams.hintLimit(limit);
        TreeSet<String> names = new TreeSet<>();
        if (sets.isEmpty()) {
            names.addAll(source.labelNames(List.of(), start, end, hint));
        } else {
            for (List<Matcher> set : sets) names.addAll(source.labelNames(set, start, end, hint));
        }
        return stringList(new ArrayList<>(names), limit);
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
        TreeSet<String> values = new TreeSet<>();
        if (sets.isEmpty()) {
            values.addAll(source.labelValues(name, List.of(), start, end, hint));
        } else {
            for (List<Matcher> set : sets) values.addAll(source.labelValues(name, set, start, end, hint));
        }
        return stringList(new ArrayList<>(values), limit);
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

    private static ApiResult stringList(List<String> values, long limit) {
        return jsonList(values, limit, (v, w) -> w.string(v));
    }

    /** A JSON array of the values, cut to {@code limit} (> 0) with Prometheus's truncation warning. */
    private static <T> ApiResult jsonList(List<T> values, long limit, java.util.function.BiConsumer<T, JsonWriter> element) {
        List<String> warnings = new ArrayList<>();
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
