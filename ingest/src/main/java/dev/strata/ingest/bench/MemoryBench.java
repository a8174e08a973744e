package dev.strata.ingest.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Memory per active series ({@code bin/strata bench memory}): sends the same node_exporter-like load
 * ({@link NodeExporterWorkload}, {@code --samples} samples per series, {@code --step} s apart, ending
 * half a minute before each system's send starts, so that they stay inside a default node's accepted
 * sample age of 10 minutes) over remote write to each system given (a Strata node, and optionally Prometheus with
 * {@code --web.enable-remote-write-receiver} and VictoriaMetrics), in steps of growing series counts
 * ({@code --series 100000,200000}: each step adds new hosts, earlier series stay active), and after
 * each step prints each process's growth since it was idle: RSS (from /proc), and for a JVM (the
 * Strata node) the live heap after a full GC and a breakdown of it by structure (from
 * {@code jcmd PID GC.class_histogram}, which runs the full GC), with the per-series ratios.
 *
 * <p>The breakdown groups classes, so primitive arrays ({@code byte[]}, {@code long[]}) are one row
 * whoever holds them: the write buffers and chunks are {@code byte[]} (see the memstore's
 * HeadBuffer / SealedChunk rows for their object counts).
 */
public final class MemoryBench {
    public static final String USAGE = """
            usage: strata bench memory --strata-url URL --strata-pid PID [--series 100000,200000] [--cpus 8]
                   [--samples 81] [--step 5] [--settle 20] [--batch 2000] [--concurrency 4] [--seed 1]
                   [--prometheus-url URL --prometheus-pid PID] [--vm-url URL --vm-pid PID]
              URLs are remote-write endpoints: Strata http://localhost:9090/api/v1/write,
              Prometheus http://localhost:9091/api/v1/write, VictoriaMetrics http://localhost:8428/api/v1/write""";

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("series", "100000,200000");
        d.put("cpus", "8");
        d.put("samples", "81");
        d.put("step", "5");
        d.put("settle", "20");
        d.put("batch", "2000");
        d.put("concurrency", "4");
        d.put("seed", "1");
        for (String k : List.of("strata", "prometheus", "vm")) {
            d.put(k + "-url", "");
            d.put(k + "-pid", "");
        }
        return d;
    }

    private MemoryBench() {}

    /** One system under test. */
    private record Target(String name, String url, long pid, boolean jvm) {}

    /** One measurement of a process. {@code heap} -1 when not a JVM. */
    record Sample(long rss, long heap, Map<String, long[]> groups) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length || !DEFAULTS.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("bad argument " + args[i] + "\n" + USAGE);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        List<Target> targets = new ArrayList<>();
        for (String k : List.of("strata", "prometheus", "vm")) {
            String url = o.get(k + "-url"), pid = o.get(k + "-pid");
            if (url.isEmpty() != pid.isEmpty()) throw new IllegalArgumentException("--" + k + "-url and --" + k + "-pid go together\n" + USAGE);
            if (!url.isEmpty()) targets.add(new Target(k, url, Long.parseLong(pid), k.equals("strata")));
        }
        if (targets.isEmpty()) throw new IllegalArgumentException("no system given\n" + USAGE);
        int cpus = Integer.parseInt(o.get("cpus"));
        int samples = Integer.parseInt(o.get("samples"));
        long stepMs = Long.parseLong(o.get("step")) * 1000;
        int batch = Integer.parseInt(o.get("batch"));
        int concurrency = Integer.parseInt(o.get("concurrency"));
        long seed = Long.parseLong(o.get("seed"));
        long settleS = Long.parseLong(o.get("settle"));
        List<Integer> steps = new ArrayList<>();
        for (String s : o.get("series").split(",")) steps.add(Integer.parseInt(s.trim()));
        int perHost = new NodeExporterWorkload(1, cpus, seed).size();
        int maxHosts = (steps.get(steps.size() - 1) + perHost - 1) / perHost;
        NodeExporterWorkload w = new NodeExporterWorkload(maxHosts, cpus, seed);
        double[][] values = new double[samples][];
        for (int i = 0; i < samples; i++) values[i] = w.advance().clone();
        System.out.printf(Locale.ROOT, "strata bench memory: %d series per host, %d samples per series every %ds, steps %s%n",
                perHost, samples, stepMs / 1000, steps);

        Map<String, Sample> idle = new LinkedHashMap<>();
        for (Target t : targets) idle.put(t.name(), measure(t));
        RemoteWriteRequestEncoder enc = new RemoteWriteRequestEncoder();
        int sentHosts = 0;
        List<String> rows = new ArrayList<>();
        for (int n : steps) {
            int hosts = (n + perHost - 1) / perHost;
            int from = sentHosts * perHost, to = hosts * perHost;
            for (Target t : targets) {
                long t0 = System.currentTimeMillis() - 30_000 - stepMs * samples;
                try (IngestBench.HttpSender sender = new IngestBench.HttpSender(t.url(), concurrency)) {
                    for (int r = 0; r < samples; r++) {
                        for (int b = from; b < to; b += batch) {
                            sender.send(enc.encode(w.series(), values[r], b, Math.min(to, b + batch), t0 + r * stepMs), Math.min(to, b + batch) - b);
                        }
                    }
                    sender.drain();
                    if (sender.failed.get() > 0) System.err.printf("%s: %d samples failed: %s%n", t.name(), sender.failed.get(), sender.firstError.get());
                }
            }
            sentHosts = hosts;
            TimeUnit.SECONDS.sleep(settleS); // consumers catch up, background work settles
            int series = to;
            System.out.printf(Locale.ROOT, "%n== %,d active series (%d hosts) ==%n", series, hosts);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %,d |", series));
            double strataRss = 0;
            for (Target t : targets) {
                Sample s = measure(t);
                Sample i = idle.get(t.name());
                double rssPer = (s.rss() - i.rss()) / (double) series;
                System.out.printf(Locale.ROOT, "%-10s RSS %,d MB (+%,d MB since idle, %,.0f B/series)", t.name(), s.rss() >> 20, (s.rss() - i.rss()) >> 20, rssPer);
                if (t.jvm()) {
                    strataRss = rssPer;
                    double heapPer = (s.heap() - i.heap()) / (double) series;
                    System.out.printf(Locale.ROOT, "; live heap %,d MB (+%,d MB, %,.0f B/series)%n", s.heap() >> 20, (s.heap() - i.heap()) >> 20, heapPer);
                    printBreakdown(s, i, series);
                    row.append(String.format(Locale.ROOT, " +%,d MB (%,.0f B/series) | +%,d MB (%,.0f B/series) |",
                            (s.rss() - i.rss()) >> 20, rssPer, (s.heap() - i.heap()) >> 20, heapPer));
                } else {
                    System.out.println(strataRss > 0 ? String.format(Locale.ROOT, "; Strata RSS/series is %.2fx this", strataRss / rssPer) : "");
                    row.append(String.format(Locale.ROOT, " +%,d MB (%,.0f B/series) |", (s.rss() - i.rss()) >> 20, rssPer));
                }
            }
            rows.add(row.toString());
        }
        System.out.println("\nMarkdown rows (series | " + String.join(" | ", targets.stream().map(t -> t.jvm() ? t.name() + " RSS | " + t.name() + " live heap" : t.name() + " RSS").toList()) + "):");
        rows.forEach(System.out::println);
    }

    private static final String[][] GROUPS = {
            {"memstore series, write buffers, chunks (objects)", "dev.strata.store.memstore."},
            {"label sets (Labels)", "dev.strata.store.model."},
            {"strings", "java.lang.String"},
            {"Lucene", "org.apache.lucene."},
            {"Kafka client", "org.apache.kafka."},
            {"Cassandra driver / netty", "com.datastax.", "io.netty."},
            {"hash maps", "java.util.HashMap", "java.util.concurrent.ConcurrentHashMap", "java.util.LinkedHashMap"},
            {"byte[] (write buffers, chunks, strings' bytes, Lucene/Kafka buffers)", "[B"},
            {"long[]", "[J"},
            {"double[]", "[D"},
            {"int[]", "[I"},
            {"Object[] and other arrays", "[L", "[["},
    };

    private static void printBreakdown(Sample s, Sample idle, int series) {
        System.out.printf(Locale.ROOT, "  %-72s %12s %12s %10s%n", "live heap by structure (growth since idle)", "instances", "bytes", "B/series");
        for (Map.Entry<String, long[]> e : s.groups().entrySet()) {
            long[] now = e.getValue();
            long[] before = idle.groups().getOrDefault(e.getKey(), new long[2]);
            long db = now[1] - before[1];
            if (Math.abs(db) < 1 << 20) continue;
            System.out.printf(Locale.ROOT, "  %-72s %,12d %,12d %10.1f%n", e.getKey(), now[0] - before[0], db, db / (double) series);
        }
    }

    private static String group(String cls) {
        for (String[] g : GROUPS) for (int i = 1; i < g.length; i++) if (cls.startsWith(g[i])) return g[0];
        return "other";
    }

    /** Instances and bytes per group of a {@code jcmd GC.class_histogram} text (lines "num: instances bytes class"). */
    static Map<String, long[]> groups(String histogram) {
        Map<String, long[]> groups = new LinkedHashMap<>();
        for (String[] g : GROUPS) groups.put(g[0], new long[2]);
        groups.put("other", new long[2]);
        for (String line : histogram.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":")) continue;
            long[] acc = groups.get(group(f[3]));
            acc[0] += Long.parseLong(f[1]);
            acc[1] += Long.parseLong(f[2]);
        }
        return groups;
    }

    private static Sample measure(Target t) throws IOException, InterruptedException {
        long heap = -1;
        Map<String, long[]> groups = groups("");
        if (t.jvm()) {
            // GC.class_histogram runs a full GC first: the histogram is the live heap
            groups = groups(run("jcmd", Long.toString(t.pid()), "GC.class_histogram"));
            heap = 0;
            for (long[] g : groups.values()) heap += g[1];
        }
        return new Sample(rss(t.pid()), heap, groups);
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
