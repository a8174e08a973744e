package dev.strata.launch;

/** Whether a freshly started server answers yet. Polled by {@link ChildProcess#awaitReady}. */
@FunctionalInterface
public interface Readiness {
    boolean isReady();

    /** Ready once something accepts TCP connections on {@code host:port}. */
    static Readiness tcp(String host, int port) {
        return () -> FreePorts.accepts(host, port);
    }
}
