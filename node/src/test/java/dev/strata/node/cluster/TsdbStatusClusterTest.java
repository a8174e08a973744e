package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.query.engine.QueryOptions;
import dev.strata.store.model.Labels;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/status/tsdb} across an in-process cluster (3 nodes, 8 shards, 2 replicas; stats
 * travel between nodes over real HTTP): every node's answer equals the counts this test computes from
 * the series it wrote, with each shard counted once although two nodes hold it; {@code limit} keeps
 * the largest entries in order; a shard without a ready owner is named in a warning.
 */
class TsdbStatusClusterTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsEqualThoseOfTheWrittenSeriesOnEveryNode() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("TsdbStatusClusterTest seed=" + seed);
        Random random = new Random(seed);
        try (InProcessCluster cluster = new InProcessCluster(3, 8, 2, QueryOptions.defaults())) {
            Set<Labels> written = new LinkedHashSet<>();
            for (int i = 0; i < 400; i++) {
                Labels l = Labels.of("__name__", "metric_" + random.nextInt(6), "job", "job-" + random.nextInt(10),
                        "instance", "host-" + random.nextInt(50) + "-ü", random.nextBoolean() ? "zone" : "rack", "z" + random.nextInt(4));
                cluster.append(l, T0 + random.nextInt(3_600) * 1000L, random.nextDouble());
                written.add(l);
            }
            // The expected figures, from the label sets alone.
            Map<String, Map<String, Long>> pairs = new TreeMap<>();
            for (Labels l : written) l.forEach((n, v) -> pairs.computeIfAbsent(n, k -> new TreeMap<>()).merge(v, 1L, Long::sum));
            Map<String, Long> byMetric = pairs.get("__name__");
            Map<String, Long> valueCounts = new HashMap<>();
            Map<String, Long> valueBytes = new HashMap<>();
            Map<String, Long> pairSeries = new HashMap<>();
            long labelPairs = 0;
            for (var e : pairs.entrySet()) {
                valueCounts.put(e.getKey(), (long) e.getValue().size());
                long bytes = 0;
                for (var v : e.getValue().entrySet()) {
                    bytes += v.getKey().getBytes(StandardCharsets.UTF_8).length;
                    pairSeries.put(e.getKey() + "=" + v.getKey(), v.getValue());
                }
                valueBytes.put(e.getKey(), bytes);
                labelPairs += e.getValue().size();
            }

            for (InProcessCluster.Node node : cluster.nodes) {
                String what = "node " + node.ordinal + " seed=" + seed;
                JsonNode all = get(node, "/api/v1/status/tsdb?limit=100000");
                assertEquals("success", all.get("status").asText(), what);
                JsonNode d = all.get("data");
                assertEquals(written.size(), d.get("headStats").get("numSeries").asLong(), what);
                assertEquals(labelPairs, d.get("headStats").get("numLabelPairs").asLong(), what);
                assertEquals(sorted(byMetric, Integer.MAX_VALUE), entries(d.get("seriesCountByMetricName")), what);
                assertEquals(sorted(valueCounts, Integer.MAX_VALUE), entries(d.get("labelValueCountByLabelName")), what);
                assertEquals(sorted(valueBytes, Integer.MAX_VALUE), entries(d.get("memoryInBytesByLabelName")), what);
                assertEquals(sorted(pairSeries, Integer.MAX_VALUE), entries(d.get("seriesCountByLabelValuePair")), what);
                assertFalse(all.has("warnings"), what);

                JsonNode top = get(node, "/api/v1/status/tsdb?limit=3").get("data");
                assertEquals(sorted(pairSeries, 3), entries(top.get("seriesCountByLabelValuePair")), what);
                assertEquals(sorted(byMetric, 3), entries(top.get("seriesCountByMetricName")), what);
                JsonNode byDefault = get(node, "/api/v1/status/tsdb").get("data");
                assertEquals(10, byDefault.get("seriesCountByLabelValuePair").size(), what);
            }

            JsonNode bad = get(cluster.nodes.get(0), "/api/v1/status/tsdb?limit=0");
            assertEquals("error", bad.get("status").asText());
            assertEquals("bad_data", bad.get("errorType").asText());

            // Shard 5 has no ready owner: its series are not counted and a warning names it.
            for (int o : cluster.ownership.owners(5)) cluster.nodes.get(o).notReady.add(5);
            long inShard5 = written.stream().filter(l -> cluster.mapper.shard(l) == 5).count();
            assertTrue(inShard5 > 0, "seed=" + seed);
            JsonNode partial = get(cluster.nodes.get(0), "/api/v1/status/tsdb");
            assertEquals(written.size() - inShard5, partial.get("data").get("headStats").get("numSeries").asLong());
            assertTrue(partial.get("warnings").get(0).asText().contains("[5]"), partial.toString());
        }
    }

    private static JsonNode get(InProcessCluster.Node node, String uri) throws Exception {
        FullHttpResponse r = node.tsdb.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri)).get();
        try {
            return JSON.readTree(r.content().toString(StandardCharsets.UTF_8));
        } finally {
            r.release();
        }
    }

    private static List<String> entries(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : list) out.add(e.get("name").asText() + ":" + e.get("value").asLong());
        return out;
    }

    /** Largest first, ties by name, at most n. */
    private static List<String> sorted(Map<String, Long> m, int n) {
        List<Map.Entry<String, Long>> es = new ArrayList<>(m.entrySet());
        es.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> out = new ArrayList<>();
        for (var e : es.subList(0, Math.min(n, es.size()))) out.add(e.getKey() + ":" + e.getValue());
        return out;
    }
}
