package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.DecodeLimits;
import dev.strata.ingest.protocol.MalformedRequestException;
import dev.strata.ingest.protocol.RequestTooLargeException;
import dev.strata.ingest.protocol.RemoteWrite1Decoder;
import dev.strata.ingest.protocol.RemoteWrite2Decoder;
import dev.strata.ingest.protocol.SnappyBlock;
import dev.strata.ingest.protocol.WriteBatch;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 and 2.0, chosen by Content-Type:
 * <ul>
 *   <li>{@code application/x-protobuf} or {@code ...;proto=prometheus.WriteRequest} (or no
 *       Content-Type): 1.0 {@code prometheus.WriteRequest};</li>
 *   <li>{@code application/x-protobuf;proto=io.prometheus.write.v2.Request}: 2.0;</li>
 *   <li>anything else: 415 (a 2.0 sender then falls back to 1.0).</li>
 * </ul>
 * Content-Encoding must be {@code snappy} (absent is taken as snappy, as Prometheus does). Answers
 * 204 once Kafka acknowledged every sample (float and native histogram samples); 400 naming the
 * problem (nothing written; also for an invalid native histogram); 413 for an
 * oversize body, decompressed size, series or sample count, or a series larger than a Kafka record; 503 when Kafka is unavailable or the gateway is overloaded (with Retry-After).
 * 2.0 responses (and errors) carry {@code X-Prometheus-Remote-Write-Samples-Written},
 * {@code -Histograms-Written} (the float and the native histogram samples written: all of the
 * request's on success, 0 otherwise) and {@code -Exemplars-Written} (always 0: exemplars are not stored).
 *
 * <p>{@link #handle} copies the body synchronously (the caller may release the request as soon as
 * it returns) and decodes on {@code executor}.
 */
public final class RemoteWriteHandler {
    public static final String PROTO_V1 = "prometheus.WriteRequest";
    public static final String PROTO_V2 = "io.prometheus.write.v2.Request";
    public static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
    public static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
    public static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";

    private final IngestGateway gateway;
    private final Executor executor;
    private final int maxBodyBytes;
    private final int maxDecompressedBytes;
    private final DecodeLimits limits;

    /**
     * @param maxDecompressedBytes the snappy block's declared size is checked against this before
     *                             anything is allocated (413 above it)
     * @param limits               labels per series, series and samples per request, checked while decoding
     */
    public RemoteWriteHandler(IngestGateway gateway, Executor executor, int maxBodyBytes, int maxDecompressedBytes,
                              DecodeLimits limits) {
        this.gateway = gateway;
        this.executor = executor;
        this.maxBodyBytes = maxBodyBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.limits = limits;
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        if (!HttpMethod.POST.equals(req.method())) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "remote write needs POST\n");
            r.headers().set(HttpHeaderNames.ALLOW, "POST");
            return CompletableFuture.completedFuture(r);
        }
        int version;
        try {
            version = protocolVersion(req.headers().get(HttpHeaderNames.CONTENT_TYPE));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(HttpResponses.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage() + "\n"));
        }
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        if (encoding != null && !encoding.isEmpty() && !encoding.equalsIgnoreCase("snappy")) {
            return CompletableFuture.completedFuture(withV2Headers(version, HttpResponses.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported Content-Encoding \"" + encoding + "\": remote write bodies must be snappy\n"), 0));
        }
        ByteBuf content = req.content();
        int len = content.readableBytes();
        if (len > maxBodyBytes) {
            return CompletableFuture.completedFuture(withV2Headers(version, HttpResponses.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body of " + len + " bytes exceeds the limit of " + maxBodyBytes + " bytes\n"), 0));
        }
        byte[] body = new byte[len];
        content.getBytes(content.readerIndex(), body);
        final int v = version;
        CompletableFuture<WriteBatch> decoded;
        try {
            decoded = CompletableFuture.supplyAsync(() -> decode(body, v), executor);
        } catch (RejectedExecutionException e) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the gateway's decode queue is full; retry later\n");
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, gateway.config().retryAfterSeconds());
            return CompletableFuture.completedFuture(withV2Headers(v, r, 0));
        }
        return decoded
                .thenCompose(batch -> gateway.write(batch).thenApply(o -> {
                    // the outcome counts every sample; of an accepted request, the batch's histograms are among them
                    int histograms = o.status() == WriteOutcome.Status.ACCEPTED ? batch.totalHistograms() : 0;
                    return withV2Headers(v, respond(o), o.samples() - histograms, histograms);
                }))
                .exceptionally(e -> {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    if (c instanceof RequestTooLargeException) {
                        return withV2Headers(v, HttpResponses.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                                "the remote write request is too large, nothing was written: " + c.getMessage() + "\n"), 0);
                    }
                    if (c instanceof MalformedRequestException) {
                        return withV2Headers(v, HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                                "cannot decode the remote write request, nothing was written: " + c.getMessage() + "\n"), 0);
                    }
                    return withV2Headers(v, HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "internal error: " + c + "\n"), 0);
                });
    }

    private WriteBatch decode(byte[] body, int version) {
        byte[] raw = SnappyBlock.decompress(body, 0, body.length, maxDecompressedBytes);
        WriteBatch batch = new WriteBatch(limits);
        if (version == 2) RemoteWrite2Decoder.decode(raw, 0, raw.length, batch);
        else RemoteWrite1Decoder.decode(raw, 0, raw.length, batch);
        return batch;
    }

    private FullHttpResponse respond(WriteOutcome o) {
        HttpResponseStatus status = HttpResponses.statusOf(o);
        FullHttpResponse r = o.status() == WriteOutcome.Status.ACCEPTED
                ? HttpResponses.empty(status) : HttpResponses.text(status, o.message() + "\n");
        if (status.code() == 503) r.headers().setInt(HttpHeaderNames.RETRY_AFTER, gateway.config().retryAfterSeconds());
        return r;
    }

    private static FullHttpResponse withV2Headers(int version, FullHttpResponse r, int samplesWritten) {
        return withV2Headers(version, r, samplesWritten, 0);
    }

    private static FullHttpResponse withV2Headers(int version, FullHttpResponse r, int samplesWritten, int histogramsWritten) {
        if (version == 2) {
            r.headers().setInt(SAMPLES_WRITTEN, samplesWritten);
            r.headers().setInt(HISTOGRAMS_WRITTEN, histogramsWritten);
            r.headers().setInt(EXEMPLARS_WRITTEN, 0);
        }
        return r;
    }

    /** 1 or 2 from a Content-Type header; IllegalArgumentException (-> 415) naming it otherwise. */
    static int protocolVersion(String contentType) {
        if (contentType == null || contentType.isBlank()) return 1;
        String[] parts = contentType.split(";");
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/x-protobuf")) {
            throw new IllegalArgumentException("unsupported Content-Type \"" + contentType
                    + "\": expected application/x-protobuf;proto=" + PROTO_V1 + " or ;proto=" + PROTO_V2);
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("proto")) continue;
            String proto = p.substring(eq + 1).trim().replace("\"", "");
            if (proto.equals(PROTO_V1)) return 1;
            if (proto.equals(PROTO_V2)) return 2;
            throw new IllegalArgumentException("unsupported remote write message \"" + proto + "\": expected "
                    + PROTO_V1 + " or " + PROTO_V2);
        }
        return 1;
    }
}
