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

    /**
     * The same series as {@link #select(List, long, long)}, in the same order, handed to {@code visitor}
     * one at a time instead of collected: an implementation that decodes samples can reuse one buffer
     * for all series, so a query holds one series' samples at a time rather than all of them.
     */
    default void select(List<Matcher> matchers, long minT, long maxT, SeriesVisitor visitor) {
        for (Series s : select(matchers, minT, maxT)) visitor.visit(s.labels(), s.timestamps(), s.values(), s.startTimestamps(), s.histograms(), s.size());
    }
}
