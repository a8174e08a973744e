package dev.strata.node.cli;

import dev.strata.ingest.bench.CompareBench;
import dev.strata.ingest.bench.HandoffBench;
import dev.strata.ingest.bench.IngestBench;
import dev.strata.ingest.bench.MemoryBench;
import java.util.Arrays;
import java.util.List;

/**
 * {@code strata bench ingest|memory|compare|handoff ...}: the ingestion load generator, the memory-per-series
 * benchmark, the side-by-side comparison with Prometheus and VictoriaMetrics, and the time a new shard owner
 * takes to be ready.
 */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Load generators: 'bench ingest' sends node_exporter-like series and reports samples/s, lag, CPU; 'bench memory' measures memory per active series; 'bench compare' runs both peers' and Strata's ingest, bytes/sample and query latency side by side; 'bench handoff' times a new shard owner's open -> ready against the un-flushed tail";
    }

    @Override
    public String help() {
        return """
                Usage: strata bench ingest [options]
                       strata bench memory [options]
                       strata bench compare [options]
                       strata bench handoff [options]

                Produces realistic node_exporter-like series for N hosts, through a gateway over
                Prometheus remote write (--mode http) or straight to the Kafka topic encoded as the
                gateway does (--mode kafka), and reports acknowledged samples/s, this process's CPU
                and (with --status-url) the consumers' lag, so you can size a deployment. With --pids
                name=pid,... or --dev-data DIR (the pid files of 'strata dev') it prints each process's
                CPU-seconds per million acknowledged samples (/proc/PID/stat, before and after the run).

                'bench memory' sends the same load in growing steps of active series to a Strata node
                (and Prometheus / VictoriaMetrics when given) and prints each process's RSS growth, and
                the node's live heap after a full GC with a breakdown by structure (jcmd).

                'bench compare' takes running Prometheus / VictoriaMetrics / Strata endpoints (it starts
                nothing), loads the same data into each and prints one table: remote-write ingest
                samples/s, bytes/sample of the shared datasets as each system reports its own storage,
                and the latency of dashboard and small queries (first run, repeats with and without
                results caches), with Strata's ratio to each (README, "Side by side").

                'bench handoff' measures what a joining node pays per shard before the old owner lets go:
                on a real Kafka and Cassandra, an old owner flushes a shard, K more samples arrive, and a
                new owner opens the shard on an empty data directory (index rebuilt from the series keys,
                checkpoints, Kafka tail); it prints open and open -> ready times and the catch-up speed
                per tail size K (docs/operations.md, "Handoff time").

                """ + IngestBench.USAGE + "\n" + MemoryBench.USAGE + "\n" + CompareBench.USAGE + "\n" + HandoffBench.USAGE + "\n";
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length == 0 || !List.of("ingest", "memory", "compare", "handoff").contains(args[0])) {
            throw new UsageException("expected 'ingest [options]', 'memory [options]', 'compare [options]' or 'handoff [options]'");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "memory" -> MemoryBench.main(rest);
            case "compare" -> CompareBench.main(rest);
            case "handoff" -> HandoffBench.main(rest);
            default -> IngestBench.main(rest);
        }
        return 0;
    }
}
