package dev.strata.node.http;

import dev.strata.store.http.Responses;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The node's HTTP answers: plain text, JSON, and errors in the Prometheus API's JSON shape. Every
 * method is {@link Responses}', the one response builder; this class keeps the node's call sites short.
 */
public final class HttpResponses {
    public static final String JSON = Responses.JSON;
    public static final String TEXT = Responses.TEXT;

    private HttpResponses() {}

    public static FullHttpResponse of(HttpResponseStatus status, String contentType, String body) {
        return Responses.of(status, contentType, body);
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return Responses.text(status, body);
    }

    /**
     * {@code {"status":"error","errorType":"...","error":"..."}} as the Prometheus HTTP API answers errors.
     * errorType is one of Prometheus's: bad_data, execution, internal, not_found, unavailable, timeout, canceled.
     */
    public static FullHttpResponse error(HttpResponseStatus status, String errorType, String message) {
        return Responses.error(status, errorType, message);
    }
}
