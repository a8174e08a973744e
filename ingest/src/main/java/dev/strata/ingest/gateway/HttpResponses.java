package dev.strata.ingest.gateway;

import dev.strata.store.http.Responses;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The receivers' HTTP answers, built by {@link Responses} (the one response builder), and their statuses. */
public final class HttpResponses {
    private HttpResponses() {}

    public static FullHttpResponse empty(HttpResponseStatus status) {
        return Responses.empty(status);
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return Responses.text(status, body);
    }

    public static FullHttpResponse json(HttpResponseStatus status, String body) {
        return Responses.of(status, Responses.JSON, body);
    }

    public static FullHttpResponse body(HttpResponseStatus status, String contentType, String body) {
        return Responses.of(status, contentType, body);
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
