package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.ui.Browser;
import dev.strata.store.model.Labels;
import dev.strata.testkit.CassandraExtension;
import dev.strata.testkit.CassandraNode;
import dev.strata.testkit.KafkaBroker;
import dev.strata.testkit.KafkaExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.xerial.snappy.Snappy;

/**
 * The web UI of a whole node (real Kafka broker and Cassandra node) in headless Chromium: the node
 * holds known series written by remote write; the test types a query with autocompletion, reads the
 * table's values and the graph's series, hits the series limit, inserts a selector from the metric
 * explorer, and sees every shard ready on the cluster page, the series count on the cardinality page
 * and every shard on the ingestion page. {@code /api/v1/status/tsdb} is checked against the written
 * series. Screenshots: node/target/ui-screenshots/.
 */
@ExtendWith({KafkaExtension.class, CassandraExtension.class})
class UiBrowserTest {
    private static final int SHARDS = 4;
    private static final int STEPS = 121; // 30 minutes at 15 s
    private static final String[] ROOMS = {"attic", "cellar", "hall", "kitchen"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void queryGraphExplorerClusterCardinalityAndIngestionPages(KafkaBroker kafka, CassandraNode cassandra) throws Exception {
        Path data = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ui-node");
        String id = Long.toHexString(System.nanoTime());
        NodeConfig config = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of(
                "http.port=0", "http.bind=127.0.0.1", "data.dir=" + data, "shards=" + SHARDS, "kafka.topic=ui-" + id,
                "cassandra.keyspace=ui_" + id, "flush.interval=2s", "kafka.bootstrap=" + kafka.bootstrapServers(),
                "cassandra.contact-points=" + cassandra.host() + ":" + cassandra.port(), "node.connect-retry-interval=200ms",
                // its samples go back 30 min: the gateway refuses samples older than this window
                "store.out-of-order-window=1h")));
        List<Labels> series = new ArrayList<>();
        for (String room : ROOMS) series.add(Labels.of("__name__", "ui_demo_temperature_celsius", "job", "sensors", "room", room));
        series.add(Labels.of("__name__", "ui_demo_requests_total", "job", "api", "code", "200"));
        series.add(Labels.of("__name__", "ui_demo_requests_total", "job", "api", "code", "500"));
        long last = System.currentTimeMillis() / 15_000L * 15_000L - 15_000L;
        long first = last - (STEPS - 1) * 15_000L;

        try (NodeAssembly node = new NodeAssembly(config)) {
            node.start();
            String base = "http://127.0.0.1:" + node.httpPort();
            awaitReady(base);
            RemoteWriteRequestEncoder encoder = new RemoteWriteRequestEncoder();
            for (int s = 0; s < STEPS; s++) {
                double[] v = new double[series.size()];
                // Rooms: 10 * room index + a quarter-step wobble, so the last step (s = 120) reads 0, 10, 20, 30.
                for (int r = 0; r < ROOMS.length; r++) v[r] = 10 * r + (s % 4) * 0.25;
                v[4] = 7 * s;
                v[5] = s;
                byte[] body = Snappy.compress(encoder.encode(series, v, 0, series.size(), first + s * 15_000L));
                HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(204, resp.statusCode(), resp.body());
            }
            awaitSeries(base, "ui_demo_temperature_celsius", ROOMS.length);
            awaitSeries(base, "ui_demo_requests_total", 2);

            // /api/v1/status/tsdb against the written series.
            JsonNode tsdb = JSON.readTree(get(base + "/api/v1/status/tsdb?limit=100")).get("data");
            assertEquals(series.size(), tsdb.get("headStats").get("numSeries").asLong(), tsdb.toString());
            assertEquals("[ui_demo_temperature_celsius:4, ui_demo_requests_total:2]", entries(tsdb.get("seriesCountByMetricName")));
            assertEquals("[room:4, __name__:2, code:2, job:2]", entries(tsdb.get("labelValueCountByLabelName")));
            assertEquals("[__name__=ui_demo_temperature_celsius:4, job=sensors:4, __name__=ui_demo_requests_total:2, job=api:2, "
                    + "code=200:1, code=500:1, room=attic:1, room=cellar:1, room=hall:1, room=kitchen:1]",
                    entries(tsdb.get("seriesCountByLabelValuePair")));
            assertEquals(10, tsdb.get("headStats").get("numLabelPairs").asLong());

            try (Browser browser = new Browser()) {
                var d = browser.driver;
                d.get(base + "/");
                WebElement editor = browser.await(x -> x.findElement(By.cssSelector("#expr .cm-content")));
                editor.click();
                editor.sendKeys("ui_demo_temp");
                // Autocompletion of the metric name, fetched from this node's API.
                // CodeMirror ignores Enter for a moment after the list opens or changes (its interactionDelay),
                // and the list changes again when the metric metadata arrives; on a loaded machine an Enter
                // in that moment runs the query instead. So: Enter once the list is shown, and again (after
                // reopening the list with Ctrl+Space) while the name is not completed.
                assertEquals("ui_demo_temperature_celsius", browser.await(x -> {
                    if (editorText(x).equals("ui_demo_temperature_celsius")) return "ui_demo_temperature_celsius";
                    boolean listed = x.findElements(By.cssSelector(".cm-tooltip-autocomplete li")).stream()
                            .anyMatch(li -> li.getText().contains("ui_demo_temperature_celsius"));
                    if (!listed) {
                        editor.sendKeys(Keys.chord(Keys.CONTROL, Keys.SPACE));
                        return null;
                    }
                    sleep(300);
                    editor.sendKeys(Keys.ENTER); // accepts the completion
                    sleep(300);
                    String t = editorText(x);
                    return t.equals("ui_demo_temperature_celsius") ? t : null;
                }));
                editor.sendKeys(Keys.ENTER); // runs the query
                Map<String, String> table = browser.await(x -> {
                    List<WebElement> rows = x.findElements(By.cssSelector("#result-table tbody tr"));
                    if (rows.size() != ROOMS.length) return null;
                    Map<String, String> m = new TreeMap<>();
                    for (WebElement r : rows) {
                        m.put(r.findElement(By.cssSelector("td.series")).getText(), r.findElement(By.cssSelector("td.value")).getText());
                    }
                    return m;
                });
                Map<String, String> expected = new TreeMap<>();
                for (int r = 0; r < ROOMS.length; r++) {
                    expected.put("ui_demo_temperature_celsius{job=\"sensors\", room=\"" + ROOMS[r] + "\"}", Integer.toString(10 * r));
                }
                assertEquals(expected, table);
                assertTrue(d.getCurrentUrl().contains("expr=ui_demo_temperature_celsius"), d.getCurrentUrl());
                assertTrue(d.findElement(By.id("stats")).getText().contains("Samples:"), d.findElement(By.id("stats")).getText());

                // The graph: one line (and legend row) per series; the legend's first row is the time axis.
                d.findElement(By.id("tab-graph")).click();
                awaitLegendSeries(browser, ROOMS.length);
                browser.screenshot("query-graph");

                // The series limit: 2 shown, with a warning.
                WebElement limit = d.findElement(By.id("limit"));
                limit.clear();
                limit.sendKeys("2", Keys.TAB);
                browser.await(x -> x.findElements(By.id("series-limit")).isEmpty() ? null : true);
                assertTrue(d.findElement(By.id("series-limit")).getText().contains("Showing 2 of 4 series"));
                awaitLegendSeries(browser, 2);

                // The metric explorer: a metric's label values; a click inserts the selector at the editor's
                // cursor (here: into the emptied editor) and runs the query.
                editor.click();
                editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
                browser.await(x -> editorText(x).isEmpty() ? true : null);
                d.get(base + "/#/explore");
                browser.await(x -> x.findElements(By.linkText("ui_demo_requests_total")).isEmpty() ? null : true);
                d.findElement(By.linkText("ui_demo_requests_total")).click();
                browser.await(x -> x.findElements(By.linkText("500")).isEmpty() ? null : true);
                d.findElement(By.linkText("500")).click();
                browser.await(x -> editorText(x).equals("ui_demo_requests_total{code=\"500\"}") ? true : null);
                awaitLegendSeries(browser, 1); // the graph tab is still the chosen one
                d.findElement(By.id("tab-table")).click();
                String one = browser.await(x -> {
                    List<WebElement> rows = x.findElements(By.cssSelector("#result-table tbody tr"));
                    return rows.size() == 1 ? rows.get(0).getText() : null;
                });
                assertTrue(one.contains("code=\"500\"") && one.endsWith("120"), one);

                // The cluster page: every shard ready, served by this node, caught up: lag 0 in time
                // (the consumer's lagSeconds, through /api/v1/status/cluster; "-" while unknown).
                d.get(base + "/#/cluster");
                browser.await(x -> {
                    List<WebElement> rows = x.findElements(By.cssSelector("#shards tbody tr"));
                    if (rows.size() != SHARDS) return null;
                    for (WebElement r : rows) {
                        if (!"0".equals(r.getAttribute("data-served-by")) || !r.getText().contains("node 0: ready")) return null;
                        if (!"0.0 s".equals(r.findElement(By.cssSelector("td.lag-seconds")).getText())) return null;
                    }
                    return true;
                });
                assertTrue(d.findElement(By.id("cluster-summary")).getText().startsWith(SHARDS + " of " + SHARDS + " shards served"));
                browser.screenshot("cluster");

                d.get(base + "/#/cardinality");
                browser.await(x -> x.findElements(By.id("num-series")).stream().anyMatch(e -> e.getText().equals("6")) ? true : null);
                browser.screenshot("cardinality");

                d.get(base + "/#/ingestion");
                browser.await(x -> x.findElements(By.cssSelector("#ingestion tbody tr")).size() == SHARDS ? true : null);
                browser.screenshot("ingestion");
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String editorText(org.openqa.selenium.WebDriver d) {
        return (String) ((JavascriptExecutor) d).executeScript(
                "return [...document.querySelectorAll('#expr .cm-line')].map(l => { const c = l.cloneNode(true);"
                + " c.querySelectorAll('.cm-placeholder').forEach(p => p.remove()); return c.textContent; }).join('\\n');");
    }

    /** Waits until the graph shows {@code n} series (legend rows besides the time axis' row). */
    private static void awaitLegendSeries(Browser browser, int n) {
        browser.await(x -> {
            List<WebElement> g = x.findElements(By.id("graph"));
            if (g.isEmpty()) return null;
            return g.get(0).findElements(By.cssSelector(".u-legend .u-series")).size() - 1 == n ? true : null;
        });
    }

    private void awaitSeries(String base, String metric, int n) throws Exception {
        String last = "";
        for (int i = 0; i < 600; i++) {
            last = get(base + "/api/v1/query?query=" + URLEncoder.encode("count(" + metric + ")", StandardCharsets.UTF_8));
            if (last.contains("\"" + n + "\"]")) return;
            Thread.sleep(100);
        }
        throw new AssertionError(metric + ": not " + n + " series after 60 s: " + last);
    }

    private static String entries(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list) out.add(e.get("name").asText() + ":" + e.get("value").asLong());
        return out.toString();
    }

    private void awaitReady(String base) throws Exception {
        for (int i = 0; i < 600; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node not ready after 60 s: " + get(base + "/-/ready"));
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
