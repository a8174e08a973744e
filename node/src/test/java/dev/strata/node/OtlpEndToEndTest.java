package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.NodeConfig;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real OpenTelemetry Java SDK exports counters, an up-down counter, gauges and a histogram with a
 * resource through its OTLP/HTTP exporter (protobuf, gzip) to a whole node (real Kafka and Cassandra);
 * the series Strata then serves are exactly the ones Prometheus 3's translation produces, written
 * down below. OTLP/JSON, delta temporality and exponential histograms (stored as native histograms)
 * are checked with raw requests.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class OtlpEndToEndTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void openTelemetrySdkExportsBecomePrometheusSeries(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        long seed = System.nanoTime();
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "otlp-node");
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + data, "shards=4",
                "kafka.topic=otlp-" + Long.toHexString(seed), "cassandra.keyspace=otlp_" + Long.toHexString(seed & 0xffffffffL),
                "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(),
                "node.connect-retry-interval=200ms", "otlp.promote-resource-attributes=deployment.environment")));
        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            NodeHttp.awaitReady(client, base);

            Resource resource = Resource.create(Attributes.builder()
                    .put("service.name", "checkout").put("service.namespace", "shop").put("service.instance.id", "pod-7")
                    .put("deployment.environment", "prod").put("host.name", "h1").build());
            OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                    .setEndpoint(base + "/api/v1/otlp/v1/metrics").setCompression("gzip").build();
            SdkMeterProvider provider = SdkMeterProvider.builder().setResource(resource)
                    .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                    .build();
            Meter meter = provider.get("dev.strata.test");
            LongCounter requests = meter.counterBuilder("http.server.requests").setUnit("{request}")
                    .setDescription("Requests served.").build();
            requests.add(2, Attributes.of(AttributeKey.stringKey("http.method"), "GET", AttributeKey.longKey("http.status_code"), 200L));
            requests.add(1, Attributes.of(AttributeKey.stringKey("http.method"), "GET", AttributeKey.longKey("http.status_code"), 200L));
            requests.add(1, Attributes.of(AttributeKey.stringKey("http.method"), "POST", AttributeKey.longKey("http.status_code"), 500L));
            LongCounter io = meter.counterBuilder("network.io").setUnit("By").build();
            io.add(4096);
            LongUpDownCounter queue = meter.upDownCounterBuilder("queue.size").setUnit("{item}").build();
            queue.add(7);
            queue.add(-2);
            meter.gaugeBuilder("process.memory.usage").setUnit("By").buildWithCallback(g -> g.record(1048576));
            meter.gaugeBuilder("cpu.utilization").setUnit("1")
                    .buildWithCallback(g -> g.record(0.25, Attributes.of(AttributeKey.stringKey("cpu"), "0")));
            DoubleHistogram duration = meter.histogramBuilder("http.server.duration").setUnit("ms")
                    .setExplicitBucketBoundariesAdvice(List.of(5.0, 10.0, 100.0)).build();
            for (double v : new double[] {3, 7, 50, 500}) {
                duration.record(v, Attributes.of(AttributeKey.stringKey("http.route"), "/cart"));
            }
            assertTrue(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess(), "the SDK's export succeeded");
            provider.close();

            // Prometheus 3's names and labels (UnderscoreEscapingWithSuffixes), written down.
            String[] common = {"deployment_environment", "prod", "instance", "pod-7", "job", "shop/checkout"};
            List<String> expected = sorted(
                    series("cpu_utilization_ratio", "0.25", common, "cpu", "0"),
                    series("http_server_duration_milliseconds_bucket", "1", common, "http_route", "/cart", "le", "5"),
                    series("http_server_duration_milliseconds_bucket", "2", common, "http_route", "/cart", "le", "10"),
                    series("http_server_duration_milliseconds_bucket", "3", common, "http_route", "/cart", "le", "100"),
                    series("http_server_duration_milliseconds_bucket", "4", common, "http_route", "/cart", "le", "+Inf"),
                    series("http_server_duration_milliseconds_count", "4", common, "http_route", "/cart"),
                    series("http_server_duration_milliseconds_sum", "560", common, "http_route", "/cart"),
                    series("http_server_requests_total", "3", common, "http_method", "GET", "http_status_code", "200"),
                    series("http_server_requests_total", "1", common, "http_method", "POST", "http_status_code", "500"),
                    series("network_io_bytes_total", "4096", common),
                    series("process_memory_usage_bytes", "1048576", common),
                    series("queue_size", "5", common),
                    series("target_info", "1", common, "host_name", "h1"));
            assertEquals(expected, awaitSeries(base, "{job=\"shop/checkout\"}", expected.size()));

            // Metadata as Prometheus 3 records it (type; unit by the unit namer; description as help),
            // through Kafka and the flush into Cassandra, then /api/v1/metadata.
            String metadata = "{\"cpu_utilization_ratio\":[{\"type\":\"gauge\",\"help\":\"\",\"unit\":\"\"}],"
                    + "\"http_server_duration_milliseconds\":[{\"type\":\"histogram\",\"help\":\"\",\"unit\":\"milliseconds\"}],"
                    + "\"http_server_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests served.\",\"unit\":\"\"}],"
                    + "\"network_io_bytes_total\":[{\"type\":\"counter\",\"help\":\"\",\"unit\":\"bytes\"}],"
                    + "\"process_memory_usage_bytes\":[{\"type\":\"gauge\",\"help\":\"\",\"unit\":\"bytes\"}],"
                    + "\"queue_size\":[{\"type\":\"gauge\",\"help\":\"\",\"unit\":\"\"}],"
                    + "\"target_info\":[{\"type\":\"gauge\",\"help\":\"Target metadata\",\"unit\":\"\"}]}";
            assertEquals("{\"status\":\"success\",\"data\":" + metadata + "}", awaitBody(base + "/api/v1/metadata", metadata));

            // OTLP/JSON: a gauge and a summary, identifying attributes kept off target_info.
            long nowNs = System.currentTimeMillis() * 1_000_000L;
            String json = """
                    {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"batch"}}]},
                     "scopeMetrics":[{"scope":{"name":"s"},"metrics":[
                      {"name":"jobs.pending","unit":"{job}","gauge":{"dataPoints":[{"timeUnixNano":"%1$d","asInt":"12"}]}},
                      {"name":"latency","unit":"s","summary":{"dataPoints":[{"timeUnixNano":"%1$d","count":"10","sum":4.5,
                        "quantileValues":[{"quantile":0.5,"value":0.3},{"quantile":0.99,"value":1.25}]}]}}]}]}]}
                    """.formatted(nowNs);
            HttpResponse<String> r = post(base, "application/json", json);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("{}", r.body());
            assertEquals(List.of(
                    "{\"__name__\":\"jobs_pending\",\"job\":\"batch\"} 12",
                    "{\"__name__\":\"latency_seconds\",\"job\":\"batch\",\"quantile\":\"0.5\"} 0.3",
                    "{\"__name__\":\"latency_seconds\",\"job\":\"batch\",\"quantile\":\"0.99\"} 1.25",
                    "{\"__name__\":\"latency_seconds_count\",\"job\":\"batch\"} 10",
                    "{\"__name__\":\"latency_seconds_sum\",\"job\":\"batch\"} 4.5"), awaitSeries(base, "{job=\"batch\"}", 5));

            // Delta temporality: 400 naming the metrics, nothing written.
            String delta = """
                    {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
                      {"name":"d.sum","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[{"timeUnixNano":"%1$d","asInt":"1"}]}},
                      {"name":"x.hist","exponentialHistogram":{"aggregationTemporality":1,"dataPoints":[{"timeUnixNano":"%1$d","count":"1"}]}},
                      {"name":"ok.gauge","gauge":{"dataPoints":[{"timeUnixNano":"%1$d","asInt":"1"}]}}]}]}]}
                    """.formatted(nowNs);
            HttpResponse<String> rejected = post(base, "application/json", delta);
            assertEquals(400, rejected.statusCode(), rejected.body());
            assertTrue(rejected.body().contains("\"d.sum\" (a sum with delta temporality)"), rejected.body());
            assertTrue(rejected.body().contains("\"x.hist\" (an exponential histogram with delta temporality)"), rejected.body());
            assertEquals(415, post(base, "text/plain", "x").statusCode());
            assertEquals(400, post(base, "application/x-protobuf", "\u0008\u00ff").statusCode());
            assertEquals("{\"status\":\"success\",\"data\":[]}", NodeHttp.getOk(client, base + "/api/v1/series?match[]=" + enc("ok_gauge")));

            // A cumulative exponential histogram is stored as a native histogram series under its bare name.
            String exponential = """
                    {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
                      {"name":"e.hist","unit":"s","exponentialHistogram":{"aggregationTemporality":2,"dataPoints":[
                        {"timeUnixNano":"%1$d","count":"3","sum":1.5,"scale":0,"zeroCount":"1","positive":{"offset":0,"bucketCounts":["2"]}}]}}]}]}]}
                    """.formatted(nowNs);
            HttpResponse<String> accepted = post(base, "application/json", exponential);
            assertEquals(200, accepted.statusCode(), accepted.body());
            String stored = "";
            for (int i = 0; i < 300 && !stored.contains("e_hist_seconds"); i++) {
                stored = NodeHttp.getOk(client, base + "/api/v1/series?match[]=" + enc("e_hist_seconds"));
                if (!stored.contains("e_hist_seconds")) Thread.sleep(200);
            }
            assertTrue(stored.contains("\"__name__\":\"e_hist_seconds\""), stored);
        }
    }

    /** "labels-json value" as the query API writes it: labels sorted by name. */
    private static String series(String name, String value, String[] common, String... more) {
        java.util.TreeMap<String, String> l = new java.util.TreeMap<>();
        l.put("__name__", name);
        for (int i = 0; i < common.length; i += 2) l.put(common[i], common[i + 1]);
        for (int i = 0; i < more.length; i += 2) l.put(more[i], more[i + 1]);
        StringBuilder b = new StringBuilder("{");
        for (var e : l.entrySet()) {
            if (b.length() > 1) b.append(',');
            b.append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
        }
        return b.append("} ").append(value).toString();
    }

    private static List<String> sorted(String... s) {
        List<String> out = new java.util.ArrayList<>(List.of(s));
        java.util.Collections.sort(out);
        return out;
    }

    private HttpResponse<String> post(String base, String type, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/otlp/v1/metrics")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Each series of {@code selector} as "labels-json value", sorted, once {@code n} are queryable. */
    private List<String> awaitSeries(String base, String selector, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> got = List.of();
        while (System.currentTimeMillis() < deadline) {
            String body = NodeHttp.getOk(client, base + "/api/v1/query?query=" + enc("last_over_time(" + selector + "[10m])"));
            got = new java.util.ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"metric\":(\\{[^}]*}),\"value\":\\[[0-9.]+,\"([^\"]+)\"]}")
                    .matcher(body);
            while (m.find()) got.add(m.group(1) + " " + m.group(2));
            java.util.Collections.sort(got);
            if (got.size() >= n) return got;
            Thread.sleep(200);
        }
        return got;
    }

    /** The body of {@code url} once it contains {@code expected} (the flush lands metadata in Cassandra seconds later), or the last one. */
    private String awaitBody(String url, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        String body = "";
        while (System.currentTimeMillis() < deadline) {
            body = NodeHttp.getOk(client, url);
            if (body.contains(expected)) return body;
            Thread.sleep(500);
        }
        return body;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
