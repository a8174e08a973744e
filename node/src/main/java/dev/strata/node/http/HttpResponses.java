package dev.strata.node.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Building responses: plain text, JSON, and errors in the Prometheus API's JSON shape. */
public final class HttpResponses {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    private HttpResponses() {}

    public static FullHttpResponse of(HttpResponseStatus status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return r;
    }

    public static FullHttpResponse text(HttpResponseStatus status, String body) {
        return of(status, TEXT, body);
    }

    /**
     * {@code {"status":"error","errorType":"...","error":"..."}} as the Prometheus HTTP API answers errors.
     * errorType is one of Prometheus's: bad_data, execution, internal, not_found, unavailable, timeout, canceled.
     */
    public static FullHttpResponse error(HttpResponseStatus status, String errorType, String message) {
        return of(status, JSON, "{\"status\":\"error\",\"errorType\":" + jsonString(errorType) + ",\"error\":"
                + jsonString(message) + "}");
    }

    /** A JSON string literal (quotes included) for {@code s}. */
    public static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
