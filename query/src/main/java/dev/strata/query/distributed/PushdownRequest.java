package dev.strata.query.distributed;

import java.util.List;

/**
 * A node-to-node pushed-down query: evaluate {@code query} (a plan of {@link AggregationPushdown}) over
 * the listed shards of the receiving node, at {@code startMs} (instant: {@code stepMs == 0}) or over
 * [startMs, endMs] every stepMs, with this lookback. Wire form: docs/format/select.md.
 */
public record PushdownRequest(List<Integer> shards, String query, long startMs, long endMs, long stepMs, long lookbackMs) {
    public PushdownRequest {
        shards = List.copyOf(shards);
    }
}
