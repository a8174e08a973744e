package dev.strata.node.http;

import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.selfmetrics.PrometheusTextFormat;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The node's own endpoints: {@code GET /-/healthy}, {@code GET /-/ready}, {@code GET /metrics}. The
 * probes and the metrics each go through a guard: the node keeps the probes open (Kubernetes probes
 * carry no credentials) and asks any valid user for /metrics, as Prometheus does.
 */
public final class SystemRoutes {
    /** {@code GET /-/healthy}: 200 while the HTTP server answers. */
    public static final Route HEALTHY = req -> CompletableFuture.completedFuture(
            HttpResponses.text(HttpResponseStatus.OK, "Strata is Healthy.\n"));

    private SystemRoutes() {}

    /** Unguarded: for harnesses without authentication. */
    public static Router.Builder addTo(Router.Builder router, Readiness readiness, MetricsRegistry metrics) {
        return addTo(router, readiness, metrics, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * @param probes  wraps {@code /-/healthy} and {@code /-/ready}
     * @param scrape  wraps {@code /metrics}
     */
    public static Router.Builder addTo(Router.Builder router, Readiness readiness, MetricsRegistry metrics,
                                       UnaryOperator<Route> probes, UnaryOperator<Route> scrape) {
        return router
                .get("/-/healthy", probes.apply(HEALTHY))
                .get("/-/ready", probes.apply(req -> {
                    List<String> waiting = readiness.notReady();
                    if (readiness.isReady()) {
                        return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.OK, "Strata is Ready.\n"));
                    }
                    String why = waiting.isEmpty() ? "no component registered yet" : "waiting for " + String.join(", ", waiting);
                    return CompletableFuture.completedFuture(HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "unavailable", "Strata is not ready: " + why));
                }))
                .get("/metrics", scrape.apply(req -> CompletableFuture.completedFuture(
                        HttpResponses.of(HttpResponseStatus.OK, PrometheusTextFormat.CONTENT_TYPE, metrics.scrape()))));
    }
}
