package dev.strata.query.remote;

import dev.strata.index.Matcher;
import java.util.List;

/**
 * A decoded remote read request ({@code prometheus.ReadRequest}).
 *
 * @param queries what to read, answered in this order
 * @param acceptedTypes the response types the client accepts, in its order of preference
 *     ({@link #SAMPLES}, {@link #STREAMED_XOR_CHUNKS}); empty means {@code SAMPLES}
 */
record ReadRequest(List<Query> queries, List<Integer> acceptedTypes) {
    static final int SAMPLES = 0;
    static final int STREAMED_XOR_CHUNKS = 1;

    /**
     * One query: the series matching all {@code matchers}, with their samples in
     * [{@code startMs}, {@code endMs}].
     *
     * @param hints what the client will compute from the data (step, function, range, grouping). Strata
     *     reads raw samples either way, so hints change nothing in the answer; they are decoded and
     *     checked only.
     */
    record Query(long startMs, long endMs, List<Matcher> matchers, Hints hints) {}

    record Hints(long stepMs, String func, long startMs, long endMs, List<String> grouping, boolean by, long rangeMs) {}
}
