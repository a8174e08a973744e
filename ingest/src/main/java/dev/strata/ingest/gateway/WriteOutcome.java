package dev.strata.ingest.gateway;

/**
 * What happened to a write request. Only {@link Status#ACCEPTED} means every sample of the request
 * was acknowledged by Kafka.
 */
public record WriteOutcome(Status status, String message, int series, int samples, int records) {
    public enum Status {
        /** All records acknowledged by Kafka (acks=all): HTTP 204. */
        ACCEPTED,
        /** The request breaks the rules; nothing of it was sent: HTTP 400. */
        INVALID,
        /** Kafka did not acknowledge (down, timeout, error); retry: HTTP 503. */
        UNAVAILABLE,
        /** Too many unacknowledged bytes in flight; nothing was sent; retry later: HTTP 503 + Retry-After. */
        OVERLOADED,
        /** Larger than a limit (a series larger than a Kafka record); retrying cannot help: HTTP 413. */
        TOO_LARGE
    }

    public static WriteOutcome accepted(int series, int samples, int records) {
        return new WriteOutcome(Status.ACCEPTED, "", series, samples, records);
    }

    public static WriteOutcome invalid(String message) {
        return new WriteOutcome(Status.INVALID, message, 0, 0, 0);
    }

    public static WriteOutcome unavailable(String message) {
        return new WriteOutcome(Status.UNAVAILABLE, message, 0, 0, 0);
    }

    public static WriteOutcome tooLarge(String message) {
        return new WriteOutcome(Status.TOO_LARGE, message, 0, 0, 0);
    }

    public static WriteOutcome overloaded(String message) {
        return new WriteOutcome(Status.OVERLOADED, message, 0, 0, 0);
    }
}
