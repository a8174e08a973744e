package dev.strata.node.cluster;

import dev.strata.query.storage.Series;
import java.util.List;

/**
 * The answer to a {@link SelectRequest}: which of the asked shards the node served (open and caught
 * up there) and their matching series. Shards asked but not served must be read elsewhere.
 */
public record SelectResponse(List<Integer> served, List<Series> series) {
    public SelectResponse {
        served = List.copyOf(served);
        series = List.copyOf(series);
    }
}
