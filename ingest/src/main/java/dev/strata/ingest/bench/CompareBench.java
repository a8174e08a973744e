package dev.strata.ingest.bench;

import dev.strata.ingest.bench.CompareReport.Bytes;
import dev.strata.ingest.bench.CompareReport.Latency;
import dev.strata.ingest.bench.CompareTarget.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code strata bench compare}: the same load and the same questions for Prometheus, VictoriaMetrics
 * and Strata, already running (it installs and starts nothing), and one table side by side (issue
 * #18). Phases, in this order (each optional with {@code --phases}):
 * <ol>
 *   <li><b>bytes</b>: each dataset ({@code --dataset}, default node-15s and node-1s) is sent to each
 *       system ({@link DatasetLoad}: time order, original spacing, shifted so the first sample is
 *       61 min before the load starts, {@code job="<dataset>:<job>"}); each is made to persist and its own account of
 *       its storage is read before and after ({@link CompareTarget}): bytes/sample = added bytes / added
 *       samples.</li>
 *   <li><b>ingest</b>: {@code strata bench ingest --mode http --hosts H --duration D} pointed at each in
 *       turn ({@link IngestBench}, series with {@code job="node-ingest"}, samples from 60 min ago, at
 *       most 240 rounds so none is in the future); acknowledged samples/s. After Strata, it waits
 *       until the consumers have caught up and says how long that took.</li>
 *   <li><b>query</b>: {@code --query-hosts} hosts of {@link NodeExporterWorkload} series
 *       ({@code job="node"}, 1 h at 15 s ending now) are sent to each, then the
 *       {@link CompareQueries} are timed: the first answer, then {@code --rounds} rounds with results
 *       caches allowed and {@code --rounds} with {@code nocache=1}, alternating; in each round every query
 *       goes to every system, the system asked first rotating from round to round; medians.</li>
 * </ol>
 * Every sample sent is at most 61 min old when sent, and each phase's samples are newer than an hour
 * before the previous phase's newest: Prometheus's head accepts them all (it refuses samples older than
 * its newest minus 1 h) and spans well under the 3 h at which it would compact during the run. Strata
 * refuses samples older than its {@code store.out-of-order-window} (10 min by default): run it with
 * 75m or more for this benchmark. A system that already holds newer data may refuse samples, which
 * is printed with the count. Run it against fresh systems.
 */
public final class CompareBench {
    public static final String USAGE = """
            usage: strata bench compare [--strata URL] [--prometheus URL] [--victoria URL] [--prometheus-data DIR]
                   [--phases bytes,ingest,query] [--dataset FILE,FILE] [--hosts 1000] [--duration 45]
                   [--query-hosts 50] [--rounds 10] [--cpus 8] [--batch 2000] [--concurrency 4]
                   [--strata-flush-interval 60] [--strata-cassandra HOST:PORT] [--strata-keyspace strata]
                   [--strata-datacenter datacenter1] [--seed 1]
              URLs are base URLs (http://127.0.0.1:9090); at least one system. Prometheus must run with
              --web.enable-remote-write-receiver, and --web.enable-admin-api plus --prometheus-data (its
              --storage.tsdb.path) for its bytes/sample. --strata-cassandra (Strata's Cassandra, CQL port):
              Strata's bytes/sample are its chunk bytes at rest over the samples acknowledged (without it:
              its flush counters, which count write buffers again each time they are flushed). --dataset defaults to
              ../shared/datasets/node-15s.jsonl.gz,../shared/datasets/node-1s.jsonl.gz""";

    private static final Map<String, String> DEFAULTS = defaults();
    private static final Set<String> PHASES = Set.of("bytes", "ingest", "query");
    /** A dataset's first sample goes this far before the start of its load (the hour ends a minute ago). */
    static final Duration DATASET_START = Duration.ofMinutes(61);
    /** The ingest phase's samples start this far back and advance 15 s per round, at most up to now. */
    static final Duration INGEST_BACKFILL = Duration.ofMinutes(60);
    private static final int QUERY_SAMPLES = 240;
    /** Strata's default chunk window (store.chunk windows are epoch-aligned); only used to say when a dataset is cut by one. */
    static final long STRATA_CHUNK_WINDOW_MS = 7_200_000L;

    /** The first multiple of {@code windowMs} in ({@code fromMs}, {@code toMs}], or -1. */
    static long windowBoundaryWithin(long fromMs, long toMs, long windowMs) {
        long next = Math.floorDiv(fromMs, windowMs) * windowMs + windowMs;
        return next <= toMs ? next : -1;
    }
    private static final long STEP_MS = 15_000;

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("strata", "");
        d.put("prometheus", "");
        d.put("victoria", "");
        d.put("prometheus-data", "");
        d.put("phases", "bytes,ingest,query");
        d.put("dataset", "../shared/datasets/node-15s.jsonl.gz,../shared/datasets/node-1s.jsonl.gz");
        d.put("hosts", "1000");
        d.put("duration", "45");
        d.put("query-hosts", "50");
        d.put("rounds", "10");
        d.put("cpus", "8");
        d.put("batch", "2000");
        d.put("concurrency", "4");
        d.put("strata-flush-interval", "60");
        d.put("strata-cassandra", "");
        d.put("strata-keyspace", "strata");
        d.put("strata-datacenter", "datacenter1");
        d.put("seed", "1");
        return d;
    }

    /** A parsed command line. */
    record Options(List<CompareTarget> targets, List<String> phases, List<Path> datasets, int hosts, int duration, int queryHosts,
                   int rounds, int cpus, int batch, int concurrency, long seed) {}

    private CompareBench() {}

    public static void main(String[] args) throws Exception {
        run(parse(args));
    }

    static Options parse(String[] args) {
        Map<String, String> o = new HashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length || !DEFAULTS.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("bad argument " + args[i] + "\n" + USAGE);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        Path promData = o.get("prometheus-data").isEmpty() ? null : Path.of(o.get("prometheus-data"));
        Duration flush = Duration.ofSeconds(positive(o, "strata-flush-interval"));
        ChunkBytesAtRest atRest = o.get("strata-cassandra").isEmpty() ? null
                : new ChunkBytesAtRest(o.get("strata-cassandra"), o.get("strata-keyspace"), o.get("strata-datacenter"));
        List<CompareTarget> targets = new ArrayList<>();
        for (Kind k : Kind.values()) {
            String url = o.get(k == Kind.VICTORIA ? "victoria" : k.name().toLowerCase(Locale.ROOT));
            if (url.isEmpty()) continue;
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("--" + k.name().toLowerCase(Locale.ROOT) + " " + url + ": expected a base URL like http://127.0.0.1:9090\n" + USAGE);
            }
            targets.add(new CompareTarget(k, url, promData, flush, k == Kind.STRATA ? atRest : null));
        }
        if (targets.isEmpty()) throw new IllegalArgumentException("no system given: --strata, --prometheus and/or --victoria\n" + USAGE);
        List<String> phases = new ArrayList<>();
        for (String p : o.get("phases").split(",")) {
            String phase = p.trim();
            if (!PHASES.contains(phase)) throw new IllegalArgumentException("unknown phase " + phase + " (bytes, ingest, query)\n" + USAGE);
            if (!phases.contains(phase)) phases.add(phase);
        }
        List<Path> datasets = new ArrayList<>();
        for (String f : o.get("dataset").split(",")) datasets.add(resolve(f.trim()));
        return new Options(targets, phases, datasets, positive(o, "hosts"), positive(o, "duration"), positive(o, "query-hosts"),
                positive(o, "rounds"), positive(o, "cpus"), positive(o, "batch"), positive(o, "concurrency"), Long.parseLong(o.get("seed")));
    }

    private static int positive(Map<String, String> o, String key) {
        int v;
        try {
            v = Integer.parseInt(o.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " " + o.get(key) + " is not a number\n" + USAGE);
        }
        if (v < 1) throw new IllegalArgumentException("--" + key + " must be at least 1, not " + v + "\n" + USAGE);
        return v;
    }

    /** A relative dataset path that does not exist here is tried under the project root (bin/strata sets strata.root). */
    private static Path resolve(String f) {
        Path p = Path.of(f);
        String root = System.getProperty("strata.root");
        if (!p.isAbsolute() && !Files.exists(p) && root != null && Files.exists(Path.of(root).resolve(p))) return Path.of(root).resolve(p);
        return p;
    }

    static CompareReport run(Options o) throws Exception {
        List<Kind> kinds = o.targets().stream().map(t -> t.kind).toList();
        CompareReport report = new CompareReport(kinds);
        report.rounds = o.rounds();
        System.out.printf(Locale.ROOT, "strata bench compare: %s; phases %s%n",
                String.join(", ", o.targets().stream().map(t -> t.name() + " " + t.base).toList()), o.phases());
        if (o.phases().contains("bytes")) bytes(o, report);
        if (o.phases().contains("ingest")) ingest(o, report);
        if (o.phases().contains("query")) query(o, report);
        System.out.println();
        System.out.print(report.table());
        return report;
    }

    private static void bytes(Options o, CompareReport report) throws Exception {
        for (CompareTarget t : o.targets()) t.persist(); // a baseline with nothing pending
        for (Path file : o.datasets()) {
            DatasetLoad d = DatasetLoad.read(file);
            long firstSampleMs = System.currentTimeMillis() - DATASET_START.toMillis();
            System.out.printf(Locale.ROOT, "== bytes/sample: %s, %,d series, %,d samples, first sample at %s%n", d.name, d.series.size(), d.samples,
                    java.time.Instant.ofEpochMilli(firstSampleMs));
            long boundary = windowBoundaryWithin(firstSampleMs, firstSampleMs + d.spanMs(), STRATA_CHUNK_WINDOW_MS);
            if (boundary >= 0) {
                System.out.printf(Locale.ROOT, "  (the data crosses %s, a boundary of Strata's 2 h chunk windows: each series' chunk is cut there, "
                        + "as in any continuous run; the datasets' own hour lies inside one window)%n", java.time.Instant.ofEpochMilli(boundary));
            }
            Map<Kind, Bytes> row = new EnumMap<>(Kind.class);
            for (CompareTarget t : o.targets()) {
                CompareTarget.Storage before = t.storage();
                CompareTarget.Storage flushedBefore = t.strataAtRest() ? t.strataFlushCounters() : null;
                long acked = d.send(t, firstSampleMs, 60_000, o.batch(), o.concurrency());
                t.persist();
                CompareTarget.Storage after = t.storage();
                if (before == null || after == null) {
                    System.out.printf("  %s: %,d samples acknowledged; its storage is not measured (give --prometheus-data)%n", t.name(), acked);
                    continue;
                }
                if (flushedBefore != null) {
                    CompareTarget.Storage flushedAfter = t.strataFlushCounters();
                    double fb = flushedAfter.bytes() - flushedBefore.bytes(), fs = flushedAfter.samples() - flushedBefore.samples();
                    System.out.printf(Locale.ROOT, "  %s flush counters: %,.0f bytes / %,.0f samples = %.3f bytes/sample (rewrites of growing write buffers included)%n",
                            t.name(), fb, fs, fs > 0 ? fb / fs : Double.NaN);
                }
                double samples = after.perAcknowledged() ? acked : after.samples() - before.samples();
                Bytes b = new Bytes(after.bytes() - before.bytes(), samples, acked, after.source());
                System.out.printf(Locale.ROOT, "  %s: %,.0f bytes / %,.0f samples = %.3f bytes/sample (%,d acknowledged)%n", t.name(), b.bytes(),
                        b.samples(), b.perSample(), acked);
                row.put(t.kind, b);
            }
            report.bytes.put(d.name, row);
        }
    }

    private static void ingest(Options o, CompareReport report) throws Exception {
        report.ingestLabel = "--hosts " + o.hosts() + " --duration " + o.duration();
        for (CompareTarget t : o.targets()) {
            System.out.printf("== ingest: %s%n", t.name());
            Map<String, String> args = new HashMap<>();
            args.put("mode", "http");
            args.put("url", t.writeUrl());
            args.put("hosts", Integer.toString(o.hosts()));
            args.put("cpus", Integer.toString(o.cpus()));
            args.put("duration", Integer.toString(o.duration()));
            args.put("batch", Integer.toString(o.batch()));
            args.put("concurrency", Integer.toString(o.concurrency()));
            args.put("backfill", Long.toString(INGEST_BACKFILL.toSeconds()));
            args.put("rounds", Long.toString(INGEST_BACKFILL.toMillis() / STEP_MS));
            args.put("step", Long.toString(STEP_MS / 1000));
            args.put("seed", Long.toString(o.seed()));
            args.put("job", "node-ingest");
            IngestBench.Result r = IngestBench.run(args);
            report.ingest.put(t.kind, r.acked() / r.seconds());
            if (t.kind == Kind.STRATA) {
                long w0 = System.nanoTime();
                while (t.totalLag() > 0) Thread.sleep(500);
                System.out.printf(Locale.ROOT, "  Strata consumers caught up %.1f s after the load ended%n", (System.nanoTime() - w0) / 1e9);
            }
            TimeUnit.SECONDS.sleep(5); // let background work settle before the next system's turn
        }
    }

    private static final Pattern SCALAR = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]");

    private static void query(Options o, CompareReport report) throws Exception {
        NodeExporterWorkload w = new NodeExporterWorkload(o.queryHosts(), o.cpus(), o.seed(), "node");
        double[][] values = new double[QUERY_SAMPLES][];
        for (int i = 0; i < QUERY_SAMPLES; i++) values[i] = w.advance().clone();
        long endMs = System.currentTimeMillis() / STEP_MS * STEP_MS;
        long firstMs = endMs - (QUERY_SAMPLES - 1) * STEP_MS;
        System.out.printf(Locale.ROOT, "== query: %,d series x %d samples (15 s, ending %s)%n", w.size(), QUERY_SAMPLES,
                java.time.Instant.ofEpochMilli(endMs));
        // sent as a dataset: in time order per series, whatever the batch and concurrency
        List<DatasetLoad.Series> series = new ArrayList<>();
        for (int s = 0; s < w.size(); s++) {
            long[] ts = new long[QUERY_SAMPLES];
            double[] vs = new double[QUERY_SAMPLES];
            for (int r = 0; r < QUERY_SAMPLES; r++) {
                ts[r] = firstMs + r * STEP_MS;
                vs[r] = values[r][s];
            }
            series.add(new DatasetLoad.Series(w.series().get(s), ts, vs));
        }
        DatasetLoad data = DatasetLoad.of("query", series);
        for (CompareTarget t : o.targets()) data.send(t, firstMs, 60_000, o.batch(), o.concurrency());
        // visible to queries? Strata acknowledges at Kafka: wait for its consumers first. Then every
        // series must answer at the end and node_load1 (sent last in each round) hold every sample
        long endS = endMs / 1000;
        int loads = o.queryHosts();
        String seriesCheck = "/api/v1/query?" + CompareTarget.param("query", "count({job=\"node\"})") + "&time=" + endS + "&nocache=1";
        String samplesCheck = "/api/v1/query?" + CompareTarget.param("query", "sum(count_over_time(node_load1{job=\"node\"}[1h]))")
                + "&time=" + endS + "&nocache=1";
        String want = w.size() + " series, " + (long) loads * QUERY_SAMPLES + " node_load1 samples";
        for (CompareTarget t : o.targets()) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            if (t.kind == Kind.STRATA) while (t.totalLag() > 0 && System.nanoTime() < deadline) Thread.sleep(500);
            String seen = "";
            while (System.nanoTime() < deadline) {
                seen = scalar(t.get(seriesCheck)) + " series, " + scalar(t.get(samplesCheck)) + " node_load1 samples";
                if (seen.equals(want)) break;
                Thread.sleep(1000);
            }
            System.out.printf(Locale.ROOT, "  %s holds %s (sent: %s)%n", t.name(), seen, want);
        }
        time(o, CompareQueries.DASHBOARD, endS, report.dashboard);
        time(o, CompareQueries.SMALL, endS, report.small);
    }

    private static String scalar(CompareTarget.Answer a) {
        Matcher m = SCALAR.matcher(a.body());
        return m.find() ? m.group(1) : a.status() + " " + a.body();
    }

    /** First answers, then rounds with caches allowed and with nocache=1, alternating; the first system asked rotates. */
    private static void time(Options o, List<CompareQueries.Query> queries, long endS, Map<String, Map<Kind, Latency>> out) throws Exception {
        List<CompareTarget> ts = o.targets();
        int n = ts.size(), rounds = o.rounds();
        Map<String, double[][]> ms = new LinkedHashMap<>(); // query -> [target][0: first, 1..rounds: cached, rounds+1..: nocache]
        Map<String, int[]> series = new HashMap<>();
        for (CompareQueries.Query q : queries) {
            ms.put(q.name(), new double[n][1 + 2 * rounds]);
            series.put(q.name(), new int[n]);
        }
        // pass 0: first answers; then passes alternate caches allowed (odd) / nocache=1 (even), so that
        // neither kind of repeat runs only while the systems are still warming up
        for (int pass = 0; pass <= 2 * rounds; pass++) {
            boolean nocache = pass > 0 && pass % 2 == 0;
            int r = pass == 0 ? 0 : nocache ? rounds + pass / 2 : (pass + 1) / 2; // column: 0, cached 1..rounds, nocache rounds+1..
            int first = pass; // the system asked first rotates from pass to pass
            for (CompareQueries.Query q : queries) {
                String path = CompareQueries.path(q, endS, nocache);
                for (int i = 0; i < n; i++) {
                    int ti = (i + first) % n;
                    CompareTarget.Answer a = ts.get(ti).get(path);
                    if (a.status() != 200) {
                        System.out.printf("  %s: %s answered %d: %s%n", ts.get(ti).name(), q.name(), a.status(), a.body());
                        ms.get(q.name())[ti][r] = Double.NaN;
                        continue;
                    }
                    ms.get(q.name())[ti][r] = a.millis();
                    if (r == 0) series.get(q.name())[ti] = a.series();
                }
            }
        }
        for (CompareQueries.Query q : queries) {
            Map<Kind, Latency> byKind = new EnumMap<>(Kind.class);
            for (int i = 0; i < n; i++) {
                double[] x = ms.get(q.name())[i];
                byKind.put(ts.get(i).kind, new Latency(x[0], CompareReport.median(java.util.Arrays.copyOfRange(x, 1, rounds + 1)),
                        CompareReport.median(java.util.Arrays.copyOfRange(x, rounds + 1, 2 * rounds + 1)), series.get(q.name())[i]));
            }
            out.put(q.name(), byKind);
        }
    }
}
