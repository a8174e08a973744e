package dev.strata.query.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Builds requests and reads responses for API tests. */
final class ApiTestSupport {
    private ApiTestSupport() {}

    record Resp(int status, String contentType, String body) {}

    static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    }

    static FullHttpRequest postForm(String uri, String body) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }

    static Resp call(PrometheusApi api, FullHttpRequest req) {
        try {
            FullHttpResponse r = api.handle(req).get(10, TimeUnit.SECONDS);
            req.release();
            String body = r.content().toString(StandardCharsets.UTF_8);
            Resp out = new Resp(r.status().code(), r.headers().get(HttpHeaderNames.CONTENT_TYPE), body);
            r.release();
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Percent-encodes a query parameter value. */
    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
