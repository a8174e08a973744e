package dev.strata.launch;

/** Port number validation with messages that name the port. */
final class Ports {
    private Ports() {}

    static void check(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be in 1..65535, got " + port);
        }
    }
}
