package dev.strata.query.distributed;

/** A select request or response whose bytes do not follow docs/format/select.md; the message says where. */
public final class SelectFormatException extends RuntimeException {
    public SelectFormatException(String message) {
        super(message);
    }
}
