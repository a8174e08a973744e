package dev.strata.node.security;

/** A web configuration file that cannot be used; the message names the file and the key. */
public final class WebConfigException extends RuntimeException {
    public WebConfigException(String message) {
        super(message);
    }
}
