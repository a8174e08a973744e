package dev.strata.query.distributed;

import java.util.List;

/**
 * A node-to-node pushed-down query: evaluate {@code query} (a plan of {@link AggregationPushdown}) over
 * the listed shards of the receiving node, at {@code startMs} (instant: {@code stepMs == 0}) or over
 * [startMs, endMs] every stepMs, with this lookback and the asking node's PromQL modes
 * ({@code query.delayed-name-removal}, {@code query.use-start-timestamps}). Wire form: docs/format/select.md.
 */
public record PushdownRequest(List<Integer> shards, String query, long startMs, long endMs, long stepMs, long lookbackMs,
                              boolean delayedNameRemoval, boolean useStartTimestamps) {
    public PushdownRequest {
        shards = List.copyOf(shards);
    }

    /** With delayed name removal and start timestamps, the only modes of nodes before the request's version 2. */
    public PushdownRequest(List<Integer> shards, String query, long startMs, long endMs, long stepMs, long lookbackMs) {
        this(shards, query, startMs, endMs, stepMs, lookbackMs, true, true);
    }
}
