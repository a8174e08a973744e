package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import java.util.List;

/**
 * A node-to-node read: the series matching {@code matchers} with samples in [minT, maxT] from the
 * listed shards of the receiving node. Wire form: docs/format/select.md.
 */
public record SelectRequest(List<Integer> shards, List<Matcher> matchers, long minT, long maxT) {
    public SelectRequest {
        shards = List.copyOf(shards);
        matchers = List.copyOf(matchers);
    }
}
