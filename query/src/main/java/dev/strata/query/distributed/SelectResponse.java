package dev.strata.query.distributed;

import dev.strata.query.storage.Series;
import java.util.List;

/**
 * The answer to a {@link SelectRequest} or a {@link PushdownRequest}: which of the asked shards the node
 * served (open and caught up there) and their series; for a pushed-down query also the warnings and
 * infos of its evaluation there and, when the asker asked for them, the samples it scanned
 * ({@code samples}, null when not reported: a select, or an owner that predates response version 4).
 * Shards asked but not served must be read elsewhere.
 */
public record SelectResponse(List<Integer> served, List<Series> series, List<String> warnings, List<String> infos,
                             SampleCounts samples) {
    public SelectResponse {
        served = List.copyOf(served);
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }

    public SelectResponse(List<Integer> served, List<Series> series, List<String> warnings, List<String> infos) {
        this(served, series, warnings, infos, null);
    }

    public SelectResponse(List<Integer> served, List<Series> series) {
        this(served, series, List.of(), List.of());
    }

    /** This answer without its sample counts (for an asker that did not ask for them). */
    public SelectResponse withoutSamples() {
        return new SelectResponse(served, series, warnings, infos, null);
    }
}
