package dev.strata.launch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real multi-broker KRaft Kafka cluster, each member its own forked JVM (see {@link KafkaClusterConfig}):
 * one controller and n brokers, on fixed ports, each with its own data directory. {@link #start} formats
 * every member with one cluster id and starts them all in parallel; it returns once every member is ready,
 * or stops those that started and rethrows. Members can be SIGKILLed and restarted one by one
 * ({@link KafkaClusterMember#kill()}, {@link #restart(List)}); {@link #close} stops every member that runs.
 * Not thread-safe: one owner (a test thread) drives it.
 */
public final class KafkaCluster implements AutoCloseable {
    private final KafkaClusterConfig config;
    private final KafkaClusterMember controller;
    private final List<KafkaClusterMember> brokers;

    private KafkaCluster(KafkaClusterConfig config, KafkaClusterMember controller, List<KafkaClusterMember> brokers) {
        this.config = config;
        this.controller = controller;
        this.brokers = List.copyOf(brokers);
    }

    /** Formats and starts the controller and every broker, in parallel; returns when all are ready. */
    public static KafkaCluster start(KafkaClusterConfig config) throws InterruptedException {
        String clusterId = KafkaServer.newClusterId();
        List<KafkaClusterMember> brokers = new ArrayList<>();
        for (int id = 1; id <= config.brokers(); id++) {
            brokers.add(new KafkaClusterMember(config, id, clusterId));
        }
        KafkaCluster cluster = new KafkaCluster(config,
                new KafkaClusterMember(config, KafkaClusterMember.CONTROLLER_ID, clusterId), brokers);
        List<KafkaClusterMember> all = new ArrayList<>(brokers);
        all.add(0, cluster.controller);
        try {
            formatAll(all, clusterId, config.dataDir());
            inParallel(all, "strata-kafka-cluster-start", KafkaClusterMember::launch);
        } catch (RuntimeException | InterruptedException e) {
            try {
                cluster.close();
            } catch (RuntimeException | InterruptedException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return cluster;
    }

    /** Formats every member not formatted yet in one JVM ({@link KafkaStorageFormat}); its output goes to {@code dir/format.log}. */
    private static void formatAll(List<KafkaClusterMember> members, String clusterId, Path dir) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(clusterId));
        for (KafkaClusterMember m : members) {
            m.prepare();
            if (!m.jvm().formatted()) args.add(m.jvm().serverProperties().toString());
        }
        if (args.size() == 1) return;
        Path log = dir.resolve("format.log");
        ChildProcess tool = ChildProcess.start("kafka-storage-format", members.get(0).jvm().command(
                KafkaStorageFormat.class.getName(), "256m", args), dir, log, dir.resolve("format.pid"));
        int code = tool.waitFor();
        if (code != 0) {
            throw new ProcessStartException("formatting the kafka cluster's storage in " + dir + " failed with exit code "
                    + code + ". Last lines of " + log + ":\n" + tool.logTail());
        }
    }

    public KafkaClusterConfig config() {
        return config;
    }

    /** Every broker, whether running or not: {@code host:port,...}. */
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public KafkaClusterMember controller() {
        return controller;
    }

    /** Brokers in node-id order (broker {@code i} has node id {@code i}). */
    public List<KafkaClusterMember> brokers() {
        return brokers;
    }

    /** The broker with Kafka node id {@code nodeId} (1..n). */
    public KafkaClusterMember broker(int nodeId) {
        if (nodeId < 1 || nodeId > brokers.size()) {
            throw new IllegalArgumentException("no broker " + nodeId + " (brokers are 1.." + brokers.size() + ")");
        }
        return brokers.get(nodeId - 1);
    }

    /** Starts the given stopped or killed members again on their data and ports, in parallel. */
    public void restart(List<KafkaClusterMember> members) throws InterruptedException {
        inParallel(members, "strata-kafka-cluster-restart", KafkaClusterMember::restart);
    }

    /** Stops every running broker gracefully (in parallel, while the controller still runs), then the controller. */
    @Override
    public void close() throws InterruptedException {
        try {
            inParallel(brokers, "strata-kafka-cluster-stop", KafkaClusterMember::stop);
        } finally {
            controller.stop();
        }
    }

    private interface MemberStep {
        void run(KafkaClusterMember member) throws InterruptedException;
    }

    /** Runs {@code step} for every member on its own named thread; waits for all, then rethrows the first failure. */
    private static void inParallel(List<KafkaClusterMember> members, String threadPrefix, MemberStep step)
            throws InterruptedException {
        if (members.isEmpty()) return;
        ExecutorService pool = Executors.newFixedThreadPool(members.size(), LocalStack.named(threadPrefix));
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (KafkaClusterMember m : members) {
                runs.add(CompletableFuture.runAsync(() -> {
                    try {
                        step.run(m);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CompletionException(e);
                    }
                }, pool));
            }
            RuntimeException first = null;
            for (CompletableFuture<Void> run : runs) {
                try {
                    run.join();
                } catch (CompletionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof InterruptedException ie) throw ie;
                    RuntimeException r = cause instanceof RuntimeException re ? re : e;
                    if (first == null) first = r; else first.addSuppressed(r);
                }
            }
            if (first != null) throw first;
        } finally {
            pool.shutdown();
        }
    }
}
