package dev.strata.query.ast;

import java.util.List;

/**
 * How a binary operation between two vectors matches series: {@code on}/{@code ignoring} labels,
 * cardinality ({@code group_left}/{@code group_right} with extra labels to copy), and the
 * experimental fill values for unmatched sides (null when absent).
 */
public record VectorMatching(Card card, List<String> matchingLabels, boolean on, List<String> include,
                             Double fillLeft, Double fillRight) {
    public enum Card { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

    public VectorMatching {
        matchingLabels = List.copyOf(matchingLabels);
        include = List.copyOf(include);
    }

    public static VectorMatching oneToOne() {
        return new VectorMatching(Card.ONE_TO_ONE, List.of(), false, List.of(), null, null);
    }
}
