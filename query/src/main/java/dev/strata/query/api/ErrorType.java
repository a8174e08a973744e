package dev.strata.query.api;

/**
 * Prometheus's API error types and the HTTP status each maps to (web/api/v1's respondError):
 * anything not listed there (e.g. {@code unavailable}) falls to 500, as in Prometheus.
 */
public enum ErrorType {
    TIMEOUT("timeout", 503),
    CANCELED("canceled", 499),
    EXECUTION("execution", 422),
    BAD_DATA("bad_data", 400),
    INTERNAL("internal", 500),
    UNAVAILABLE("unavailable", 500),
    /**
     * Too many queries at once (query.max-concurrency): {@code unavailable} with 503 and Retry-After,
     * so clients back off; Prometheus itself queues such queries instead.
     */
    SATURATED("unavailable", 503),
    NOT_FOUND("not_found", 404),
    NOT_ACCEPTABLE("not_acceptable", 406);

    private final String wireName;
    private final int httpStatus;

    ErrorType(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** The {@code errorType} field's value. */
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
