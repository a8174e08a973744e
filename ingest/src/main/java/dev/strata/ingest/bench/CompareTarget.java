package dev.strata.ingest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One running system the compare benchmark talks to, by its base URL: its remote-write endpoint,
 * its query API, and how it is made to persist and asked for the size of its own storage.
 * <ul>
 *   <li>Strata: persisted = the consumers have caught up (lag 0 on {@code /api/v1/status/shards})
 *       and one flush interval has passed since; storage = with {@code --strata-cassandra}, the chunk
 *       bytes at rest ({@link ChunkBytesAtRest}: the live rows of the chunks table) over the samples
 *       acknowledged; without it, {@code strata_flush_bytes_total} (chunk bytes written to Cassandra,
 *       write buffers counted again each time they are flushed as they grow) over
 *       {@code strata_flush_samples_total} (samples in those rows, counted as often).</li>
 *   <li>Prometheus (run with {@code --web.enable-remote-write-receiver --web.enable-admin-api}):
 *       persisted = {@code POST /api/v1/admin/tsdb/snapshot} (the head written as a block); storage =
 *       the bytes of the snapshot's {@code chunks/} files (read from {@code --prometheus-data}; index
 *       excluded, as in ../shared/datasets/README.md) over
 *       {@code prometheus_tsdb_head_samples_appended_total}. The snapshot is deleted after reading.</li>
 *   <li>VictoriaMetrics: persisted = {@code GET /internal/force_flush}, then background merges
 *       finished ({@code vm_active_merges} 0) and sizes steady, then {@code /internal/force_merge}
 *       of the month partitions of the last two hours and the same wait (the final merge it does by
 *       itself once a month has passed: its size at rest; before it, node-15s measured 0.451
 *       bytes/sample, after it 0.408); storage =
 *       {@code vm_data_size_bytes{type=~"storage/.*"}} over {@code vm_rows{type=~"storage/.*"}}
 *       (the index, {@code type="indexdb"}, excluded).</li>
 * </ul>
 */
final class CompareTarget {
    enum Kind {
        PROMETHEUS("Prometheus"), VICTORIA("VictoriaMetrics"), STRATA("Strata");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    /**
     * A system's own account of its storage at one moment: bytes and samples held, and where they
     * were read; {@code perAcknowledged}: the samples are not counted by the system (Strata's bytes at
     * rest), so bytes/sample is taken over the samples acknowledged.
     */
    record Storage(double bytes, double samples, String source, boolean perAcknowledged) {
        Storage(double bytes, double samples, String source) {
            this(bytes, samples, source, false);
        }
    }

    private static final Pattern SNAPSHOT_NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    final Kind kind;
    final String base;
    private final Path prometheusData;
    private final Duration strataFlushInterval;
    private final ChunkBytesAtRest strataAtRest;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    CompareTarget(Kind kind, String base, Path prometheusData, Duration strataFlushInterval) {
        this(kind, base, prometheusData, strataFlushInterval, null);
    }

    /** @param strataAtRest for Strata: where to read its chunk bytes at rest (null: its flush counters) */
    CompareTarget(Kind kind, String base, Path prometheusData, Duration strataFlushInterval, ChunkBytesAtRest strataAtRest) {
        this.kind = kind;
        this.strataAtRest = strataAtRest;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.prometheusData = prometheusData;
        this.strataFlushInterval = strataFlushInterval;
    }

    String name() {
        return kind.title;
    }

    String writeUrl() {
        return base + "/api/v1/write";
    }

    /** A query API call's answer and how long it took (wall clock, request sent to body read). */
    record Answer(int status, String body, double millis) {
        /** Series in a success answer (counted by their "metric" objects). */
        int series() {
            int n = 0;
            for (int i = body.indexOf("\"metric\""); i >= 0; i = body.indexOf("\"metric\"", i + 1)) n++;
            return n;
        }
    }

    /** GET {@code path?params} (params already "k=v&..." with values URL-encoded by {@link #param}). */
    Answer get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofMinutes(2)).GET().build();
        long t0 = System.nanoTime();
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), (System.nanoTime() - t0) / 1e6);
    }

    static String param(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String getOk(String pathAndQuery) throws IOException, InterruptedException {
        Answer a = get(pathAndQuery);
        if (a.status() / 100 != 2) throw new IOException(name() + ": GET " + pathAndQuery + " answered " + a.status() + ": " + a.body());
        return a.body();
    }

    /** Makes what was acknowledged durable in the system's own storage (see the class comment). */
    void persist() throws IOException, InterruptedException {
        switch (kind) {
            case STRATA -> {
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (totalLag() > 0) {
                    if (System.nanoTime() > deadline) throw new IOException("Strata: consumers still lagging after 10 minutes");
                    Thread.sleep(1000);
                }
                // every flush group of every shard is flushed once per interval: after one interval
                // (and a margin for the flush itself) everything consumed before is in Cassandra
                Thread.sleep(strataFlushInterval.plusSeconds(5).toMillis());
            }
            case VICTORIA -> {
                getOk("/internal/force_flush");
                awaitVictoriaMerges();
                long now = System.currentTimeMillis();
                for (String month : monthPartitions(now - Duration.ofHours(2).toMillis(), now)) {
                    getOk("/internal/force_merge?partition_prefix=" + month);
                }
                awaitVictoriaMerges();
            }
            case PROMETHEUS -> { } // the snapshot taken by storage() writes the head out
        }
    }

    private void awaitVictoriaMerges() throws IOException, InterruptedException {
        double last = -1;
        for (int i = 0; i < 300; i++) {
            Thread.sleep(2000);
            String m = getOk("/metrics");
            double merges = MetricsText.sum(m, "vm_active_merges", "type=\"storage/");
            double size = MetricsText.sum(m, "vm_data_size_bytes", "type=\"storage/");
            if (merges == 0 && size == last) return;
            last = size;
        }
        throw new IOException("VictoriaMetrics: merges did not settle in 10 minutes");
    }

    /** VictoriaMetrics' partition names ({@code YYYY_MM}, UTC) of the months from {@code fromMs} to {@code toMs}. */
    static java.util.List<String> monthPartitions(long fromMs, long toMs) {
        java.util.List<String> months = new java.util.ArrayList<>();
        java.time.YearMonth m = java.time.YearMonth.from(java.time.Instant.ofEpochMilli(fromMs).atZone(java.time.ZoneOffset.UTC));
        java.time.YearMonth last = java.time.YearMonth.from(java.time.Instant.ofEpochMilli(toMs).atZone(java.time.ZoneOffset.UTC));
        for (; !m.isAfter(last); m = m.plusMonths(1)) months.add(String.format(java.util.Locale.ROOT, "%04d_%02d", m.getYear(), m.getMonthValue()));
        return months;
    }

    /** Total consumer lag of a Strata node's shards, in records. */
    long totalLag() throws IOException, InterruptedException {
        return IngestBench.totalLag(getOk("/api/v1/status/shards"));
    }

    /** The system's own account of its storage now (see the class comment); null if it cannot be read. */
    Storage storage() throws IOException, InterruptedException {
        switch (kind) {
            case STRATA -> {
                if (strataAtRest == null) return strataFlushCounters();
                return new Storage(strataAtRest.bytes(), 0, "chunk bytes at rest (live rows of the chunks table) / samples acknowledged", true);
            }
            case VICTORIA -> {
                String m = getOk("/metrics");
                return new Storage(MetricsText.sum(m, "vm_data_size_bytes", "type=\"storage/"), MetricsText.sum(m, "vm_rows", "type=\"storage/"),
                        "vm_data_size_bytes{type=~\"storage/.*\"} / vm_rows{type=~\"storage/.*\"} after /internal/force_flush and force_merge");
            }
            default -> {
                if (prometheusData == null) return null;
                // 2.42 exports it with a type label once the head has taken a sample; absent before that: 0
                double samples = MetricsText.sumIfPresent(getOk("/metrics"), "prometheus_tsdb_head_samples_appended_total", "");
                if (Double.isNaN(samples)) samples = 0;
                HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/tsdb/snapshot"))
                        .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.noBody()).build();
                HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                Matcher mt = SNAPSHOT_NAME.matcher(r.body());
                if (r.statusCode() != 200 || !mt.find()) {
                    throw new IOException("Prometheus: snapshot answered " + r.statusCode() + " " + r.body()
                            + " (run it with --web.enable-admin-api)");
                }
                Path snapshot = prometheusData.resolve("snapshots").resolve(mt.group(1));
                long bytes = chunkBytes(snapshot);
                deleteTree(snapshot);
                return new Storage(bytes, samples, "chunks/ of a head snapshot (/api/v1/admin/tsdb/snapshot) / "
                        + "prometheus_tsdb_head_samples_appended_total");
            }
        }
    }

    /** Strata's flush counters: every chunk row written, write buffers flushed again as they grow included. */
    Storage strataFlushCounters() throws IOException, InterruptedException {
        String m = getOk("/metrics");
        return new Storage(MetricsText.sum(m, "strata_flush_bytes_total", ""), MetricsText.sum(m, "strata_flush_samples_total", ""),
                "strata_flush_bytes_total / strata_flush_samples_total (chunk rows written to Cassandra)");
    }

    /** Whether Strata's bytes are read at rest ({@code --strata-cassandra}). */
    boolean strataAtRest() {
        return strataAtRest != null;
    }

    /** Bytes of the files in the {@code chunks/} directories of the blocks under {@code snapshot}. */
    static long chunkBytes(Path snapshot) throws IOException {
        if (!Files.isDirectory(snapshot)) throw new IOException("no snapshot directory " + snapshot + " (is --prometheus-data Prometheus's --storage.tsdb.path?)");
        try (Stream<Path> files = Files.walk(snapshot)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getParent().getFileName().toString().equals("chunks"))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
