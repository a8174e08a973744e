package dev.strata.node.cli;

import dev.strata.ingest.bench.IngestBench;
import java.util.Arrays;

/** {@code strata bench ingest ...}: the ingestion load generator. */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Load generators: 'bench ingest' sends node_exporter-like series and reports samples/s, lag, CPU";
    }

    @Override
    public String help() {
        return """
                Usage: strata bench ingest [options]

                Produces realistic node_exporter-like series for N hosts, through a gateway over
                Prometheus remote write (--mode http) or straight to the Kafka topic encoded as the
                gateway does (--mode kafka), and reports acknowledged samples/s, this process's CPU
                and (with --status-url) the consumers' lag, so you can size a deployment.

                """ + IngestBench.USAGE + "\n";
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("ingest")) {
            throw new UsageException("expected 'ingest [options]'");
        }
        IngestBench.main(Arrays.copyOfRange(args, 1, args.length));
        return 0;
    }
}
