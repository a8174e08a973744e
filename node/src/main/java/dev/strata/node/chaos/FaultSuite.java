package dev.strata.node.chaos;

import dev.strata.launch.CassandraServerConfig;
import dev.strata.launch.FreePorts;
import dev.strata.launch.JavaCommand;
import dev.strata.launch.KafkaServerConfig;
import dev.strata.launch.LocalStack;
import dev.strata.launch.RuntimeClasspath;
import dev.strata.launch.StrataRoot;
import dev.strata.store.concurrent.NamedThreads;
import dev.strata.store.model.Labels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Jepsen-style fault suite: a real Kafka broker, a real Cassandra node and {@code nodes} Strata nodes,
 * each its own process; {@code writers} remote-write clients that each record which requests were
 * acknowledged (2xx); a seeded {@link FaultPlan} injecting one fault at a time (SIGKILL + restart,
 * SIGSTOP/SIGCONT of any process, a node restarted with another {@code flush.groups}, and membership
 * faults: a node joins, leaves with SIGTERM, or crashes for good) for {@code duration};
 * then everything is healed, the nodes catch up, and every writer's series are read back through the
 * query API and checked sample by sample ({@link ExactlyOnceCheck}), per fault window (the fault active
 * when the sample's request was acknowledged). Losses the log itself suffered ({@code DATA LOSS} lines,
 * {@code strata_*_offsets_lost_total}) are reported separately. A progress line every 10 s.
 *
 * <p>Membership is dynamic (docs/cluster-membership.md: no {@code cluster.nodes}, members announce
 * themselves in Cassandra), with short timings ({@link #MEMBERSHIP_TIMING}: a killed or paused node is
 * down after 3 s, so a node's kill or pause also moves its shards). The node count stays within
 * {@code max(1, replicas)} .. {@code nodes + 1}. Writers use the nodes in service, as a Service's
 * endpoints: a node leaves the service list just before its SIGTERM or crash, and enters it once ready.
 *
 * <p>Every writer sends its own series ({@code chaos_w<i>_m<j>}), one sample per series per step; step k
 * is at {@code t0 + k * 100 ms}, with t0 far enough in the past that the last step is 10 minutes old.
 */
public final class FaultSuite {
    static final long STEP_MS = 100;
    static final int SERIES_PER_WRITER = 30;
    static final int METRICS_PER_WRITER = 3;
    static final int SHARDS = 4;
    static final int INITIAL_FLUSH_GROUPS = 4;
    /** After the last fault the writers go on this long, with every process up, before they stop. */
    static final Duration HEALED_WRITES = Duration.ofSeconds(5);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    static final String NOT_ACKNOWLEDGED = "(sent, not acknowledged)";
    /** Membership timing: heartbeats every 500 ms, down after 3 s, at most 40 s to hand shards over on SIGTERM. */
    static final List<String> MEMBERSHIP_TIMING = List.of("cluster.heartbeat-interval=500ms", "cluster.failure-timeout=3s",
            "cluster.leave-timeout=40s");
    /** How long a leaving node may take from SIGTERM to exit (its leave timeout, then its stop). */
    static final Duration LEAVE_GRACE = Duration.ofSeconds(90);

    /**
     * @param duration       how long faults are injected
     * @param seed           the fault plan's and the sample values' seed
     * @param nodes          Strata node processes at the start (membership faults make it vary by one)
     * @param replicas       nodes owning each shard (at most {@code nodes})
     * @param writers        concurrent remote-write clients
     * @param dataDir        where every process keeps its data and log (kept afterwards)
     * @param readyTimeout   how long a restarted node may take to be ready
     * @param catchUpTimeout how long, after healing, the nodes may take until every acknowledged sample is read back
     * @param out            progress lines and the final table
     */
    public record Options(Duration duration, long seed, int nodes, int replicas, int writers, Path dataDir,
                          Duration readyTimeout, Duration catchUpTimeout, PrintStream out) {}

    /**
     * The outcome.
     *
     * @param byWindow         per fault window (and {@link #NOT_ACKNOWLEDGED}), all writers together
     * @param faults           faults injected
     * @param membershipFaults of those, joins, leaves and crashes
     * @param unacknowledged   samples sent whose request was never acknowledged (may be stored, at most once)
     * @param logLost          offsets the log lost, as the nodes counted them (metrics) or logged them ({@code DATA LOSS} lines)
     * @param problems         what else went wrong: a writer refused (4xx), a node exiting by itself, a read failing
     */
    public record Result(long seed, Map<String, ExactlyOnceCheck.Report> byWindow, int faults, int membershipFaults, long unacknowledged,
                         long logLost, List<String> problems) {
        public ExactlyOnceCheck.Report total() {
            return sum(byWindow.values());
        }

        /** No duplicate, no wrong value, nothing never sent, no problem, and no loss unless the log reported its own. */
        public boolean ok() {
            ExactlyOnceCheck.Report t = total();
            return problems.isEmpty() && t.duplicated() == 0 && t.wrongValue() == 0 && t.unexpected() == 0
                    && (t.missing() == 0 || logLost > 0);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final FaultWindows windows = new FaultWindows();
    private final List<String> problems = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    /** Every node process ever started (for logs and closing), by name. */
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    /** The nodes clients use (ready members not leaving), as a Service's endpoints. */
    private final List<NodeProcess> inService = new java.util.concurrent.CopyOnWriteArrayList<>();
    private List<String> commonSettings;
    private FaultPlan plan;
    private int membershipFaults;

    private FaultSuite(Options options) {
        this.options = options;
        this.out = options.out();
    }

    /** Runs the suite and prints the table; throws only when the stack cannot be started or driven at all. */
    public static Result run(Options options) throws Exception {
        return new FaultSuite(options).run();
    }

    private Result run() throws Exception {
        Files.createDirectories(options.dataDir());
        say("seed %d (rerun with --seed %d), %d node(s), replicas %d, %d writer(s), %d s of faults; data and logs in %s",
                options.seed(), options.seed(), options.nodes(), options.replicas(), options.writers(),
                options.duration().toSeconds(), options.dataDir());
        int[] ports = FreePorts.many(4);
        Path root = StrataRoot.find();
        KafkaServerConfig kafkaConfig = new KafkaServerConfig(options.dataDir().resolve("kafka"), "127.0.0.1", ports[0], ports[1],
                "512m", JavaCommand.currentJava(), RuntimeClasspath.kafka(root), Duration.ofSeconds(240), List.of());
        CassandraServerConfig cassandraConfig = new CassandraServerConfig(options.dataDir().resolve("cassandra"), "strata-chaos",
                "127.0.0.1", ports[2], ports[3], "512m", JavaCommand.currentJava(), RuntimeClasspath.cassandra(root),
                Duration.ofSeconds(300), List.of("-XX:TieredStopAtLevel=1"));
        LocalStack stack = LocalStack.start(kafkaConfig, cassandraConfig);
        List<AckedRemoteWriter> writers = new ArrayList<>();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("chaos-progress"));
        try {
            say("Kafka (pid %d) and Cassandra (pid %d) ready", stack.kafka().process().pid(), stack.cassandra().process().pid());
            startNodes(kafkaConfig.bootstrapServers(), cassandraConfig.contactPoint());
            List<FaultTarget> targets = new ArrayList<>();
            for (NodeProcess n : nodes.values()) targets.add(FaultTarget.node(n, options.readyTimeout()));
            targets.add(FaultTarget.server("kafka", stack.kafka()));
            targets.add(FaultTarget.server("cassandra", stack.cassandra()));
            plan = new FaultPlan(options.seed(), targets, INITIAL_FLUSH_GROUPS, Math.max(1, options.replicas()),
                    options.nodes() + 1, options.nodes());

            List<SentSamples> sent = startWriters(writers);
            progress.scheduleAtFixedRate(() -> progress(sent, writers), PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
            int faults = injectFaults(writers);
            heal();
            say("all %d fault(s) healed; writing %d s more, then stopping the writers", faults, HEALED_WRITES.toSeconds());
            Thread.sleep(HEALED_WRITES.toMillis());
            for (int w = 0; w < writers.size(); w++) {
                try {
                    writers.get(w).close();
                } catch (AssertionError e) {
                    problems.add("writer " + w + ": " + e.getMessage());
                }
            }
            progress.shutdownNow();
            Map<String, ExactlyOnceCheck.Report> byWindow = awaitCatchUp(inService.get(0), sent);
            long logLost = logLoss();
            long unacknowledged = 0;
            for (SentSamples s : sent) unacknowledged += (long) s.unacknowledgedSteps() * s.seriesCount();
            Result result = new Result(options.seed(), byWindow, faults, membershipFaults, unacknowledged, logLost, List.copyOf(problems));
            printTable(result);
            return result;
        } finally {
            progress.shutdownNow();
            for (AckedRemoteWriter w : writers) {
                try {
                    w.close();
                } catch (AssertionError ignored) {
                    // reported above, or the run is already failing
                }
            }
            for (NodeProcess n : nodes.values()) n.close();
            stack.close();
        }
    }

    /** Starts {@code options.nodes()} dynamic members (ordinals 0..n-1) and waits until each is ready. */
    private void startNodes(String kafka, String cassandra) throws IOException, InterruptedException {
        Path secret = options.dataDir().resolve("cluster-secret");
        Files.writeString(secret, Long.toHexString(new java.security.SecureRandom().nextLong()) + "-chaos-secret",
                StandardCharsets.UTF_8);
        commonSettings = new ArrayList<>(NodeProcess.faultSettings(kafka, cassandra, "chaos", "chaos", SHARDS));
        commonSettings.addAll(MEMBERSHIP_TIMING);
        commonSettings.addAll(List.of("cluster.replicas=" + options.replicas(), "cluster.secret-file=" + secret,
                "cluster.advertise-address=127.0.0.1"));
        for (int o = 0; o < options.nodes(); o++) launchNode(o);
        for (NodeProcess node : nodes.values()) node.awaitReady(options.readyTimeout());
        inService.addAll(nodes.values());
        say("%d node(s) ready: %s", options.nodes(), nodes.values());
    }

    /** Forks node {@code ordinal} on two fresh ports (HTTP, cluster); returns at once. */
    private NodeProcess launchNode(int ordinal) {
        int[] ports = FreePorts.many(2);
        List<String> settings = new ArrayList<>(commonSettings);
        settings.addAll(List.of("node.ordinal=" + ordinal, "cluster.port=" + ports[1]));
        String name = "node-" + ordinal;
        NodeProcess node = NodeProcess.start(name, options.dataDir().resolve(name), ports[0], settings);
        nodes.put(name, node);
        return node;
    }

    private List<SentSamples> startWriters(List<AckedRemoteWriter> writers) {
        int maxSteps = (int) ((options.duration().toMillis() + Duration.ofMinutes(2).toMillis()) / STEP_MS);
        long t0 = (System.currentTimeMillis() - maxSteps * STEP_MS - 600_000L) / 1000 * 1000;
        List<SentSamples> sent = new ArrayList<>();
        for (int w = 0; w < options.writers(); w++) {
            SentSamples s = new SentSamples(series(w), t0, STEP_MS, maxSteps, options.seed() + 1 + w);
            sent.add(s);
            int first = w;
            writers.add(new AckedRemoteWriter("chaos-writer-" + w, s, attempt -> {
                List<NodeProcess> up = List.copyOf(inService);
                return up.get(Math.floorMod(first + attempt, up.size())).baseUrl();
            },
                    4, Duration.ofMillis(STEP_MS), Duration.ofSeconds(10)).start());
        }
        return sent;
    }

    /** Writer {@code w}'s series: {@code chaos_w<w>_m<j>{job="chaos", s="000"...}}. */
    static List<Labels> series(int w) {
        List<Labels> out = new ArrayList<>();
        for (int i = 0; i < SERIES_PER_WRITER; i++) {
            out.add(Labels.of("__name__", metric(w, i % METRICS_PER_WRITER), "job", "chaos", "s", String.format("%03d", i)));
        }
        return out;
    }

    private static String metric(int w, int j) {
        return "chaos_w" + w + "_m" + j;
    }

    /** Injects faults one at a time until the duration is over; each is healed before the next. Returns how many. */
    private int injectFaults(List<AckedRemoteWriter> writers) throws InterruptedException {
        long deadline = startNanos + options.duration().toNanos();
        int injected = 0;
        while (true) {
            Fault f = plan.next();
            long now = System.nanoTime();
            if (now + f.quietMs() * 1_000_000 - deadline >= 0) {
                if (deadline - now > 0) Thread.sleep((deadline - now) / 1_000_000);
                return injected;
            }
            Thread.sleep(f.quietMs());
            restartExited();
            for (int w = 0; w < writers.size(); w++) {
                if (writers.get(w).failure() != null) {
                    say("writer %d failed: %s; no more faults", w, writers.get(w).failure());
                    return injected;
                }
            }
            say("%s", f);
            inject(f);
            injected++;
            if (f.membership()) membershipFaults++;
        }
    }

    private void inject(Fault f) throws InterruptedException {
        FaultTarget t = f.target();
        int window = windows.open(f.label());
        try {
            switch (f.kind()) {
                case KILL -> {
                    t.kill();
                    Thread.sleep(f.downMs());
                    t.start();
                }
                case PAUSE -> {
                    t.pause();
                    try {
                        Thread.sleep(f.downMs());
                    } finally {
                        t.resume();
                    }
                }
                case RECONFIGURE -> {
                    t.kill();
                    Thread.sleep(f.downMs());
                    t.start(settings -> settings.stream()
                            .map(s -> s.startsWith("flush.groups=") ? "flush.groups=" + f.flushGroups() : s).toList());
                }
                case JOIN -> {
                    NodeProcess node = launchNode(Integer.parseInt(f.joining().substring("node-".length())));
                    FaultTarget joined = FaultTarget.node(node, options.readyTimeout());
                    node.awaitReady(options.readyTimeout());
                    awaitSettled(-1);
                    inService.add(node);
                    plan.joined(joined);
                    t = joined;
                }
                case LEAVE -> {
                    NodeProcess node = leaving(t);
                    int code = node.terminate(LEAVE_GRACE);
                    if (code != 143) problems.add(t.name() + " exited with " + code + " after SIGTERM, not 143 (see its server.log)");
                    if (!node.logText().contains("every shard handed over") && !node.logText().contains("holds no shard")) {
                        problems.add(t.name() + " stopped without handing its shards over (see its server.log)");
                    }
                    awaitSettled(ordinal(t));
                }
                case CRASH -> {
                    leaving(t);
                    t.kill();
                    awaitSettled(ordinal(t));
                }
            }
        } finally {
            windows.close(window);
        }
        if (f.kind() == Fault.Kind.LEAVE || f.kind() == Fault.Kind.CRASH) {
            say("fault %d settled: %s is gone, every shard has its ready owners on %s", f.number(), t.name(), inService);
        } else if (f.kind() == Fault.Kind.JOIN) {
            say("fault %d settled: %s joined (pid %d), every shard has its ready owners", f.number(), t.name(), t.pid());
        } else {
            say("fault %d healed: %s is back (pid %d)", f.number(), t.name(), t.pid());
        }
    }

    /** Takes a node out of service (clients stop using it) before it leaves or crashes; returns its process. */
    private NodeProcess leaving(FaultTarget t) {
        NodeProcess node = nodes.get(t.name());
        inService.remove(node);
        return node;
    }

    private static int ordinal(FaultTarget t) {
        return Integer.parseInt(t.name().substring("node-".length()));
    }

    /**
     * Waits until a node in service reports every shard with min(R, nodes in service) ready owners, no
     * handoff in progress and {@code gone} (or -1) owning no slot; a cluster that does not settle within
     * the ready timeout is a problem (the suite goes on).
     */
    private void awaitSettled(int gone) throws InterruptedException {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        PromApi api = new PromApi(Duration.ofSeconds(10));
        String status = "";
        while (System.nanoTime() - deadline < 0) {
            List<NodeProcess> up = List.copyOf(inService);
            int wanted = Math.min(options.replicas(), up.size() + (gone < 0 ? 1 : 0));
            try {
                status = api.get(up.get(0).baseUrl() + "/api/v1/status/shards");
                if (ShardStatus.settled(status, SHARDS, wanted, gone)) return;
            } catch (IOException | AssertionError e) {
                status = e.toString();
            }
            Thread.sleep(250);
        }
        problems.add("the cluster did not settle within " + options.readyTimeout().toSeconds() + " s: " + status);
        say("the cluster did not settle within %d s; going on", options.readyTimeout().toSeconds());
    }

    /** A process that ended without being killed is a finding: it is reported, and started again. */
    private void restartExited() throws InterruptedException {
        for (FaultTarget t : plan.targets()) {
            if (!t.isAlive()) {
                problems.add(t.name() + " exited by itself (see its server.log in " + options.dataDir() + ")");
                say("%s exited by itself; starting it again", t.name());
                t.start();
            }
        }
    }

    private void heal() throws InterruptedException {
        restartExited();
        if (windows.current() != null) throw new IllegalStateException("fault window still open: " + windows.current());
    }

    /**
     * Reads every writer's series back until no acknowledged sample is missing or the catch-up timeout
     * passes; returns the last check, per fault window, all writers summed.
     */
    private Map<String, ExactlyOnceCheck.Report> awaitCatchUp(NodeProcess reader, List<SentSamples> sent) throws InterruptedException {
        long deadline = System.nanoTime() + options.catchUpTimeout().toNanos();
        PromApi api = new PromApi(Duration.ofSeconds(120));
        long t0 = System.nanoTime();
        while (true) {
            String failure = null;
            List<Map<String, ExactlyOnceCheck.Report>> perWriter = new ArrayList<>();
            for (int w = 0; w < sent.size() && failure == null; w++) {
                try {
                    Map<String, List<ExactlyOnceCheck.Sample>> read = new LinkedHashMap<>();
                    for (int j = 0; j < METRICS_PER_WRITER && failure == null; j++) {
                        SentSamples s = sent.get(w);
                        long evalTime = s.timestamp(s.maxSteps() - 1) + 1000;
                        long rangeSeconds = s.maxSteps() * STEP_MS / 1000 + 120;
                        PromApi.Answer a = api.query(reader.baseUrl(), "{__name__=\"" + metric(w, j) + "\"}[" + rangeSeconds + "s]",
                                evalTime, "");
                        if (!a.success() || !a.warnings().isEmpty()) failure = "reading " + metric(w, j) + ": " + a;
                        else read.putAll(a.matrix());
                    }
                    if (failure == null) perWriter.add(check(sent.get(w), read));
                } catch (IOException e) {
                    failure = "reading writer " + w + "'s series: " + e;
                }
            }
            Map<String, ExactlyOnceCheck.Report> merged = failure == null ? merge(perWriter) : null;
            int missing = merged == null ? -1 : sum(merged.values()).missing();
            if (missing == 0) {
                say("caught up: every acknowledged sample read back after %.1f s", (System.nanoTime() - t0) / 1e9);
                return merged;
            }
            if (System.nanoTime() - deadline > 0) {
                if (merged == null) {
                    problems.add("read-back failed until the catch-up timeout: " + failure);
                    return Map.of();
                }
                say("catch-up timeout (%d s): %d acknowledged samples still missing", options.catchUpTimeout().toSeconds(), missing);
                return merged;
            }
            say("catching up: %s", merged == null ? failure : missing + " acknowledged samples not read back yet");
            Thread.sleep(5_000);
        }
    }

    /** One writer's check, each sample in the window of its step's acknowledgement. */
    private Map<String, ExactlyOnceCheck.Report> check(SentSamples s, Map<String, List<ExactlyOnceCheck.Sample>> read) {
        Map<String, TreeMap<Long, Long>> acked = s.acknowledgedSamples();
        Map<String, TreeMap<Long, Long>> unacked = s.unacknowledgedSamples();
        return ExactlyOnceCheck.checkByBucket(acked, unacked, read, ts -> {
            int step = s.stepOf(ts);
            if (step < 0 || !s.acknowledged(step)) return NOT_ACKNOWLEDGED;
            return windows.labelAt(s.acknowledgedAtNanos(step));
        });
    }

    private static Map<String, ExactlyOnceCheck.Report> merge(List<Map<String, ExactlyOnceCheck.Report>> reports) {
        Map<String, List<ExactlyOnceCheck.Report>> byKey = new TreeMap<>();
        for (Map<String, ExactlyOnceCheck.Report> r : reports) r.forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        Map<String, ExactlyOnceCheck.Report> out = new TreeMap<>();
        byKey.forEach((k, v) -> out.put(k, sum(v)));
        return out;
    }

    static ExactlyOnceCheck.Report sum(Iterable<ExactlyOnceCheck.Report> reports) {
        int acked = 0, checked = 0, missing = 0, dup = 0, wrong = 0, unexpected = 0;
        List<String> examples = new ArrayList<>();
        for (ExactlyOnceCheck.Report r : reports) {
            acked += r.acknowledged();
            checked += r.checked();
            missing += r.missing();
            dup += r.duplicated();
            wrong += r.wrongValue();
            unexpected += r.unexpected();
            for (String e : r.examples()) if (examples.size() < 8) examples.add(e);
        }
        return new ExactlyOnceCheck.Report(acked, checked, missing, dup, wrong, unexpected, List.copyOf(examples));
    }

    /**
     * What the log itself lost: the {@code DATA LOSS} lines of every node's log (every start) and the
     * current processes' {@code strata_ingest_offsets_lost_total} and {@code strata_recovery_offsets_lost_total}.
     */
    private long logLoss() {
        long lost = 0;
        PromApi api = new PromApi(Duration.ofSeconds(30));
        for (NodeProcess n : nodes.values()) {
            List<String> lines = n.logText().lines().filter(l -> l.contains("DATA LOSS")).toList();
            for (String l : lines) say("%s: %s", n.name(), l.strip());
            lost += lines.size();
            if (!n.isAlive()) continue; // left or crashed: its log is all there is
            try {
                double counted = NodeMetrics.sum(NodeMetrics.scrape(api, n.baseUrl(), "strata_ingest_offsets_lost_total"))
                        + NodeMetrics.sum(NodeMetrics.scrape(api, n.baseUrl(), "strata_recovery_offsets_lost_total"));
                if (counted > 0) say("%s counts %.0f offsets lost by the log", n.name(), counted);
                lost += (long) counted;
            } catch (IOException | AssertionError e) {
                problems.add("cannot scrape " + n.name() + "'s /metrics: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lost;
            }
        }
        return lost;
    }

    private void progress(List<SentSamples> sent, List<AckedRemoteWriter> writers) {
        long ackedSamples = 0;
        int unacked = 0;
        int failed = 0;
        for (SentSamples s : sent) {
            ackedSamples += (long) s.acknowledgedSteps() * s.seriesCount();
            unacked += s.unacknowledgedSteps();
        }
        for (AckedRemoteWriter w : writers) {
            for (AckedRemoteWriter.Attempt a : w.attempts()) if (a.status() / 100 != 2) failed++;
        }
        String now = windows.current();
        say("progress: %d fault(s) so far%s; %d samples acknowledged, %d requests without a 2xx (given up or in flight), %d failed attempts",
                windows.size(), now == null ? ", none active" : ", now: " + now, ackedSamples, unacked, failed);
    }

    private void printTable(Result r) {
        String format = "%-28s %6s %12s %12s %8s %10s %11s %10s%n";
        out.println();
        out.printf(format, "fault window (at the ack)", "faults", "acknowledged", "read", "lost", "duplicated", "wrong value", "never sent");
        // Every fault injected gets a row, also one during which nothing was acknowledged (Kafka down).
        java.util.Set<String> labels = new java.util.TreeSet<>(r.byWindow().keySet());
        labels.addAll(windows.labels());
        labels.remove(FaultWindows.NO_FAULT);
        labels.remove(NOT_ACKNOWLEDGED);
        List<String> order = new ArrayList<>();
        order.add(FaultWindows.NO_FAULT);
        order.addAll(labels);
        order.add(NOT_ACKNOWLEDGED);
        ExactlyOnceCheck.Report none = new ExactlyOnceCheck.Report(0, 0, 0, 0, 0, 0, List.of());
        for (String label : order) {
            ExactlyOnceCheck.Report x = r.byWindow().getOrDefault(label, none);
            String count = label.equals(FaultWindows.NO_FAULT) || label.equals(NOT_ACKNOWLEDGED) ? "-" : Integer.toString(windows.count(label));
            out.printf(format, label, count, x.acknowledged(), x.checked(), x.missing(), x.duplicated(), x.wrongValue(), x.unexpected());
        }
        ExactlyOnceCheck.Report t = r.total();
        out.printf(format, "total", r.faults(), t.acknowledged(), t.checked(), t.missing(), t.duplicated(), t.wrongValue(), t.unexpected());
        out.println("(read: samples of that window read back; " + NOT_ACKNOWLEDGED + ": " + r.unacknowledged()
                + " samples whose request got no 2xx, each may be read at most once)");
        out.println("offsets the log itself lost (DATA LOSS lines, strata_*_offsets_lost_total): " + r.logLost());
        for (String p : r.problems()) out.println("problem: " + p);
        if (!t.examples().isEmpty()) out.println("examples: " + t.examples());
        if (r.ok()) {
            out.println(t.missing() == 0 ? "chaos: PASS (seed " + r.seed() + ")"
                    : "chaos: PASS with " + t.missing() + " samples lost with the log's own reported loss (seed " + r.seed() + ")");
        } else {
            out.println("chaos: FAIL (seed " + r.seed() + "; rerun with --seed " + r.seed() + ")");
        }
    }

    private void say(String format, Object... args) {
        out.printf("chaos %6.1fs  %s%n", (System.nanoTime() - startNanos) / 1e9, String.format(format, args));
        out.flush();
    }
}
