package dev.strata.query.api;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus HTTP API ({@code /api/v1/...}) for Netty: {@link #handle} routes one request and
 * answers with Prometheus's JSON.
 *
 * <p>Threading: {@code handle} only copies what it needs out of the request (path, query string,
 * form body) on the calling thread, typically a Netty event loop, and returns at once; the request
 * may be released when it returns. Parameter checks, storage reads, query evaluation and JSON
 * encoding run on the {@code executor} given to the constructor, which completes the future. A
 * rejected submission (its bounded queue full, or shut down) is answered 503 with an {@code unavailable} error.
 *
 * <p>Routes, as Prometheus registers them: GET+POST {@code query}, {@code query_range},
 * {@code query_exemplars} (always empty: Strata keeps no exemplars), {@code series}, {@code labels},
 * {@code format_query}; GET {@code label/<name>/values},
 * {@code metadata}, {@code status/buildinfo}, {@code status/runtimeinfo}, {@code status/config}, {@code status/flags};
 * OPTIONS anything (204). Unknown paths get Prometheus's router answers (404 / 405 plain text).
 */
public final class PrometheusApi {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusApi.class);
    private static final String PREFIX = "/api/v1";
    private static final Set<HttpMethod> GET_POST = Set.of(HttpMethod.GET, HttpMethod.POST);
    private static final Set<HttpMethod> GET = Set.of(HttpMethod.GET);

    private record Route(Set<HttpMethod> methods, Function<ApiRequest, ApiResult> handler) {}

    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final SeriesEndpoints seriesEndpoints;
    private final Executor executor;
    private final java.util.regex.Pattern corsOrigin;

    /**
     * @param evaluator the PromQL engine
     * @param metadata series and label lookups for the series/labels endpoints
     * @param settings limits, build info, flags
     * @param executor where requests are worked on (never a Netty event loop)
     * @param clockMs the time used when {@code time} is absent (milliseconds since the epoch)
     */
    public PrometheusApi(QueryEvaluator evaluator, SeriesMetadataSource metadata, ApiSettings settings,
                         Executor executor, LongSupplier clockMs) {
        this(evaluator, metadata, MetricMetadataSource.NONE, settings, executor, clockMs);
    }

    /** As above, with the metric metadata {@code /api/v1/metadata} lists. */
    public PrometheusApi(QueryEvaluator evaluator, SeriesMetadataSource metadata, MetricMetadataSource metricMetadata,
                         ApiSettings settings, Executor executor, LongSupplier clockMs) {
        this.executor = executor;
        this.corsOrigin = settings.corsOrigin();
        QueryEndpoints q = new QueryEndpoints(evaluator, settings.queryDefaults(), clockMs);
        this.seriesEndpoints = new SeriesEndpoints(metadata, metricMetadata);
        StatusEndpoints status = new StatusEndpoints(settings, clockMs);
        routes.put(PREFIX + "/query", new Route(GET_POST, q::instant));
        routes.put(PREFIX + "/query_range", new Route(GET_POST, q::range));
        routes.put(PREFIX + "/format_query", new Route(GET_POST, q::formatQuery));
        routes.put(PREFIX + "/query_exemplars", new Route(GET_POST, q::exemplars));
        routes.put(PREFIX + "/series", new Route(GET_POST, seriesEndpoints::series));
        routes.put(PREFIX + "/labels", new Route(GET_POST, seriesEndpoints::labelNames));
        routes.put(PREFIX + "/metadata", new Route(GET, seriesEndpoints::metadata));
        routes.put(PREFIX + "/status/buildinfo", new Route(GET, status::buildInfo));
        routes.put(PREFIX + "/status/runtimeinfo", new Route(GET, status::runtimeInfo));
        routes.put(PREFIX + "/status/config", new Route(GET, status::config));
        routes.put(PREFIX + "/status/flags", new Route(GET, status::flags));
    }

    /** True for paths this API serves (so a router can send {@code /api/v1/...} here). */
    public static boolean serves(String uri) {
        return uri.equals(PREFIX) || uri.startsWith(PREFIX + "/") || uri.startsWith(PREFIX + "?");
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        ApiRequest r = ApiRequest.from(req, System.nanoTime());
        return route(r).thenApply(resp -> cors(r, resp));
    }

    /** Prometheus's {@code SetCORS}: only for an {@code Origin} the configured pattern fully matches. */
    private FullHttpResponse cors(ApiRequest r, FullHttpResponse resp) {
        if (corsOrigin == null || r.origin() == null || !corsOrigin.matcher(r.origin()).matches()) return resp;
        resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Accept, Authorization, Content-Type, Origin");
        resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS");
        resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Date");
        resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, r.origin());
        resp.headers().set(HttpHeaderNames.VARY, "Origin");
        return resp;
    }

    private CompletableFuture<FullHttpResponse> route(ApiRequest r) {
        Route route = route(r.path());
        if (r.method().equals(HttpMethod.OPTIONS) && r.path().startsWith(PREFIX + "/")) {
            return CompletableFuture.completedFuture(ApiResponses.noContent());
        }
        if (route == null) {
            return CompletableFuture.completedFuture(ApiResponses.text(HttpResponseStatus.NOT_FOUND, "404 page not found\n"));
        }
        if (!route.methods().contains(r.method())) {
            FullHttpResponse resp = ApiResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed\n");
            resp.headers().set(HttpHeaderNames.ALLOW, allow(route.methods()));
            return CompletableFuture.completedFuture(resp);
        }
        CompletableFuture<FullHttpResponse> out = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    out.complete(answer(route, r));
                } catch (Throwable t) { // e.g. OutOfMemoryError: never leave the connection waiting
                    out.completeExceptionally(t);
                    throw t;
                }
            });
        } catch (RejectedExecutionException e) {
            FullHttpResponse busy = ApiResponses.error(new ApiException(ErrorType.SATURATED,
                    "too many concurrent queries (query.max-concurrency); retry later"));
            busy.headers().setInt(HttpHeaderNames.RETRY_AFTER, 1);
            out.complete(busy);
        }
        return out;
    }

    /** Runs a handler and renders its answer or failure; never throws. */
    private static FullHttpResponse answer(Route route, ApiRequest r) {
        try {
            ApiResult res = route.handler().apply(r);
            return ApiResponses.success(res.data(), res.warnings(), res.infos());
        } catch (ApiException e) {
            return ApiResponses.error(e);
        } catch (RejectedExecutionException e) { // a pool the query fans out to (pushed-down parts) is full
            return ApiResponses.error(new ApiException(ErrorType.SATURATED, "too many concurrent queries; retry later"));
        } catch (StackOverflowError e) {
            // The parser's nesting limit keeps queries well inside the stack; this is the safety net.
            return ApiResponses.error(new ApiException(ErrorType.BAD_DATA,
                    "the query is nested too deeply to evaluate (limit " + dev.strata.query.parser.Parser.MAX_DEPTH + ")", e));
        } catch (RuntimeException e) {
            LOG.error("internal error answering {} {}", r.method(), r.path(), e);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return ApiResponses.error(new ApiException(ErrorType.INTERNAL, msg, e));
        }
    }

    private Route route(String path) {
        Route r = routes.get(path);
        if (r != null) return r;
        String lp = PREFIX + "/label/";
        if (path.startsWith(lp) && path.endsWith("/values")) {
            String name = path.substring(lp.length(), path.length() - "/values".length());
            if (!name.isEmpty() && name.indexOf('/') < 0) {
                return new Route(GET, req -> seriesEndpoints.labelValues(req, name));
            }
        }
        return null;
    }

    private static String allow(Set<HttpMethod> methods) {
        StringBuilder sb = new StringBuilder();
        for (HttpMethod m : new HttpMethod[] {HttpMethod.GET, HttpMethod.OPTIONS, HttpMethod.POST}) {
            if (m.equals(HttpMethod.OPTIONS) || methods.contains(m)) {
                if (sb.length() > 0) sb.append(", ");
                sb.append(m.name());
            }
        }
        return sb.toString();
    }
}
