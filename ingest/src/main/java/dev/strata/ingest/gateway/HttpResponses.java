package dev.strata.ingest.gateway;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Small builders for the receivers' HTTP responses. */
public final class HttpResponses {
    private HttpResponses() {}

    public static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return body(status, "text/plain; charset=utf-8", body);
    }

    public static FullHttpResponse json(HttpResponseStatus status, String body) {
        return body(status, "application/json", body);
    }

    public static FullHttpResponse body(HttpResponseStatus status, String contentType, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
        return r;
    }

    /** Maps a gateway outcome to its status: 204, 400, 413, or 503 (with Retry-After when overloaded). */
    public static HttpResponseStatus statusOf(WriteOutcome o) {
        return switch (o.status()) {
            case ACCEPTED -> HttpResponseStatus.NO_CONTENT;
            case INVALID -> HttpResponseStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case UNAVAILABLE, OVERLOADED -> HttpResponseStatus.SERVICE_UNAVAILABLE;
        };
    }
}
