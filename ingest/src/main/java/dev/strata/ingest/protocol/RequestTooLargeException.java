package dev.strata.ingest.protocol;

/**
 * A write request is well formed but larger than a configured limit (series or samples per
 * request, decompressed size, one series larger than a Kafka record). Receivers answer 413: the
 * sender must split the request, retrying it unchanged cannot succeed.
 */
public final class RequestTooLargeException extends MalformedRequestException {
    public RequestTooLargeException(String message) {
        super(message);
    }
}
