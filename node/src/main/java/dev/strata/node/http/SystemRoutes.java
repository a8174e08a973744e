package dev.strata.node.http;

import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.selfmetrics.PrometheusTextFormat;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The node's own endpoints: {@code GET /-/healthy}, {@code GET /-/ready}, {@code GET /metrics}. */
public final class SystemRoutes {
    private SystemRoutes() {}

    public static Router.Builder addTo(Router.Builder router, Readiness readiness, MetricsRegistry metrics) {
        return router
                .get("/-/healthy", req -> CompletableFuture.completedFuture(
                        HttpResponses.text(HttpResponseStatus.OK, "Strata is Healthy.\n")))
                .get("/-/ready", req -> {
                    List<String> waiting = readiness.notReady();
                    if (readiness.isReady()) {
                        return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.OK, "Strata is Ready.\n"));
                    }
                    String why = waiting.isEmpty() ? "no component registered yet" : "waiting for " + String.join(", ", waiting);
                    return CompletableFuture.completedFuture(HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "unavailable", "Strata is not ready: " + why));
                })
                .get("/metrics", req -> CompletableFuture.completedFuture(
                        HttpResponses.of(HttpResponseStatus.OK, PrometheusTextFormat.CONTENT_TYPE, metrics.scrape())));
    }
}
