package dev.strata.store.model;

/** A label set breaks Prometheus's rules; the message names the offending label. */
public final class InvalidLabelsException extends IllegalArgumentException {
    public InvalidLabelsException(String message) {
        super(message);
    }
}
