package dev.strata.query.api;

import dev.strata.index.Matcher;
import dev.strata.query.parser.ParseException;
import dev.strata.query.parser.Parser;
import java.util.ArrayList;
import java.util.List;

/** Reads typed parameters from a request's form, failing with Prometheus's bad_data messages. */
final class RequestParams {
    private RequestParams() {}

    /** An optional time ({@code parseTimeParam}): "" gives the default. */
    static long optionalTime(FormValues form, String name, long defaultMs) {
        String v = form.first(name);
        if (v.isEmpty()) return defaultMs;
        try {
            return ParamParsers.parseTime(v);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, "Invalid time value for '" + name + "': " + e.getMessage());
        }
    }

    /** A required time ({@code parseTime} on the raw value): "" is an error. */
    static long requiredTime(FormValues form, String name) {
        try {
            return ParamParsers.parseTime(form.first(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, e.getMessage());
        }
    }

    static long durationNanos(FormValues form, String name) {
        try {
            return ParamParsers.parseDurationNanos(form.first(name));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam(name, e.getMessage());
        }
    }

    static long limit(FormValues form) {
        try {
            return ParamParsers.parseLimit(form.first("limit"));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam("limit", e.getMessage());
        }
    }

    /**
     * {@code match[]} selectors ({@code parseMatchersParam}): each must parse as a series selector and
     * have at least one matcher that does not match the empty string.
     */
    static List<List<Matcher>> matcherSets(FormValues form) {
        List<List<Matcher>> sets = new ArrayList<>();
        for (String s : form.all("match[]")) {
            try {
                sets.add(Parser.parseMatchers(s));
            } catch (ParseException e) {
                // Prometheus's ParseMetricSelector does not apply the expression parser's empty-selector
                // check; the API's own check below words it for match[].
                if (e.detail().equals("vector selector must contain at least one non-empty matcher")) {
                    throw ApiException.badData("match[] must contain at least one non-empty matcher");
                }
                throw ApiException.badData(e.getMessage());
            } catch (IllegalArgumentException e) { // e.g. an invalid regular expression in a matcher
                throw ApiException.badData(e.getMessage());
            }
        }
        for (List<Matcher> set : sets) {
            boolean nonEmpty = false;
            for (Matcher m : set) {
                if (!m.matchesEmpty()) {
                    nonEmpty = true;
                    break;
                }
            }
            if (!nonEmpty) throw ApiException.badData("match[] must contain at least one non-empty matcher");
        }
        return sets;
    }

    /** One more than the limit, so the source returns enough to tell whether the answer was cut. */
    static long hintLimit(long limit) {
        return limit > 0 && limit < Long.MAX_VALUE ? limit + 1 : limit;
    }
}
