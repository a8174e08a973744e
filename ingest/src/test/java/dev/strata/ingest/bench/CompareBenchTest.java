package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.bench.CompareReport.Bytes;
import dev.strata.ingest.bench.CompareReport.Latency;
import dev.strata.ingest.bench.CompareTarget.Kind;
import dev.strata.ingest.protocol.RemoteWrite1Decoder;
import dev.strata.ingest.protocol.WriteBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata bench compare} without peers: options, storage readings from metric texts, the table. */
class CompareBenchTest {
    @Test
    void optionsNameTheSystemsInTableOrderAndRejectMistakes() {
        CompareBench.Options o = CompareBench.parse(new String[] {"--strata", "http://a:1/", "--victoria", "http://b:2", "--phases", "query,bytes",
                "--rounds", "3"});
        assertEquals(List.of(Kind.VICTORIA, Kind.STRATA), o.targets().stream().map(t -> t.kind).toList());
        assertEquals("http://a:1", o.targets().get(1).base);
        assertEquals("http://a:1/api/v1/write", o.targets().get(1).writeUrl());
        assertEquals(List.of("query", "bytes"), o.phases());
        assertEquals(3, o.rounds());
        assertEquals(2, o.datasets().size());
        assertTrue(o.datasets().get(1).toString().endsWith("node-1s.jsonl.gz"), o.datasets().toString());

        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareBench.parse(new String[0])).getMessage().contains("no system given"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareBench.parse(new String[] {"--strata", "localhost:9090"}))
                .getMessage().contains("expected a base URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareBench.parse(new String[] {"--strata", "http://a", "--phases", "bytes,fast"}))
                .getMessage().contains("unknown phase fast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareBench.parse(new String[] {"--strata", "http://a", "--rounds", "0"}))
                .getMessage().contains("--rounds must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CompareBench.parse(new String[] {"--strata", "http://a", "--bogus", "1"}))
                .getMessage().contains("bad argument --bogus"));
    }

    @Test
    void storageIsReadFromEachSystemsOwnMetrics() {
        String vm = """
                # HELP vm_data_size_bytes x
                vm_data_size_bytes{type="indexdb"} 999999
                vm_data_size_bytes{type="storage/big"} 1000
                vm_data_size_bytes{type="storage/small"} 82000
                vm_data_size_bytes_total 5
                vm_rows{type="indexdb"} 77
                vm_rows{type="storage/big"} 0
                vm_rows{type="storage/small"} 214320
                vm_active_merges{type="storage/small"} 0
                """;
        assertEquals(83000, MetricsText.sum(vm, "vm_data_size_bytes", "type=\"storage/"));
        assertEquals(214320, MetricsText.sum(vm, "vm_rows", "type=\"storage/"));
        String strata = """
                # TYPE strata_flush_bytes_total counter
                strata_flush_bytes_total{shard="0"} 1.5e3
                strata_flush_bytes_total{shard="1"} 500
                strata_flush_samples_total{shard="0"} 3000
                strata_flush_samples_total{shard="1"} 2000 1700000000000
                """;
        assertEquals(2000, MetricsText.sum(strata, "strata_flush_bytes_total", ""));
        assertEquals(5000, MetricsText.sum(strata, "strata_flush_samples_total", ""));
        assertEquals(12, MetricsText.sum("prometheus_tsdb_head_samples_appended_total 12\n", "prometheus_tsdb_head_samples_appended_total", ""));
        // absent: an error, never a silent 0 that would become a wrong bytes/sample
        assertThrows(IllegalStateException.class, () -> MetricsText.sum(strata, "vm_rows", ""));

        // bytes/sample is what the system added over what it added: before/after readings
        CompareTarget.Storage before = new CompareTarget.Storage(1000, 4000, "s");
        CompareTarget.Storage after = new CompareTarget.Storage(1000 + 88_000, 4000 + 214_320, "s");
        Bytes b = new Bytes(after.bytes() - before.bytes(), after.samples() - before.samples(), 214_320, "s");
        assertEquals(88_000 / 214_320.0, b.perSample(), 1e-12);
    }

    @Test
    void prometheusSnapshotBytesAreItsChunkFiles(@TempDir Path dir) throws Exception {
        Path block = dir.resolve("01HXYZ");
        Files.createDirectories(block.resolve("chunks"));
        Files.write(block.resolve("chunks").resolve("000001"), new byte[1234]);
        Files.write(block.resolve("chunks").resolve("000002"), new byte[66]);
        Files.write(block.resolve("index"), new byte[5000]);
        Files.write(block.resolve("meta.json"), new byte[300]);
        assertEquals(1300, CompareTarget.chunkBytes(dir));
        assertThrows(java.io.IOException.class, () -> CompareTarget.chunkBytes(dir.resolve("missing")));
    }

    @Test
    void tableShowsValuesWithStratasRatiosAndGeometricMeans() {
        CompareReport r = new CompareReport(List.of(Kind.PROMETHEUS, Kind.VICTORIA, Kind.STRATA));
        r.rounds = 5;
        r.ingestLabel = "--hosts 1000 --duration 45";
        r.ingest.put(Kind.PROMETHEUS, 300_000.0);
        r.ingest.put(Kind.VICTORIA, 900_000.0);
        r.ingest.put(Kind.STRATA, 450_000.0);
        r.dashboard.put("a", Map.of(Kind.PROMETHEUS, new Latency(10, 8, 8, 50), Kind.VICTORIA, new Latency(10, 1, 4, 50),
                Kind.STRATA, new Latency(5, 2, 4, 50)));
        r.dashboard.put("b", Map.of(Kind.PROMETHEUS, new Latency(40, 32, 32, 8), Kind.VICTORIA, new Latency(40, 4, 16, 8),
                Kind.STRATA, new Latency(20, 8, 16, 8)));
        r.small.put("s", Map.of(Kind.PROMETHEUS, new Latency(2, 2, 2, 1), Kind.STRATA, new Latency(3, 3, 3, 1)));
        Map<Kind, Bytes> bytes = new EnumMap<>(Kind.class);
        bytes.put(Kind.PROMETHEUS, new Bytes(1240, 1000, 1000, "p"));
        bytes.put(Kind.STRATA, new Bytes(410, 1000, 1000, "s"));
        r.bytes.put("node-15s", bytes);
        String t = r.table();
        assertTrue(t.startsWith("| measure | Prometheus | VictoriaMetrics | Strata |\n|---|---|---|---|\n"), t);
        assertTrue(t.contains("| remote-write ingest, acknowledged samples/s (--hosts 1000 --duration 45) | 300,000 (Strata 1.50x) | 900,000 (Strata 0.50x) | 450,000 |"), t);
        // geometric means: sqrt(10*40) = 20 and sqrt(5*20) = 10
        assertTrue(t.contains("geometric mean ms: first run | 20.0 (Strata 0.50x) | 20.0 (Strata 0.50x) | 10.0 |"), t);
        assertTrue(t.contains("results caches on | 16.0 (Strata 0.25x) | 2.0 (Strata 2.00x) | 4.0 |"), t);
        assertTrue(t.contains("median of 5, nocache=1 | 16.0 (Strata 0.50x) | 8.0 (Strata 1.00x) | 8.0 |"), t);
        // a system without an answer shows "-" and no ratio
        assertTrue(t.contains("1 small queries (1-8 series), geometric mean ms, median of 5, nocache=1 | 2.00 (Strata 1.50x) | - | 3.00 |"), t);
        assertTrue(t.contains("| bytes/sample node-15s | 1.240 (Strata 0.33x) | - | 0.410 |"), t);
        assertTrue(t.contains("| a | 10.0 / 8.0 / 8.0, 50 | 10.0 / 1.0 / 4.0, 50 | 5.0 / 2.0 / 4.0, 50 |"), t);
        assertTrue(t.contains("  Prometheus      1,240 bytes / 1,000 samples (1,000 acknowledged): p"), t);
    }

    @Test
    void victoriaMonthPartitionsAndStrataAtRestOptions() {
        long dec31 = java.time.Instant.parse("2026-12-31T23:30:00Z").toEpochMilli();
        assertEquals(List.of("2026_12", "2027_01"), CompareTarget.monthPartitions(dec31, dec31 + 3_600_000));
        assertEquals(List.of("2026_12"), CompareTarget.monthPartitions(dec31 - 7_200_000, dec31));
        assertThrows(IllegalArgumentException.class, () -> CompareBench.parse(new String[] {"--strata", "http://h:1", "--strata-cassandra", "h"}));
        assertThrows(IllegalArgumentException.class, () -> CompareBench.parse(new String[] {"--strata", "http://h:1", "--strata-cassandra", "h:x"}));
        assertThrows(IllegalArgumentException.class,
                () -> CompareBench.parse(new String[] {"--strata", "http://h:1", "--strata-cassandra", "h:9042", "--strata-keyspace", "a;b"}));
        CompareBench.parse(new String[] {"--strata", "http://h:1", "--strata-cassandra", "h:9042", "--strata-keyspace", "cmp_1"});
        assertEquals(7_200_000, CompareBench.windowBoundaryWithin(3_600_000, 7_200_000, 7_200_000));
        assertEquals(-1, CompareBench.windowBoundaryWithin(3_600_000, 7_199_999, 7_200_000));
        assertEquals(-1, CompareBench.windowBoundaryWithin(7_200_000, 10_800_000, 7_200_000));
    }

    @Test
    void medianAndGeometricMean() {
        assertEquals(3, CompareReport.median(new double[] {5, 1, 3}));
        assertEquals(2.5, CompareReport.median(new double[] {4, 1, 3, 2}));
        assertEquals(4, CompareReport.geomean(List.of(2.0, 8.0)), 1e-12);
    }

    @Test
    void datasetsAreSentInTimeOrderShiftedAndRelabelled(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node-15s.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(("""
                    {"metric":{"__name__":"up","instance":"h:9100","job":"node"},"values":[[1.0,"1"],[16.0,"2"],[61.0,"3"],[76.0,"4"]]}
                    {"metric":{"__name__":"x","job":"prometheus"},"values":[[2.0,"5"],[62.0,"NaN"]]}
                    """).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        DatasetLoad d = DatasetLoad.read(file);
        assertEquals("node-15s", d.name);
        assertEquals(6, d.samples);
        List<WriteBatch> requests;
        try (RecordingServer server = new RecordingServer()) {
            CompareTarget t = new CompareTarget(Kind.VICTORIA, server.base(), null, java.time.Duration.ofSeconds(1));
            assertEquals(6, d.send(t, 1_000_000, 60_000, 1000, 1));
            requests = server.batches();
        }
        // in time order, one 60 s window of sample time after another: up@1,16 and x@2, then up@61,76 and x@62
        assertEquals(1, requests.size());
        WriteBatch w = requests.get(0);
        assertEquals(4, w.seriesCount());
        assertEquals("node-15s:node", label(w, 0, "job"));
        assertEquals("h:9100", label(w, 0, "instance"));
        assertEquals("node-15s:prometheus", label(w, 1, "job"));
        assertEquals("node-15s:node", label(w, 2, "job"));
        assertEquals(2, w.sampleCount(0));
        assertEquals(1, w.sampleCount(1));
        // shifted so the first sample lands at 1,000,000 ms, spacing kept
        assertEquals(1_000_000, w.timestamp(w.sampleStart(0)));
        assertEquals(1_015_000, w.timestamp(w.sampleStart(0) + 1));
        assertEquals(1_001_000, w.timestamp(w.sampleStart(1)));
        assertEquals(5, w.value(w.sampleStart(1)));
        assertEquals(2, w.sampleCount(2));
        assertEquals(1_075_000, w.timestamp(w.sampleStart(2) + 1));
        assertTrue(Double.isNaN(w.value(w.sampleStart(3))));

        // a batch limit splits a window into several requests, every sample still sent once
        try (RecordingServer server = new RecordingServer()) {
            CompareTarget t = new CompareTarget(Kind.VICTORIA, server.base(), null, java.time.Duration.ofSeconds(1));
            assertEquals(6, d.send(t, 1_000_000, 60_000, 1, 2));
            assertEquals(4, server.batches().size());
            assertEquals(6, server.batches().stream().mapToInt(b -> b.sampleCount(0) + (b.seriesCount() > 1 ? b.sampleCount(1) : 0)).sum());
        }
    }

    private static String label(WriteBatch b, int series, String name) {
        for (int l = b.labelStart(series); l < b.labelStart(series) + b.labelCount(series); l++) {
            String n = new String(b.bytes(), b.nameOff(l), b.nameLen(l), java.nio.charset.StandardCharsets.UTF_8);
            if (n.equals(name)) return new String(b.bytes(), b.valueOff(l), b.valueLen(l), java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    /** A remote-write receiver on a free port that keeps every request, decoded; answers 204. */
    private static final class RecordingServer implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        private final List<WriteBatch> batches = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        RecordingServer() throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/v1/write", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                byte[] raw = dev.strata.ingest.protocol.SnappyBlock.decompress(body, 0, body.length, 1 << 24);
                WriteBatch b = new WriteBatch();
                RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
                batches.add(b);
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        List<WriteBatch> batches() {
            return List.copyOf(batches);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
