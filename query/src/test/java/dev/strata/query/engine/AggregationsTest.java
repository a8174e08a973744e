package dev.strata.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every aggregation operator has exactly one implementation: the streamed folds (sum, count, group, min,
 * max, avg) are never also in the all-values table, where copies of them once sat unreachable.
 */
class AggregationsTest {
    @Test
    void streamedAndAllValuesFoldsAreDisjoint() {
        Set<String> both = new HashSet<>(Aggregations.FOLDS.keySet());
        both.retainAll(Aggregations.FOLDED);
        assertEquals(Set.of(), both);
        assertEquals(Set.of("stdvar", "stddev", "quantile"), Aggregations.FOLDS.keySet());
    }
}
