package dev.strata.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.strata.ingest.gateway.IngestGateway;
import dev.strata.ingest.gateway.WriteOutcome;
import dev.strata.ingest.protocol.MalformedRequestException;
import dev.strata.ingest.protocol.WriteBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP metrics ({@code POST /api/v1/otlp/v1/metrics}, Prometheus 3's path): an
 * {@code ExportMetricsServiceRequest} as protobuf ({@code application/x-protobuf}) or JSON
 * ({@code application/json}), optionally {@code Content-Encoding: gzip}; decoded with the OpenTelemetry
 * project's generated classes (Maven artifact {@code io.opentelemetry.proto:opentelemetry-proto}) and
 * protobuf-java-util's JsonFormat, translated by {@link OtlpTranslator} and written through the ingest
 * gateway like remote write: 200 with an empty {@code ExportMetricsServiceResponse} (in the request's
 * encoding) only after Kafka acknowledged every sample; 400 naming the problem with nothing written;
 * 413 for an oversize body; 415 for another content type or encoding; 503 (Retry-After) when Kafka is
 * unavailable or the gateway is overloaded.
 */
public final class OtlpWriteHandler {
    private final IngestGateway gateway;
    private final Executor executor;
    private final OtlpTranslator translator;
    private final int maxBodyBytes;
    private final int maxDecompressedBytes;
    public OtlpWriteHandler(IngestGateway gateway, Executor executor, OtlpSettings settings, int maxBodyBytes,
                            int maxDecompressedBytes) {
        this.gateway = gateway;
        this.executor = executor;
        this.translator = new OtlpTranslator(settings);
        this.maxBodyBytes = maxBodyBytes;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        if (!HttpMethod.POST.equals(req.method())) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "OTLP export needs POST");
            r.headers().set(HttpHeaderNames.ALLOW, "POST");
            return CompletableFuture.completedFuture(r);
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        String media = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean json;
        if (media.equals("application/x-protobuf")) json = false;
        else if (media.equals("application/json")) json = true;
        else return CompletableFuture.completedFuture(text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported Content-Type \"" + type + "\": OTLP/HTTP needs application/x-protobuf or application/json"));
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "");
        boolean gzip = encoding.equalsIgnoreCase("gzip");
        if (!encoding.isEmpty() && !gzip && !encoding.equalsIgnoreCase("identity")) {
            return CompletableFuture.completedFuture(text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported Content-Encoding \"" + encoding + "\": use gzip or none"));
        }
        ByteBuf content = req.content();
        int len = content.readableBytes();
        if (len > maxBodyBytes) {
            return CompletableFuture.completedFuture(text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body of " + len + " bytes exceeds the limit of " + maxBodyBytes + " bytes"));
        }
        byte[] body = new byte[len];
        content.getBytes(content.readerIndex(), body);
        return CompletableFuture.supplyAsync(() -> decode(body, gzip, json), executor)
                .thenCompose(gateway::write)
                .thenApply(o -> o.status() == WriteOutcome.Status.ACCEPTED ? ok(json) : failure(o))
                .exceptionally(e -> {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    if (c instanceof MalformedRequestException) {
                        return text(HttpResponseStatus.BAD_REQUEST, c.getMessage());
                    }
                    return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + c);
                });
    }

    private WriteBatch decode(byte[] body, boolean gzip, boolean json) {
        byte[] raw = gzip ? gunzip(body) : body;
        ExportMetricsServiceRequest request;
        try {
            if (json) {
                ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
                JsonFormat.parser().ignoringUnknownFields().merge(new String(raw, StandardCharsets.UTF_8), b);
                request = b.build();
            } else {
                request = ExportMetricsServiceRequest.parseFrom(raw);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedRequestException("cannot decode the OTLP " + (json ? "JSON" : "protobuf")
                    + " request, nothing was written: " + e.getMessage(), e);
        }
        WriteBatch batch = new WriteBatch();
        translator.translate(request, batch);
        return batch;
    }

    private byte[] gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length * 4));
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > maxDecompressedBytes) {
                    throw new MalformedRequestException("gzip: decompressed body exceeds the limit of "
                            + maxDecompressedBytes + " bytes");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new MalformedRequestException("gzip: corrupt body of " + body.length + " bytes: " + e.getMessage(), e);
        }
    }

    /** An empty ExportMetricsServiceResponse: no bytes in protobuf, {} in JSON. */
    private static FullHttpResponse ok(boolean json) {
        byte[] body = json ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json" : "application/x-protobuf");
        return r;
    }

    private FullHttpResponse failure(WriteOutcome o) {
        return switch (o.status()) {
            case INVALID -> text(HttpResponseStatus.BAD_REQUEST, o.message());
            default -> {
                FullHttpResponse r = text(HttpResponseStatus.SERVICE_UNAVAILABLE, o.message());
                r.headers().setInt(HttpHeaderNames.RETRY_AFTER, gateway.config().retryAfterSeconds());
                yield r;
            }
        };
    }

    private static FullHttpResponse text(HttpResponseStatus status, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return r;
    }
}
