package dev.strata.query.api;

import dev.strata.store.json.SampleValueFormat;
import dev.strata.index.Matcher;
import dev.strata.query.storage.Queryable;
import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.Labels;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
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
 *
 * <p>Native histograms: when the request's {@code Accept} prefers the delimited protobuf format (as a
 * Prometheus with native histograms enabled sends it), the answer is in that format
 * ({@link FederateProtobuf}) and carries them: a series whose latest sample is a histogram comes as a
 * native histogram in a {@code HISTOGRAM} family ({@code GAUGE_HISTOGRAM} for the gauge reset hint),
 * float samples in {@code UNTYPED} families; a name whose series hold both kinds gets one family per run
 * of one kind. The text format cannot carry native histograms and leaves them out (as Prometheus's text
 * {@code /federate} does). Custom-bucket histograms (schema -53) are left out of both: the exposition
 * format has no field for their bounds.
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
        boolean protobuf = FederateProtobuf.accepted(req.headers().get(HttpHeaderNames.ACCEPT));
        try {
            return CompletableFuture.supplyAsync(() -> answer(r.form(), protobuf), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(text(HttpResponseStatus.SERVICE_UNAVAILABLE, "federation: too many requests in flight\n"));
        }
    }

    private FullHttpResponse answer(FormValues form, boolean protobuf) {
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
                FloatHistogram hist = h == null ? null : h[n - 1];
                if (hist != null) {
                    // The text format has no native histograms (Prometheus's text /federate omits them too);
                    // neither format has custom bucket bounds.
                    if (!protobuf || hist.usesCustomBuckets()) return;
                    latest.put(labels, new Latest(t[n - 1], Double.NaN, hist));
                    return;
                }
                double last = v[n - 1];
                if (isStale(last)) return;
                latest.put(labels, new Latest(t[n - 1], last, null));
            });
        }
        return protobuf ? protobuf(latest) : text(latest);
    }

    private FullHttpResponse text(TreeMap<Labels, Latest> latest) {
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
            for (String[] label : exposedLabels(l)) {
                out.append(first ? '{' : ',');
                first = false;
                appendLabel(out, label[0], label[1]);
            }
            out.append("} ");
            SampleValueFormat.appendValue(e.getValue().v(), out);
            out.append(' ').append(e.getValue().t()).append('\n');
        }
        FullHttpResponse resp = text(HttpResponseStatus.OK, out.toString());
        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        return resp;
    }

    /** One family per run of series of one name and one type (untyped floats, histograms, gauge histograms). */
    private FullHttpResponse protobuf(TreeMap<Labels, Latest> latest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String name = null;
        int type = -1;
        List<FederateProtobuf.Metric> metrics = new ArrayList<>();
        for (var e : latest.entrySet()) {
            Latest s = e.getValue();
            int t = FederateProtobuf.typeOf(s.h());
            if (!e.getKey().metricName().equals(name) || t != type) {
                if (!metrics.isEmpty()) FederateProtobuf.family(out, name, type, metrics);
                metrics = new ArrayList<>();
                name = e.getKey().metricName();
                type = t;
            }
            metrics.add(new FederateProtobuf.Metric(exposedLabels(e.getKey()), s.t(), s.v(), s.h()));
        }
        if (!metrics.isEmpty()) FederateProtobuf.family(out, name, type, metrics);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(out.toByteArray()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, FederateProtobuf.CONTENT_TYPE);
        return r;
    }

    /** The labels written for a series: its own but the name and empty ones, then {@code instance=""} if it has none. */
    private static List<String[]> exposedLabels(Labels l) {
        List<String[]> out = new ArrayList<>(l.size() + 1);
        boolean instance = false;
        for (int i = 0; i < l.size(); i++) {
            if (l.name(i).equals(Labels.METRIC_NAME) || l.value(i).isEmpty()) continue;
            if (l.name(i).equals("instance")) instance = true;
            out.add(new String[] {l.name(i), l.value(i)});
        }
        if (!instance) out.add(new String[] {"instance", ""});
        return out;
    }

    /** A series' latest sample: a float {@code v}, or the histogram {@code h} when not null. */
    private record Latest(long t, double v, FloatHistogram h) {}

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
