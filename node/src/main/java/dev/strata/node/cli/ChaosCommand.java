package dev.strata.node.cli;

import dev.strata.node.chaos.FaultSuite;
import dev.strata.query.parser.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** {@code strata chaos}: the Jepsen-style fault suite ({@link FaultSuite}) for as long as asked. */
public final class ChaosCommand implements Command {
    @Override
    public String name() {
        return "chaos";
    }

    @Override
    public String summary() {
        return "Fault suite: kill and pause Kafka, Cassandra and nodes under remote write, then check every acknowledged sample";
    }

    @Override
    public String help() {
        return """
                Usage: strata chaos [--duration D] [--seed N] [--nodes N] [--replicas R] [--writers N] [--data DIR]
                                    [--catch-up-timeout D]

                Starts a real Kafka broker, a real Cassandra node and N Strata nodes, each its own process,
                on free loopback ports. N writers send Prometheus remote write continuously and record which
                requests were acknowledged (2xx). A seeded scheduler injects one fault at a time: SIGKILL
                and restart of a node, of Kafka or of Cassandra; SIGSTOP/SIGCONT of any of them; a node
                killed and restarted with another flush.groups; and membership faults (the nodes use
                dynamic membership: no cluster.nodes, members in Cassandra): a node with a new ordinal
                joins, a node leaves with SIGTERM (hands its shards over), a node crashes for good
                (SIGKILL, never restarted). The first fault is always one of those, then one in four; the
                node count stays within max(1, R) .. N+1. When the duration is over everything is
                healed, the nodes catch up, and every series is read back through the query API: the table
                gives acknowledged / read / lost / duplicated / wrong value per fault window (the fault
                active when the sample was acknowledged). Offsets the Kafka log itself lost (DATA LOSS
                lines, strata_*_offsets_lost_total) are reported separately. A progress line every 10 s.

                Exit code 0: every acknowledged sample read back exactly once with its value (or missing
                only with a loss the log reported); 1: a loss, duplicate, wrong value or other problem;
                2: usage error.

                Options:
                  --duration D          how long faults are injected, a Prometheus duration (default: 5m)
                  --seed N              the fault plan's and sample values' seed (default: random, printed)
                  --nodes N             Strata node processes at the start (default: 1; joins add one)
                  --replicas R          nodes owning each shard, at most --nodes (default: min(2, nodes))
                  --writers N           concurrent remote-write clients, 30 series each (default: 3)
                  --data DIR            where every process keeps its data and log (default: a new
                                        directory under the temp dir; kept when the run fails)
                  --catch-up-timeout D  how long the healed nodes may take to serve every acknowledged
                                        sample (default: 10m)

                Examples:
                  strata chaos --duration 30m
                  strata chaos --duration 3m --seed 42 --nodes 3 --writers 4
                """;
    }

    @Override
    public int run(String[] args) throws Exception {
        LongOptions options = LongOptions.parse(args, Set.of("duration", "seed", "nodes", "replicas", "writers", "data",
                "catch-up-timeout"));
        Duration duration = duration(options, "duration", "5m");
        Duration catchUp = duration(options, "catch-up-timeout", "10m");
        long seed;
        try {
            seed = options.has("seed") ? Long.parseLong(options.string("seed", "0")) : new java.security.SecureRandom().nextLong();
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be a whole number, got '" + options.string("seed", "") + "'");
        }
        int nodes = DevCommand.positive(options, "nodes", 1, 16);
        int replicas = DevCommand.positive(options, "replicas", Math.min(2, nodes), 16);
        if (replicas > nodes) throw new UsageException("--replicas " + replicas + " exceeds --nodes " + nodes);
        int writers = DevCommand.positive(options, "writers", 3, 64);
        boolean chosen = options.has("data");
        Path data = chosen ? options.path("data", null).toAbsolutePath().normalize()
                : Files.createTempDirectory("strata-chaos-");
        FaultSuite.Result result = FaultSuite.run(new FaultSuite.Options(duration, seed, nodes, replicas, writers, data,
                Duration.ofMinutes(3), catchUp, System.out));
        if (result.ok() && !chosen) {
            deleteRecursively(data);
        } else {
            System.out.println("chaos: data and logs kept in " + data);
        }
        return result.ok() ? 0 : 1;
    }

    private static Duration duration(LongOptions options, String name, String fallback) {
        String v = options.string(name, fallback);
        try {
            long ms = Durations.parseMs(v);
            if (ms > 0) return Duration.ofMillis(ms);
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a positive duration such as 30m or 90s, got '" + v + "'");
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
