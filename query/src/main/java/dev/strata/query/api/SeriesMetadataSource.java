package dev.strata.query.api;

import dev.strata.index.Matcher;
import dev.strata.store.model.Labels;
import java.util.List;

/**
 * What the label and series endpoints read: series identities, not samples. Times are inclusive
 * milliseconds; a series counts when it has data in [minT, maxT]. An empty matcher list means every
 * series. {@code limitHint} &gt; 0 lets an implementation stop early once it has that many results
 * (the API asks for one more than the user's limit, to know whether to warn about truncation);
 * implementations may return more. Implementations must be safe for concurrent calls.
 */
public interface SeriesMetadataSource {
    /**
     * Runs the lookups of one API request ({@code body}). A source that can miss data (a cluster whose
     * shards have no ready owner) adds a warning naming what is missing to {@code warnings}, or lets the
     * body fail (a {@code QueryException} of type {@code unavailable}) when {@code partialAllowed} is false
     * (the request's {@code partial_response}). Default: runs {@code body}.
     */
    default <T> T request(boolean partialAllowed, List<String> warnings, java.util.function.Supplier<T> body) {
        return body.get();
    }

    /** Label sets of the matching series, sorted, without duplicates. */
    List<Labels> series(List<Matcher> matchers, long minT, long maxT, long limitHint);

    /** Label names used by the matching series, sorted, without duplicates. */
    List<String> labelNames(List<Matcher> matchers, long minT, long maxT, long limitHint);

    /** Values of label {@code name} among the matching series, sorted, without duplicates or "". */
    List<String> labelValues(String name, List<Matcher> matchers, long minT, long maxT, long limitHint);
}
