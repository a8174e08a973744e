package dev.strata.query.api;

/** A failure to answer an API request, carrying Prometheus's error type; the message is the {@code error} field. */
public final class ApiException extends RuntimeException {
    private final ErrorType type;

    public ApiException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public ApiException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }

    /** Prometheus's {@code invalid parameter "name": <detail>} (bad_data). */
    public static ApiException invalidParam(String param, String detail) {
        return new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + param + "\": " + detail);
    }

    public static ApiException badData(String message) {
        return new ApiException(ErrorType.BAD_DATA, message);
    }
}
