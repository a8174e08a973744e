package dev.strata.ingest.protocol;

/**
 * Limits a decoder enforces while it decodes, before the memory is spent: a hostile request must
 * be rejected after a cheap check, not after it has been expanded, sorted and validated.
 *
 * @param maxLabelsPerSeries   labels with a non-empty value per series ({@code __name__} included);
 *                             one more fails the request with a 400 while the labels are being read,
 *                             before they are sorted
 * @param maxSeriesPerRequest  series per request; more fail it with a 413
 * @param maxSamplesPerRequest samples per request; more fail it with a 413
 */
public record DecodeLimits(int maxLabelsPerSeries, int maxSeriesPerRequest, int maxSamplesPerRequest) {
    /** No limits (tests, benchmarks, the load generator). */
    public static final DecodeLimits NONE = new DecodeLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    public DecodeLimits {
        if (maxLabelsPerSeries < 1 || maxSeriesPerRequest < 1 || maxSamplesPerRequest < 1) {
            throw new IllegalArgumentException("decode limits must be positive");
        }
    }
}
