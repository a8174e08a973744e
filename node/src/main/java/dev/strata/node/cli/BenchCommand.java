package dev.strata.node.cli;

import dev.strata.ingest.bench.IngestBench;
import dev.strata.ingest.bench.MemoryBench;
import java.util.Arrays;

/** {@code strata bench ingest|memory ...}: the ingestion load generator and the memory-per-series benchmark. */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Load generators: 'bench ingest' sends node_exporter-like series and reports samples/s, lag, CPU; 'bench memory' measures memory per active series";
    }

    @Override
    public String help() {
        return """
                Usage: strata bench ingest [options]
                       strata bench memory [options]

                Produces realistic node_exporter-like series for N hosts, through a gateway over
                Prometheus remote write (--mode http) or straight to the Kafka topic encoded as the
                gateway does (--mode kafka), and reports acknowledged samples/s, this process's CPU
                and (with --status-url) the consumers' lag, so you can size a deployment. With --pids
                name=pid,... or --dev-data DIR (the pid files of 'strata dev') it prints each process's
                CPU-seconds per million acknowledged samples (/proc/PID/stat, before and after the run).

                'bench memory' sends the same load in growing steps of active series to a Strata node
                (and Prometheus / VictoriaMetrics when given) and prints each process's RSS growth, and
                the node's live heap after a full GC with a breakdown by structure (jcmd).

                """ + IngestBench.USAGE + "\n" + MemoryBench.USAGE + "\n";
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("ingest") || args[0].equals("memory"))) {
            throw new UsageException("expected 'ingest [options]' or 'memory [options]'");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("memory")) MemoryBench.main(rest);
        else IngestBench.main(rest);
        return 0;
    }
}
