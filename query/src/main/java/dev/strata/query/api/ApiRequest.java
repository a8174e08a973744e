package dev.strata.query.api;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/**
 * What a handler needs from an HTTP request, copied out of Netty's buffers on the calling thread so
 * the request can be released as soon as {@link PrometheusApi#handle} returns.
 *
 * @param path the URL path, percent-decoded (as Go's {@code URL.Path}, which Prometheus routes on)
 * @param receivedNanos {@link System#nanoTime()} when the request arrived (queue time, timeouts)
 * @param origin the {@code Origin} header, null when absent
 * @param noCacheHeader the request's {@code Cache-Control} asks for {@code no-cache} (bypasses the results cache)
 */
public record ApiRequest(HttpMethod method, String path, FormValues form, long receivedNanos, String origin,
                         boolean noCacheHeader) {

    public static ApiRequest from(FullHttpRequest req, long receivedNanos) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        int hash = query == null ? -1 : query.indexOf('#');
        if (hash >= 0) query = query.substring(0, hash);
        String body = null;
        if (HttpMethod.POST.equals(req.method()) && isForm(req.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            body = req.content().toString(StandardCharsets.UTF_8);
        }
        String path = decodePath(rawPath);
        return new ApiRequest(req.method(), path == null ? rawPath : path, FormValues.parse(body, query), receivedNanos,
                req.headers().get(HttpHeaderNames.ORIGIN),
                req.headers().containsValue(HttpHeaderNames.CACHE_CONTROL, "no-cache", true));
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) return false;
        int semi = contentType.indexOf(';');
        String mime = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return mime.equalsIgnoreCase("application/x-www-form-urlencoded");
    }

    /** Percent-decoding of a path ({@code +} stays a plus); null when malformed. */
    private static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        return FormValues.decode(raw.replace("+", "%2B"));
    }
}
