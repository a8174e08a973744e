package dev.strata.query.api;

import dev.strata.store.json.SampleValueFormat;
import dev.strata.index.Matcher;
import dev.strata.query.storage.Queryable;
import dev.strata.store.model.Labels;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * Prometheus federation ({@code GET|POST /federate?match[]=...}): the latest sample of every series
 * matching any {@code match[]} selector, as Prometheus's text exposition format 0.0.4, like Prometheus's
 * handler:
 * <ul>
 *   <li>a series' latest sample in (now - lookback delta, now]; series whose latest sample is a
 *       staleness marker are left out (the format cannot carry one);</li>
 *   <li>one {@code # TYPE <name> untyped} family per metric name, families by name, series by labels;
 *       nameless series and empty label values are left out;</li>
 *   <li>each series with its stored labels (so {@code job} and {@code instance} as they were ingested),
 *       and {@code instance=""} appended when it has none (Prometheus appends its external labels, of
 *       which {@code instance} always is one; Strata has no other external labels);</li>
 *   <li>each sample with its timestamp in milliseconds.</li>
 * </ul>
 * A scraping Prometheus with {@code honor_labels: true} keeps those labels; without it, they become
 * {@code exported_job} / {@code exported_instance} (scrape-side behaviour). No {@code match[]} answers
 * an empty body, an unparsable selector 400 in plain text. Values are written in the shortest form that
 * reads back as the same double ({@link SampleValueFormat}).
 */
public final class FederateEndpoint {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Queryable storage;
    private final Executor executor;
    private final long lookbackMs;
    private final LongSupplier clockMs;

    public FederateEndpoint(Queryable storage, Executor executor, long lookbackMs, LongSupplier clockMs) {
        this.storage = storage;
        this.executor = executor;
        this.lookbackMs = lookbackMs;
        this.clockMs = clockMs;
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        ApiRequest r = ApiRequest.from(req, System.nanoTime());
        try {
            return CompletableFuture.supplyAsync(() -> answer(r.form()), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(text(HttpResponseStatus.SERVICE_UNAVAILABLE, "federation: too many requests in flight\n"));
        }
    }

    private FullHttpResponse answer(FormValues form) {
        List<List<Matcher>> sets;
        try {
            sets = RequestParams.matcherSets(form);
        } catch (ApiException e) {
            return text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
        }
        long maxT = clockMs.getAsLong();
        long minT = maxT - lookbackMs + 1; // the lookback window is left-open
        // Latest sample per series, series deduplicated across the selectors; ordered by name, then labels.
        TreeMap<Labels, Latest> latest = new TreeMap<>(FederateEndpoint::byNameThenLabels);
        for (List<Matcher> set : sets) {
            storage.select(set, minT, maxT, (labels, t, v, st, h, n) -> {
                if (n == 0 || labels.metricName() == null || labels.metricName().isEmpty()) return;
                // The text exposition format has no native histograms (Prometheus's text /federate omits them too).
                if (h != null && h[n - 1] != null) return;
                double last = v[n - 1];
                if (isStale(last)) return;
                latest.put(labels, new Latest(t[n - 1], last));
            });
        }
        StringBuilder out = new StringBuilder();
        String family = null;
        for (var e : latest.entrySet()) {
            Labels l = e.getKey();
            String name = l.metricName();
            if (!name.equals(family)) {
                out.append("# TYPE ").append(name).append(" untyped\n");
                family = name;
            }
            out.append(name);
            boolean first = true;
            boolean instance = false;
            for (int i = 0; i < l.size(); i++) {
                if (l.name(i).equals(Labels.METRIC_NAME) || l.value(i).isEmpty()) continue;
                if (l.name(i).equals("instance")) instance = true;
                out.append(first ? '{' : ',');
                first = false;
                appendLabel(out, l.name(i), l.value(i));
            }
            if (!instance) {
                out.append(first ? '{' : ',');
                first = false;
                appendLabel(out, "instance", "");
            }
            out.append("} ");
            SampleValueFormat.appendValue(e.getValue().v(), out);
            out.append(' ').append(e.getValue().t()).append('\n');
        }
        FullHttpResponse resp = text(HttpResponseStatus.OK, out.toString());
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        return resp;
    }

    private record Latest(long t, double v) {}

    private static int byNameThenLabels(Labels a, Labels b) {
        int c = a.metricName().compareTo(b.metricName());
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == 0x7ff0000000000002L;
    }

    /** {@code name="value"} with the text format's escapes in the value: backslash, double quote, newline. */
    private static void appendLabel(StringBuilder out, String name, String value) {
        out.append(name).append("=\"");
        Labels.escape(value, out);
        out.append('"');
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return r;
    }
}
