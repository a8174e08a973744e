package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import java.util.List;

/**
 * A node-to-node metadata lookup from the label indexes of the listed shards of the receiving node:
 * the series (label sets), label names, or values of label {@code name}, of the series matching
 * {@code matchers} with data in [minT, maxT]. {@code limit} &gt; 0 lets the node answer only the first
 * {@code limit} items in sorted order. Wire form: docs/format/select.md.
 */
public record MetadataRequest(Kind kind, List<Integer> shards, String name, List<Matcher> matchers, long minT, long maxT,
                              long limit) {
    /** What is looked up; the ordinal is the wire code. */
    public enum Kind { SERIES, LABEL_NAMES, LABEL_VALUES }

    public MetadataRequest {
        shards = List.copyOf(shards);
        matchers = List.copyOf(matchers);
    }
}
