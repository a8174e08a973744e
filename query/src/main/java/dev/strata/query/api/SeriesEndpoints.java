package dev.strata.query.api;

import dev.strata.query.ast.GoQuote;
import dev.strata.store.json.JsonWriter;
import dev.strata.index.Matcher;
import dev.strata.store.model.Labels;
import dev.strata.store.model.MetricMetadata;
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
    private final MetricMetadataSource metricMetadata;

    SeriesEndpoints(SeriesMetadataSource source, MetricMetadataSource metricMetadata) {
        this.source = source;
        this.metricMetadata = metricMetadata;
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

    /**
     * {@code /api/v1/metadata}: the distinct (type, help, unit) entries per metric, as Prometheus 3
     * answers: {@code metric} picks one metric; {@code limit} (negative: none; 0 gives an empty map)
     * caps the metrics, {@code limit_per_metric} (> 0) the entries of each. Where Prometheus keeps
     * whichever metrics and entries its maps hand it first, Strata keeps the first by name and
     * entries in (type, unit, help) order, and lists them in that order.
     */
    ApiResult metadata(ApiRequest r) {
        FormValues f = r.form();
        long limit = number(f, "limit");
        long perMetric = number(f, "limit_per_metric");
        java.util.TreeMap<String, List<MetricMetadata>> byMetric = new java.util.TreeMap<>();
        List<MetricMetadata> all = new ArrayList<>(metricMetadata.read(f.first("metric")));
        all.sort(MetricMetadata.ORDER);
        for (MetricMetadata m : all) {
            List<MetricMetadata> list = byMetric.get(m.metric());
            if (list == null) {
                if (limit >= 0 && byMetric.size() >= limit) continue;
                byMetric.put(m.metric(), list = new ArrayList<>());
            }
            if (perMetric > 0 && list.size() >= perMetric) continue;
            if (list.isEmpty() || !list.get(list.size() - 1).equals(m)) list.add(m);
        }
        return ApiResult.of(w -> {
            w.raw('{');
            boolean first = true;
            for (var e : byMetric.entrySet()) {
                if (!first) w.raw(',');
                first = false;
                w.field(e.getKey()).raw('[');
                for (int i = 0; i < e.getValue().size(); i++) {
                    MetricMetadata m = e.getValue().get(i);
                    if (i > 0) w.raw(',');
                    w.raw('{').field("type").string(m.type()).raw(',').field("help").string(m.help())
                            .raw(',').field("unit").string(m.unit()).raw('}');
                }
                w.raw(']');
            }
            w.raw('}');
        });
    }

    /** A Go {@code strconv.Atoi} parameter, -1 when absent; bad_data "{name} must be a number" otherwise. */
    private static long number(FormValues f, String name) {
        String s = f.first(name);
        if (s.isEmpty()) return -1;
        try {
            return ParamParsers.parseGoInt("strconv.Atoi", s);
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
