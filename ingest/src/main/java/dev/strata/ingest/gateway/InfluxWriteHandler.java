package dev.strata.ingest.gateway;

import dev.strata.store.json.JsonWriter;
import dev.strata.store.http.Responses;
import dev.strata.ingest.protocol.DecodeLimits;
import dev.strata.ingest.protocol.InfluxLineDecoder;
import dev.strata.ingest.protocol.InfluxPrecision;
import dev.strata.ingest.protocol.MalformedRequestException;
import dev.strata.ingest.protocol.RequestTooLargeException;
import dev.strata.ingest.protocol.WriteBatch;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /api/v2/write} and {@code POST /write}: InfluxDB line protocol (see
 * {@link InfluxLineDecoder} for the mapping to series). Query parameter {@code precision}
 * (ns default; us, ms, s; v1 spellings n, u, m, h too); {@code Content-Encoding: gzip} accepted.
 * Answers 204 after Kafka acknowledged everything, 400 with an Influx-style JSON error
 * ({@code {"code":"invalid","message":...}}) and nothing written, 503 when Kafka is unavailable.
 */
public final class InfluxWriteHandler {
    private final IngestGateway gateway;
    private final Executor executor;
    private final int maxBodyBytes;
    private final int maxDecompressedBytes;
    private final DecodeLimits limits;

    /**
     * @param maxDecompressedBytes a gzip body is inflated up to this many bytes (413 above it)
     * @param limits               labels per series, series and samples per request, checked while decoding
     */
    public InfluxWriteHandler(IngestGateway gateway, Executor executor, int maxBodyBytes, int maxDecompressedBytes,
                              DecodeLimits limits) {
        this.gateway = gateway;
        this.executor = executor;
        this.maxBodyBytes = maxBodyBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.limits = limits;
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        if (!HttpMethod.POST.equals(req.method())) {
            return done(error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed", "line protocol writes need POST"));
        }
        InfluxPrecision precision;
        try {
            List<String> p = new QueryStringDecoder(req.uri()).parameters().get("precision");
            precision = InfluxPrecision.parse(p == null || p.isEmpty() ? null : p.get(0));
        } catch (MalformedRequestException e) {
            return done(error(HttpResponseStatus.BAD_REQUEST, "invalid", e.getMessage()));
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        boolean gzip = encoding != null && encoding.equalsIgnoreCase("gzip");
        if (encoding != null && !encoding.isEmpty() && !gzip && !encoding.equalsIgnoreCase("identity")) {
            return done(error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported media type",
                    "unsupported Content-Encoding \"" + encoding + "\": use gzip or none"));
        }
        ByteBuf content = req.content();
        int len = content.readableBytes();
        if (len > maxBodyBytes) {
            return done(error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request too large",
                    "body of " + len + " bytes exceeds the limit of " + maxBodyBytes + " bytes"));
        }
        byte[] body = new byte[len];
        content.getBytes(content.readerIndex(), body);
        final InfluxPrecision prec = precision;
        CompletableFuture<WriteBatch> decoded;
        try {
            decoded = CompletableFuture.supplyAsync(() -> {
                byte[] raw = gzip ? gunzip(body) : body;
                WriteBatch batch = new WriteBatch(limits);
                InfluxLineDecoder.decode(raw, 0, raw.length, prec, gateway.nowMs(), batch);
                return batch;
            }, executor);
        } catch (RejectedExecutionException e) {
            FullHttpResponse r = error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                    "the gateway's decode queue is full; retry later");
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, gateway.config().retryAfterSeconds());
            return done(r);
        }
        return decoded
                .thenCompose(gateway::write)
                .thenApply(o -> switch (o.status()) {
                    case ACCEPTED -> HttpResponses.empty(HttpResponseStatus.NO_CONTENT);
                    case INVALID -> error(HttpResponseStatus.BAD_REQUEST, "invalid", o.message());
                    case TOO_LARGE -> error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request too large", o.message());
                    case UNAVAILABLE, OVERLOADED -> {
                        FullHttpResponse r = error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", o.message());
                        r.headers().setInt(HttpHeaderNames.RETRY_AFTER, gateway.config().retryAfterSeconds());
                        yield r;
                    }
                })
                .exceptionally(e -> {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    if (c instanceof RequestTooLargeException) {
                        return error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request too large",
                                "nothing was written: " + c.getMessage());
                    }
                    if (c instanceof MalformedRequestException) {
                        return error(HttpResponseStatus.BAD_REQUEST, "invalid", "nothing was written: " + c.getMessage());
                    }
                    return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", c.toString());
                });
    }

    /** Inflates a gzip body; more than maxDecompressedBytes fails it (read in steps: the cap bounds the memory). */
    private byte[] gunzip(byte[] body) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes(maxDecompressedBytes);
            if (in.read() >= 0) {
                throw new RequestTooLargeException("the gzip body inflates to more than " + maxDecompressedBytes
                        + " bytes (ingest.max-decompressed-bytes)");
            }
            return out;
        } catch (IOException e) {
            throw new MalformedRequestException("corrupt gzip body: " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<FullHttpResponse> done(FullHttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    static FullHttpResponse error(HttpResponseStatus status, String code, String message) {
        JsonWriter w = new JsonWriter(64 + message.length());
        w.raw("{\"code\":").string(code).raw(",\"message\":").string(message).raw('}');
        return Responses.json(status, w);
    }
}
