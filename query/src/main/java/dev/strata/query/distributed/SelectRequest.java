package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import java.util.List;

/**
 * A node-to-node read: the series matching {@code matchers} with samples in [minT, maxT] from the
 * listed shards of the receiving node. The owner stops and answers 422 once it has read more than
 * {@code maxSamples} samples or worked {@code timeoutMs} (the asker gives up then); 0 = no limit
 * (version 1 requests). Wire form: docs/format/select.md.
 */
public record SelectRequest(List<Integer> shards, List<Matcher> matchers, long minT, long maxT, long timeoutMs,
                            long maxSamples) {
    public SelectRequest {
        shards = List.copyOf(shards);
        matchers = List.copyOf(matchers);
        if (timeoutMs < 0 || maxSamples < 0) throw new IllegalArgumentException("select limits must not be negative");
    }

    /** A request without limits. */
    public SelectRequest(List<Integer> shards, List<Matcher> matchers, long minT, long maxT) {
        this(shards, matchers, minT, maxT, 0, 0);
    }
}
