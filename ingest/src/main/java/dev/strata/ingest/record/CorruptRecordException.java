package dev.strata.ingest.record;

/** A shard record's bytes break the format; the message names what and where. */
public final class CorruptRecordException extends RuntimeException {
    public CorruptRecordException(String message) {
        super(message);
    }
}
