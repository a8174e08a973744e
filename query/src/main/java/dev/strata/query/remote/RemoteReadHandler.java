package dev.strata.query.remote;

import dev.strata.query.engine.QueryException;
import dev.strata.query.storage.Queryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote read ({@code POST /api/v1/read}): a snappy-compressed {@code ReadRequest} in, the
 * raw samples of each query out, as {@code SAMPLES} (snappy-compressed {@code ReadResponse}, float and
 * native histogram samples) or {@code STREAMED_XOR_CHUNKS} (framed {@code ChunkedReadResponse}s of XOR
 * chunks for float samples and Prometheus's histogram chunks for native histogram samples), whichever
 * the client lists first of the two. Reads go through the {@link Queryable} the query API uses, so across a cluster they read
 * every shard from its owners. Formats: docs/format/remote-read.md.
 *
 * <p>Limits, as Prometheus's {@code --storage.remote.read-*} flags: at most {@code sampleLimit} samples
 * per request (400 beyond, like Prometheus), streamed frames of about {@code maxBytesInFrame} bytes
 * (a frame closes after the chunk that reaches it), and the number of reads at once bounded by the
 * executor's threads (further requests wait in its queue). The response is built whole before it is
 * sent (the server sends full responses); the sample limit bounds its size.
 *
 * <p>Errors answer like Prometheus's handler: plain text, 400 for a request that cannot be read or
 * exceeds the sample limit, 503 when a shard has no ready owner (the answer would be incomplete) or the
 * executor refuses the work, 500 when storage fails otherwise.
 */
public final class RemoteReadHandler {
    /** Samples per XOR chunk, as Prometheus's head cuts them. */
    static final int SAMPLES_PER_CHUNK = 120;
    static final String STREAMED_CONTENT_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

    private final Queryable storage;
    private final Executor executor;
    private final long sampleLimit;
    private final int maxBytesInFrame;
    private final int maxDecompressedBytes;

    /**
     * @param storage what queries read (the cluster's data on a node)
     * @param executor runs the reads; its thread count is the concurrent-read limit
     * @param maxDecompressedBytes largest request after snappy decompression
     */
    public RemoteReadHandler(Queryable storage, Executor executor, long sampleLimit, int maxBytesInFrame,
                             int maxDecompressedBytes) {
        this.storage = storage;
        this.executor = executor;
        this.sampleLimit = sampleLimit;
        this.maxBytesInFrame = maxBytesInFrame;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        byte[] body = ByteBufUtil.getBytes(req.content());
        try {
            return CompletableFuture.supplyAsync(() -> answer(body), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "remote read: too many reads in flight"));
        }
    }

    private FullHttpResponse answer(byte[] body) {
        ReadRequest request;
        try {
            request = ReadRequestDecoder.decode(decompress(body));
        } catch (IllegalArgumentException e) {
            return text(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        Integer type = request.acceptedTypes().isEmpty() ? Integer.valueOf(ReadRequest.SAMPLES) : null;
        for (int t : request.acceptedTypes()) {
            if (type == null && (t == ReadRequest.SAMPLES || t == ReadRequest.STREAMED_XOR_CHUNKS)) type = t;
        }
        if (type == null) {
            return text(HttpResponseStatus.BAD_REQUEST, "none of the requested response types are supported: "
                    + request.acceptedTypes() + " (supported: 0 SAMPLES, 1 STREAMED_XOR_CHUNKS)");
        }
        for (ReadRequest.Query q : request.queries()) {
            if (q.matchers().isEmpty()) return text(HttpResponseStatus.BAD_REQUEST, "remote read: a query without matchers");
        }
        try {
            return type == ReadRequest.SAMPLES ? samples(request) : streamed(request);
        } catch (SampleLimitExceeded e) {
            return text(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (IllegalArgumentException e) {
            return text(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (QueryException e) {
            // A shard without a ready owner (the read would be incomplete): the client may retry.
            return text(e.errorType().equals("unavailable") ? HttpResponseStatus.SERVICE_UNAVAILABLE
                    : HttpResponseStatus.INTERNAL_SERVER_ERROR, "remote read failed: " + e.getMessage());
        } catch (RuntimeException e) {
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "remote read failed: " + e.getMessage());
        }
    }

    private FullHttpResponse samples(ReadRequest request) {
        ReadResponseEncoder.Message response = new ReadResponseEncoder.Message();
        long[] total = {0};
        for (ReadRequest.Query q : request.queries()) {
            ReadResponseEncoder.Message result = new ReadResponseEncoder.Message();
            storage.select(q.matchers(), q.startMs(), q.endMs(), (labels, t, v, st, h, n) -> {
                if (n == 0) return;
                count(total, n);
                result.message(1, ReadResponseEncoder.timeSeries(labels, t, v, h, n));
            });
            response.message(1, result.toByteArray());
        }
        byte[] raw = response.toByteArray();
        byte[] compressed;
        try {
            compressed = Snappy.compress(raw);
        } catch (IOException e) {
            throw new IllegalStateException("snappy compression failed: " + e.getMessage(), e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(compressed));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf");
        r.headers().set(HttpHeaderNames.CONTENT_ENCODING, "snappy");
        return r;
    }

    private FullHttpResponse streamed(ReadRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] total = {0};
        for (int qi = 0; qi < request.queries().size(); qi++) {
            ReadRequest.Query q = request.queries().get(qi);
            int queryIndex = qi;
            storage.select(q.matchers(), q.startMs(), q.endMs(), (labels, t, v, st, h, n) -> {
                if (n == 0) return;
                count(total, n);
                streamSeries(out, labels, t, v, h, n, queryIndex);
            });
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(out.toByteArray()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, STREAMED_CONTENT_TYPE);
        return r;
    }

    /**
     * One series as frames of chunks in time order: runs of float samples as XOR chunks of
     * {@link #SAMPLES_PER_CHUNK} samples, runs of histogram samples as histogram chunks (cut where
     * {@link HistogramChunkEncoder#accepts} says so); a frame closes once it reaches the frame size.
     */
    private void streamSeries(ByteArrayOutputStream out, Labels labels, long[] t, double[] v, FloatHistogram[] h, int n,
                              int queryIndex) {
        List<byte[]> chunks = new ArrayList<>();
        int frameBytes = 0;
        for (int from = 0; from < n; ) {
            int to;
            byte[] chunk;
            if (h == null || h[from] == null) {
                XorChunkEncoder enc = new XorChunkEncoder();
                for (to = from; to < n && (h == null || h[to] == null) && to - from < SAMPLES_PER_CHUNK; to++) enc.append(t[to], v[to]);
                chunk = ReadResponseEncoder.chunk(t[from], t[to - 1], 1, enc.bytes());
            } else {
                boolean afterReset = from > 0 && HistogramChunkEncoder.isReset(h[from - 1], h[from]);
                HistogramChunkEncoder enc = new HistogramChunkEncoder(h[from], afterReset);
                enc.append(t[from], h[from]);
                for (to = from + 1; to < n && h[to] != null && enc.accepts(h[to]); to++) enc.append(t[to], h[to]);
                chunk = ReadResponseEncoder.chunk(t[from], t[to - 1], enc.encoding(), enc.bytes());
            }
            from = to;
            chunks.add(chunk);
            frameBytes += chunk.length;
            if (frameBytes >= maxBytesInFrame) {
                ReadResponseEncoder.frame(out, ReadResponseEncoder.chunkedReadResponse(labels, chunks, queryIndex));
                chunks.clear();
                frameBytes = 0;
            }
        }
        if (!chunks.isEmpty()) {
            ReadResponseEncoder.frame(out, ReadResponseEncoder.chunkedReadResponse(labels, chunks, queryIndex));
        }
    }

    private void count(long[] total, int n) {
        total[0] += n;
        if (total[0] > sampleLimit) throw new SampleLimitExceeded(sampleLimit);
    }

    private byte[] decompress(byte[] body) {
        int n;
        try {
            n = Snappy.uncompressedLength(body);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("remote read: the body is not snappy-compressed (" + body.length
                    + " bytes): " + e.getMessage(), e);
        }
        if (n < 0 || n > maxDecompressedBytes) {
            throw new IllegalArgumentException("remote read: decompressed size " + n + " bytes exceeds the limit of "
                    + maxDecompressedBytes + " bytes");
        }
        try {
            return Snappy.uncompress(body);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("remote read: corrupt snappy body of " + body.length + " bytes: "
                    + e.getMessage(), e);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
    }

    /** Prometheus's answer when a read would return more samples than allowed. */
    private static final class SampleLimitExceeded extends RuntimeException {
        SampleLimitExceeded(long limit) {
            super("exceeded sample limit (" + limit + ")", null, false, false);
        }
    }
}
