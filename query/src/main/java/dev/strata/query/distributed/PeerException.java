package dev.strata.query.distributed;

/** A peer answered, but not with 200. */
public final class PeerException extends RuntimeException {
    private final int status;
    private final String body;

    public PeerException(String message, int status, String body) {
        super(message);
        this.status = status;
        this.body = body;
    }

    /** The HTTP status the peer answered with. */
    public int status() {
        return status;
    }

    /** The peer's answer body as text. */
    public String body() {
        return body;
    }
}
