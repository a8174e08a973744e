package dev.strata.query.storage;

import dev.strata.index.Matcher;
import java.util.List;

/**
 * What the PromQL engine reads from. Implementations return every series matching all matchers that
 * has samples in [minT, maxT] (inclusive, milliseconds), with exactly those samples, sorted by labels.
 * Implementations must be safe for concurrent queries.
 */
public interface Queryable {
    List<Series> select(List<Matcher> matchers, long minT, long maxT);
}
