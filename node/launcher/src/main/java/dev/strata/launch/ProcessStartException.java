package dev.strata.launch;

/** A forked server did not become ready: it exited, or the start timed out. The message holds its log tail. */
public final class ProcessStartException extends RuntimeException {
    public ProcessStartException(String message) {
        super(message);
    }
}
