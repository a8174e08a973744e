package dev.strata.benchmarks.query;

import dev.strata.query.api.ApiSettings;
import dev.strata.query.api.BuildInfo;
import dev.strata.query.api.PrometheusApi;
import dev.strata.query.api.QueryEvaluator;
import dev.strata.query.api.QueryableMetadataSource;
import dev.strata.query.api.ResultJson;
import dev.strata.query.engine.QueryResult;
import dev.strata.store.json.JsonWriter;
import dev.strata.query.engine.QueryOptions;
import dev.strata.query.parser.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a small query (a few series) spends its CPU, end to end in one process: for each query the
 * thread CPU time of nested stages, alternated stage by stage within each repetition, medians:
 * <ol>
 *   <li>{@code parse}: {@link Parser#parseWithPositions} alone;</li>
 *   <li>{@code engine}: the engine's query (parse, plan, index lookup, chunk reads, evaluation);</li>
 *   <li>{@code json}: {@link ResultJson#result} alone, on the engine's answer (part of {@code api});</li>
 *   <li>{@code api}: {@link PrometheusApi#handle} on an already decoded Netty request (URL and
 *       parameter parsing, the validating parse, the engine, JSON into a response buffer);</li>
 *   <li>{@code http}: the request's bytes through Netty's HTTP server codec and aggregator into the API,
 *       and the response encoded back to bytes (no sockets; an {@link EmbeddedChannel}).</li>
 * </ol>
 * The differences between api, engine and http are the cost of each layer. The data is {@link RateSumData}
 * with {@code series} counters {@code m{job,instance}} at 15 s; {@code m{instance="i0"}} stands in for
 * {@code up} (one series). The API runs its work on the calling thread (a direct executor) so all of it
 * is on the measured thread. Run from the repo root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.strata.benchmarks.query.SmallQueryProbe [reps] [series]};
 * for a profile add {@code -XX:StartFlightRecording=duration=60s,filename=/tmp/q.jfr,settings=profile}.
 */
public final class SmallQueryProbe {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    /** One probed request: an instant query at the data's end or a 1 h range at 15 s. */
    private record Probe(String query, boolean range) {
        String uri() {
            String q = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
            return range
                    ? "/api/v1/query_range?" + q + "&start=" + RateSumData.START / 1000 + "&end=" + RateSumData.END / 1000 + "&step=15"
                    : "/api/v1/query?" + q + "&time=" + RateSumData.END / 1000;
        }

        String label() {
            return (range ? "range 1h/15s " : "instant      ") + query;
        }
    }

    private static final Probe[] PROBES = {
        new Probe("m{instance=\"i0\"}", false),
        new Probe("rate(m[5m])", false),
        new Probe("rate(m[5m])", true),
        new Probe("sum(rate(m[5m]))", false),
        new Probe("sum(rate(m[5m]))", true),
    };

    private SmallQueryProbe() {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 2001;
        int series = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (RateSumData data = new RateSumData(series)) {
            QueryOptions opts = QueryOptions.defaults().withTimeoutMs(0);
            PrometheusApi api = new PrometheusApi(QueryEvaluator.of(data.engine), new QueryableMetadataSource(data.storage),
                    new ApiSettings(opts, BuildInfo.of("probe", "", "", "", ""), Map.of(), "15d", 0, ApiSettings.ANY_ORIGIN),
                    Runnable::run, () -> RateSumData.END);
            EmbeddedChannel http = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new ApiHandler(api));
            System.out.printf(Locale.ROOT, "series=%d reps=%d; thread CPU per query, median (microseconds)%n", series, reps);
            System.out.printf(Locale.ROOT, "%-36s %8s %8s %8s %8s %8s   %s%n", "query", "parse", "engine", "json", "api", "http", "response bytes");
            for (Probe p : PROBES) {
                String uri = p.uri();
                byte[] wire = ("GET " + uri + " HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: identity\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                Supplier<Object> parse = () -> Parser.parseWithPositions(p.query());
                Supplier<Object> engine = () -> p.range()
                        ? data.engine.rangeQuery(p.query(), RateSumData.START, RateSumData.END, RateSumData.STEP, opts)
                        : data.engine.instantQuery(p.query(), RateSumData.END, opts);
                QueryResult answer = (QueryResult) engine.get();
                Supplier<Object> json = () -> {
                    JsonWriter w = new JsonWriter(1024);
                    ResultJson.result(answer.value(), w);
                    return w.size();
                };
                Supplier<Object> apiCall = () -> {
                    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
                    FullHttpResponse resp = api.handle(req).join();
                    int n = resp.content().readableBytes();
                    resp.release();
                    return n;
                };
                Supplier<Object> httpCall = () -> {
                    http.writeInbound(Unpooled.wrappedBuffer(wire));
                    int n = 0;
                    for (Object o; (o = http.readOutbound()) != null; ) {
                        ByteBuf b = (ByteBuf) o;
                        n += b.readableBytes();
                        b.release();
                    }
                    return n;
                };
                @SuppressWarnings("unchecked") Supplier<Object>[] stages = new Supplier[] {parse, engine, json, apiCall, httpCall};
                double[][] us = new double[stages.length][reps];
                for (int i = 0; i < Math.max(2000, reps); i++) {
                    for (Supplier<Object> s : stages) s.get();
                }
                for (int i = 0; i < reps; i++) {
                    for (int k = 0; k < stages.length; k++) {
                        long c0 = MX.getCurrentThreadCpuTime();
                        stages[k].get();
                        us[k][i] = (MX.getCurrentThreadCpuTime() - c0) / 1e3;
                    }
                }
                System.out.printf(Locale.ROOT, "%-36s %8.1f %8.1f %8.1f %8.1f %8.1f   %s / %s%n", p.label(), median(us[0]), median(us[1]),
                        median(us[2]), median(us[3]), median(us[4]), apiCall.get(), httpCall.get());
            }
            http.finishAndReleaseAll();
        }
    }

    /** Hands each aggregated request to the API and writes its answer back (the node's router, minus routing). */
    private static final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final PrometheusApi api;

        ApiHandler(PrometheusApi api) {
            this.api = api;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            ctx.writeAndFlush(api.handle(req).join());
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
