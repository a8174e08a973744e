package dev.strata.store.http;

import dev.strata.store.json.JsonWriter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The one builder of Strata's HTTP answers (Netty full responses with Content-Type and Content-Length):
 * the receivers, the Prometheus API, the node's own routes and the node-to-node routes all answer
 * through it. Errors in the Prometheus API's JSON shape are built here only ({@link #error}).
 * It lives in store, the lowest module, because both ingest and query answer HTTP.
 */
public final class Responses {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String BINARY = "application/octet-stream";

    private Responses() {}

    /** {@code length} bytes of {@code body} (not copied) as the answer. */
    public static FullHttpResponse of(HttpResponseStatus status, String contentType, byte[] body, int length) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body, 0, length));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        return r;
    }

    public static FullHttpResponse of(HttpResponseStatus status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return of(status, contentType, bytes, bytes.length);
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return of(status, TEXT, body);
    }

    public static FullHttpResponse json(HttpResponseStatus status, JsonWriter body) {
        return of(status, JSON, body.array(), body.size());
    }

    public static FullHttpResponse binary(HttpResponseStatus status, byte[] body) {
        return of(status, BINARY, body, body.length);
    }

    /** No body (Content-Length 0). */
    public static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    /**
     * {@code {"status":"error","errorType":"...","error":"..."}}, the Prometheus HTTP API's error body.
     * errorType is one of Prometheus's: bad_data, execution, internal, not_found, unavailable, timeout,
     * canceled, not_acceptable.
     */
    public static JsonWriter errorBody(String errorType, String message) {
        JsonWriter w = new JsonWriter(64 + message.length());
        w.raw("{\"status\":\"error\",\"errorType\":").string(errorType).raw(",\"error\":").string(message).raw('}');
        return w;
    }

    /** An error answer in the Prometheus API's shape ({@link #errorBody}) with {@code status}. */
    public static FullHttpResponse error(HttpResponseStatus status, String errorType, String message) {
        return json(status, errorBody(errorType, message == null ? "" : message));
    }

    /** The status for a code, including Prometheus's 499 (client closed the request) that Netty does not name. */
    public static HttpResponseStatus status(int code) {
        return code == 499 ? new HttpResponseStatus(499, "Client Closed Request") : HttpResponseStatus.valueOf(code);
    }
}
