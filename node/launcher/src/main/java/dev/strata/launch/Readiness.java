package dev.strata.launch;

/** Whether a freshly started server answers yet. Polled by {@link ChildProcess#awaitReady}. */
@FunctionalInterface
public interface Readiness {
    boolean isReady();

    /** Ready once something accepts TCP connections on {@code host:port}. */
    static Readiness tcp(String host, int port) {
        return () -> FreePorts.accepts(host, port);
    }

    /** Ready once a GET of {@code url} answers 200 (e.g. a Strata node's {@code /-/ready}). */
    static Readiness httpOk(java.net.URI url) {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(java.time.Duration.ofSeconds(1)).build();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(url)
                .timeout(java.time.Duration.ofSeconds(2)).GET().build();
        return () -> {
            try {
                return client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
