package dev.strata.node.cluster;

import dev.strata.query.storage.Series;
import java.util.List;

/**
 * The answer to a {@link SelectRequest} or a {@link PushdownRequest}: which of the asked shards the node
 * served (open and caught up there) and their series; for a pushed-down query also the warnings and
 * infos of its evaluation there. Shards asked but not served must be read elsewhere.
 */
public record SelectResponse(List<Integer> served, List<Series> series, List<String> warnings, List<String> infos) {
    public SelectResponse {
        served = List.copyOf(served);
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }

    public SelectResponse(List<Integer> served, List<Series> series) {
        this(served, series, List.of(), List.of());
    }
}
