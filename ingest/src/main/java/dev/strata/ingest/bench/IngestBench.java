package dev.strata.ingest.bench;

import dev.strata.ingest.gateway.GatewayConfig;
import com.sun.management.OperatingSystemMXBean;
import dev.strata.ingest.gateway.ProducerSettings;
import dev.strata.ingest.gateway.ShardedEncoder;
import dev.strata.ingest.protocol.RemoteWrite1Decoder;
import dev.strata.ingest.protocol.SnappyBlock;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.sharding.ShardMapper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Ingestion load generator ({@code bin/strata bench ingest}): node_exporter-like series for N hosts,
 * one sample per series per round, rounds as fast as the target accepts them (for {@code --duration}
 * seconds, or until {@code --rounds} rounds are sent if that comes first), sent either
 * <ul>
 *   <li>{@code --mode http}: snappy remote write 1.0 to a gateway ({@code --url}), {@code --batch}
 *       series per request, {@code --concurrency} requests in flight; or</li>
 *   <li>{@code --mode kafka}: straight to the ingest topic ({@code --bootstrap}, {@code --topic},
 *       {@code --shards}, {@code --spread}), encoded exactly as the gateway does.</li>
 *   <li>{@code --mode local}: through the gateway's whole CPU path (snappy, decode, validate,
 *       shard, encode) in this process, into a MockProducer: the gateway's CPU cost per sample
 *       without network or Kafka (compare "samples per cpu-second" with the other modes).</li>
 * </ul>
 * Every {@code --report} seconds it prints acknowledged samples/s, this process's CPU use (cores,
 * from OperatingSystemMXBean process CPU time) and, with {@code --status-url}, the total consumer lag
 * read from the nodes' {@code /api/v1/status/shards}. Sample timestamps
 * start {@code --backfill} ago and advance {@code --step} per round, so a run must stay within the
 * gateway's accepted age/skew window (defaults: 1 day back, 10 min ahead).
 *
 * <p>With {@code --pids name=pid,...} and/or {@code --dev-data DIR} (the pid files {@code strata dev}
 * writes), it also reads each process's CPU time ({@link ProcessCpu}) when sending starts and again at
 * the end, and prints {@link StackCpuTable}: CPU-seconds per million acknowledged samples for each
 * process and for this load generator ("bench"). The end is after the last acknowledgement, then (with
 * {@code --status-url}) once the consumers' lag is 0, then {@code --settle} more seconds, so that the
 * consumers' work on the acknowledged records is inside the window; whatever the processes do while
 * idle (and, on a shared machine, nothing else) is in it too.
 */
public final class IngestBench {
    /**
     * Every option and its default. The topic, shard count and spread are the node's defaults (the
     * constants its configuration keys use), so {@code --mode kafka} without flags writes what a default
     * node reads. An option not listed here is an error, not ignored.
     */
    public static final Map<String, String> DEFAULTS = defaults();

    public static final String USAGE = """
            usage: strata bench ingest [--mode http|kafka|local] [--hosts 1000] [--cpus 8] [--duration 60] [--rounds 0]
                   [--batch 2000] [--concurrency 4] [--url http://localhost:9090/api/v1/write]
                   [--bootstrap localhost:9092] [--topic %s] [--shards %s] [--spread %s]
                   [--status-url http://localhost:9090/api/v1/status/shards] [--report 5]
                   [--step 15] [--backfill 82800] [--seed 1] [--job node]
                   [--pids name=pid,...] [--dev-data DIR] [--settle 0]""".formatted(DEFAULTS.get("topic"), DEFAULTS.get("shards"),
            DEFAULTS.get("spread"));

    private static Map<String, String> defaults() {
        Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("mode", "http");
        d.put("hosts", "1000");
        d.put("cpus", "8");
        d.put("duration", "60");
        d.put("rounds", "0");
        d.put("batch", "2000");
        d.put("concurrency", "4");
        d.put("url", "http://localhost:9090/api/v1/write");
        d.put("bootstrap", "localhost:9092");
        d.put("topic", GatewayConfig.DEFAULT_TOPIC);
        d.put("shards", Integer.toString(ShardMapper.DEFAULT_SHARDS));
        d.put("spread", Integer.toString(ShardMapper.DEFAULT_SPREAD));
        d.put("status-url", "");
        d.put("report", "5");
        d.put("step", "15");
        d.put("backfill", "82800");
        d.put("seed", "1");
        d.put("pids", "");
        d.put("dev-data", "");
        d.put("settle", "0");
        d.put("job", "node");
        return java.util.Collections.unmodifiableMap(d);
    }

    /** What a run achieved. */
    /** What a run did; {@code firstError} is the first failure seen (null if none), for diagnosis. */
    public record Result(long rounds, long acked, long failed, double seconds, double cpuSeconds, String firstError) {}

    public static void main(String[] args) throws Exception {
        run(parse(args));
    }

    /** Runs the load with the given options (names as on the command line, without "--"). */
    public static Result run(Map<String, String> options) throws Exception {
        for (String k : options.keySet()) {
            if (!DEFAULTS.containsKey(k)) throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
        }
        Map<String, String> o = new HashMap<>(DEFAULTS);
        o.putAll(options);
        String mode = o.get("mode");
        int hosts = Integer.parseInt(o.get("hosts"));
        int cpus = Integer.parseInt(o.get("cpus"));
        long durationS = Long.parseLong(o.get("duration"));
        long maxRounds = Long.parseLong(o.get("rounds")); // 0: as many as fit in the duration
        if (maxRounds < 0) throw new IllegalArgumentException("--rounds " + maxRounds + " is negative\n" + USAGE);
        int batch = Integer.parseInt(o.get("batch"));
        int concurrency = Integer.parseInt(o.get("concurrency"));
        int reportS = Integer.parseInt(o.get("report"));
        long stepMs = Long.parseLong(o.get("step")) * 1000;
        long backfillMs = Long.parseLong(o.get("backfill")) * 1000;
        long seed = Long.parseLong(o.get("seed"));
        String statusUrl = o.get("status-url").isEmpty() ? null : o.get("status-url");
        long settleS = Long.parseLong(o.get("settle"));
        if (settleS < 0) throw new IllegalArgumentException("--settle " + settleS + " is negative\n" + USAGE);
        Map<String, Long> pids = ProcessCpu.pids(o.get("pids"), o.get("dev-data"));
        if (!pids.isEmpty()) pids.putIfAbsent("bench", ProcessHandle.current().pid());
        ProcessCpu procCpu = new ProcessCpu(java.nio.file.Path.of("/proc"));
        long hz = pids.isEmpty() ? 0 : ProcessCpu.clockTicksPerSecond();

        NodeExporterWorkload w = new NodeExporterWorkload(hosts, cpus, seed, o.get("job"));
        System.out.printf("strata bench ingest: mode=%s hosts=%d series=%d batch=%d concurrency=%d duration=%ds%n",
                mode, hosts, w.size(), batch, concurrency, durationS);
        Sender sender = switch (mode) {
            case "http" -> new HttpSender(o.get("url"), concurrency);
            case "kafka" -> new KafkaSender(o.get("bootstrap"), o.get("topic"),
                    ShardMapper.byMetricName(Integer.parseInt(o.get("shards")), Integer.parseInt(o.get("spread"))),
                    concurrency);
            case "local" -> new LocalSender(ShardMapper.byMetricName(Integer.parseInt(o.get("shards")),
                    Integer.parseInt(o.get("spread"))));
            default -> throw new IllegalArgumentException("unknown --mode " + mode + "\n" + USAGE);
        };

        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        RemoteWriteRequestEncoder enc = new RemoteWriteRequestEncoder();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(durationS);
        long cpuStart = os.getProcessCpuTime();
        Map<String, Long> ticksStart = procCpu.ticks(pids);
        long lastReport = start, lastAcked = 0, lastCpu = cpuStart;
        long ts = System.currentTimeMillis() - backfillMs;
        long rounds = 0;
        while (System.nanoTime() < end && (maxRounds == 0 || rounds < maxRounds)) {
            double[] values = w.advance();
            for (int from = 0; from < w.size() && System.nanoTime() < end; from += batch) {
                int to = Math.min(w.size(), from + batch);
                sender.send(enc.encode(w.series(), values, from, to, ts), to - from);
                long now = System.nanoTime();
                if (now - lastReport >= TimeUnit.SECONDS.toNanos(reportS)) {
                    long acked = sender.acked.get();
                    long cpu = os.getProcessCpuTime();
                    System.out.printf("t=%5.1fs acked=%d samples (%.0f/s) failed=%d cpu=%.2f cores%s%n",
                            (now - start) / 1e9, acked, (acked - lastAcked) * 1e9 / (now - lastReport), sender.failed.get(),
                            (cpu - lastCpu) / (double) (now - lastReport), lag(statusUrl));
                    lastReport = now;
                    lastAcked = acked;
                    lastCpu = cpu;
                }
            }
            ts += stepMs;
            rounds++;
        }
        sender.drain();
        long elapsed = System.nanoTime() - start;
        long cpu = os.getProcessCpuTime() - cpuStart;
        long acked = sender.acked.get();
        System.out.printf("done: %d rounds, %d samples acknowledged in %.1fs = %.0f samples/s, %d failed, "
                        + "client cpu %.1fs (%.2f cores, %.0f samples per cpu-second)%s%n",
                rounds, acked, elapsed / 1e9, acked * 1e9 / elapsed, sender.failed.get(), cpu / 1e9,
                cpu / (double) elapsed, acked / (cpu / 1e9), lag(statusUrl));
        sender.close();
        if (!pids.isEmpty()) {
            long settleStart = System.nanoTime();
            if (statusUrl != null) awaitNoLag(statusUrl);
            Thread.sleep(TimeUnit.SECONDS.toMillis(settleS));
            Map<String, Long> ticksEnd = procCpu.ticks(pids);
            Map<String, Long> used = new java.util.LinkedHashMap<>();
            ticksStart.forEach((name, t) -> used.put(name, ticksEnd.get(name) - t));
            System.out.printf("CPU per process over %.1fs (run %.1fs + %.1fs until lag 0 and --settle), %d samples acknowledged:%n%s",
                    (System.nanoTime() - start) / 1e9, elapsed / 1e9, (System.nanoTime() - settleStart) / 1e9, acked,
                    StackCpuTable.format(StackCpuTable.rows(used, hz, acked)));
        }
        return new Result(rounds, acked, sender.failed.get(), elapsed / 1e9, cpu / 1e9, sender.firstError.get());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-h") || args[i].equals("--help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad argument " + args[i] + "\n" + USAGE);
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static final Pattern LAG = Pattern.compile("\"lag\":(-?\\d+)");

    private static String lag(String statusUrl) {
        if (statusUrl == null) return "";
        try {
            return " lag=" + fetchLag(statusUrl) + " records";
        } catch (Exception e) {
            return " lag=? (" + e.getMessage() + ")";
        }
    }

    /** The consumers' total lag from a {@code /api/v1/status/shards} URL. */
    private static long fetchLag(String statusUrl) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(statusUrl))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return totalLag(r.body());
    }

    /** The sum of the (non-negative) "lag" fields of a {@code /api/v1/status/shards} answer. */
    static long totalLag(String shardStatus) {
        long total = 0;
        Matcher m = LAG.matcher(shardStatus);
        while (m.find()) total += Math.max(0, Long.parseLong(m.group(1)));
        return total;
    }

    /** Waits (at most 5 minutes, polling every 200 ms) until the consumers have read every record. */
    private static void awaitNoLag(String statusUrl) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                if (fetchLag(statusUrl) == 0) return;
                last = "lag not 0";
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        System.out.println("warning: consumers did not catch up within 5 minutes (" + last + "); the table counts what was done");
    }

    abstract static class Sender implements AutoCloseable {
        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        final Semaphore inFlight;
        final int concurrency;

        Sender(int concurrency) {
            this.concurrency = concurrency;
            this.inFlight = new Semaphore(concurrency);
        }

        abstract void send(byte[] rw1, int samples) throws Exception;

        void drain() throws InterruptedException {
            inFlight.acquire(concurrency);
            inFlight.release(concurrency);
        }

        @Override
        public void close() {}
    }

    static final class HttpSender extends Sender {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI uri;
        private final AtomicLong errorsPrinted = new AtomicLong();

        HttpSender(String url, int concurrency) {
            super(concurrency);
            this.uri = URI.create(url);
        }

        @Override
        void send(byte[] rw1, int samples) throws InterruptedException {
            byte[] body = SnappyBlock.compress(rw1, 0, rw1.length);
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-protobuf")
                    .header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            inFlight.acquire();
            client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (e == null && r.statusCode() / 100 == 2) {
                    acked.addAndGet(samples);
                } else {
                    failed.addAndGet(samples);
                    String error = "request failed: " + (e != null ? e : r.statusCode() + " " + r.body());
                    firstError.compareAndSet(null, error);
                    if (errorsPrinted.incrementAndGet() <= 5) System.err.println(error);
                }
                inFlight.release(); // after counting, so drain() sees every result
            });
        }
    }

    private static final class LocalSender extends Sender {
        private final org.apache.kafka.clients.producer.MockProducer<byte[], byte[]> producer =
                new org.apache.kafka.clients.producer.MockProducer<>(true, null,
                        new org.apache.kafka.common.serialization.ByteArraySerializer(),
                        new org.apache.kafka.common.serialization.ByteArraySerializer());
        private final dev.strata.ingest.gateway.IngestGateway gateway;

        LocalSender(ShardMapper mapper) {
            super(1);
            gateway = new dev.strata.ingest.gateway.IngestGateway(dev.strata.ingest.gateway.GatewayConfig.defaults("local"),
                    producer, mapper, new dev.strata.ingest.validate.BatchValidator(
                            dev.strata.ingest.validate.ValidationLimits.defaults()), System::currentTimeMillis);
        }

        private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long gatewayCpuNanos;

        @Override
        void send(byte[] rw1, int samples) throws Exception {
            byte[] body = SnappyBlock.compress(rw1, 0, rw1.length);
            long cpu0 = threads.getCurrentThreadCpuTime();
            byte[] raw = SnappyBlock.decompress(body, 0, body.length, 256 << 20);
            WriteBatch b = new WriteBatch();
            RemoteWrite1Decoder.decode(raw, 0, raw.length, b);
            var o = gateway.write(b).get();
            gatewayCpuNanos += threads.getCurrentThreadCpuTime() - cpu0;
            if (o.status() == dev.strata.ingest.gateway.WriteOutcome.Status.ACCEPTED) acked.addAndGet(samples);
            else failed.addAndGet(samples);
            producer.clear();
        }

        @Override
        public void close() {
            System.out.printf("gateway path only (decompress, decode, validate, shard, encode, produce): cpu %.1fs, "
                    + "%.0f samples per cpu-second%n", gatewayCpuNanos / 1e9, acked.get() / (gatewayCpuNanos / 1e9));
        }
    }

    private static final class KafkaSender extends Sender {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final ShardedEncoder encoder;
        private final WriteBatch batch = new WriteBatch();
        private final AtomicLong errorsPrinted = new AtomicLong();

        KafkaSender(String bootstrap, String topic, ShardMapper mapper, int concurrency) {
            super(concurrency * 8);
            // The gateway's 20 s delivery timeout suits a receiver whose clients retry; a load generator
            // must count only records the broker really refused, not ones that waited on a busy machine.
            this.producer = new KafkaProducer<>(ProducerSettings.of(bootstrap, "strata-bench", "lz4", 5, 120_000, 4 << 20));
            this.topic = topic;
            this.encoder = new ShardedEncoder(mapper, 900 * 1024);
        }

        @Override
        void send(byte[] rw1, int samples) throws InterruptedException {
            RemoteWrite1Decoder.decode(rw1, 0, rw1.length, batch);
            var records = encoder.encode(batch);
            if (records.isEmpty()) return;
            AtomicLong pending = new AtomicLong(records.size());
            java.util.concurrent.atomic.AtomicBoolean ok = new java.util.concurrent.atomic.AtomicBoolean(true);
            inFlight.acquire();
            long sentAt = System.nanoTime();
            for (var r : records) {
                producer.send(new ProducerRecord<>(topic, r.shard(), null, r.value()), (m, e) -> {
                    if (e != null) {
                        ok.set(false);
                        String error = "send to shard " + r.shard() + " failed after "
                                + (System.nanoTime() - sentAt) / 1_000_000 + " ms: " + e;
                        firstError.compareAndSet(null, error);
                        if (errorsPrinted.incrementAndGet() <= 5) System.err.println(error);
                    }
                    if (pending.decrementAndGet() == 0) {
                        if (ok.get()) acked.addAndGet(samples); else failed.addAndGet(samples);
                        inFlight.release(); // after counting, so drain() sees every result
                    }
                });
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
