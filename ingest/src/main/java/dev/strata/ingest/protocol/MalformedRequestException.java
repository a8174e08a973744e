package dev.strata.ingest.protocol;

/**
 * A write request cannot be decoded (bad protobuf framing, bad snappy block, bad line protocol...).
 * The message names what was wrong and where; receivers turn it into HTTP 400.
 */
public class MalformedRequestException extends RuntimeException {
    public MalformedRequestException(String message) {
        super(message);
    }

    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
