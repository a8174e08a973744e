package dev.strata.ingest.validate;

import java.time.Duration;

/**
 * Limits a write request must respect; any violation rejects the whole request.
 *
 * @param nameValidation      which names are accepted
 * @param maxLabelsPerSeries  labels per series, {@code __name__} included
 * @param maxLabelNameBytes   UTF-8 bytes of one label name
 * @param maxLabelValueBytes  UTF-8 bytes of one label value (the metric name included)
 * @param maxSampleAge        samples older than now minus this are rejected
 * @param maxFutureSkew       samples newer than now plus this are rejected
 * @param maxErrorsReported   how many problems the 400 body lists (the total count is always given)
 */
public record ValidationLimits(NameValidation nameValidation, int maxLabelsPerSeries, int maxLabelNameBytes,
                               int maxLabelValueBytes, Duration maxSampleAge, Duration maxFutureSkew,
                               int maxErrorsReported) {
    public ValidationLimits {
        if (maxLabelsPerSeries < 1 || maxLabelNameBytes < 1 || maxLabelValueBytes < 1 || maxErrorsReported < 1) {
            throw new IllegalArgumentException("validation limits must be positive");
        }
        if (maxSampleAge.isNegative() || maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("sample age and future skew limits must not be negative");
        }
    }

    /** Defaults close to Mimir's: 30 labels, 1024-byte names, 2048-byte values, 1 day old, 10 min ahead. */
    public static ValidationLimits defaults() {
        return new ValidationLimits(NameValidation.UTF8, 30, 1024, 2048, Duration.ofDays(1), Duration.ofMinutes(10), 5);
    }
}
