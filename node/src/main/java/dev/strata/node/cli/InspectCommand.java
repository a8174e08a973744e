package dev.strata.node.cli;

import dev.strata.store.memstore.MemShardOptions;
import dev.strata.store.tools.CompressionReport;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code strata inspect compression FILE}: bytes per sample of each codec on a dataset file. */
public final class InspectCommand implements Command {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "Inspect data: 'inspect compression FILE' reports bytes/sample per codec";
    }

    @Override
    public String help() {
        return """
                Usage: strata inspect compression FILE [--max-samples-per-chunk N]

                Encodes a dataset file (gzip JSON Lines, one series per line, in the shape of the
                Prometheus query API's matrix result; see ../shared/datasets/README.md) the way the
                in-memory store does: 2h time-aligned chunks of at most 480 samples. Prints the samples,
                series and bytes per sample for each value codec (timestamps and chunk headers
                included), and last the line `chosen: <bytes per sample> bytes/sample` for what the
                encoder picks per chunk. --max-samples-per-chunk tries another chunk length
                (store.max-samples-per-chunk; default 480).

                Example:
                  strata inspect compression ../shared/datasets/node-15s.jsonl.gz
                """;
    }

    @Override
    public int run(String[] args) {
        if ((args.length != 2 && args.length != 4) || !args[0].equals("compression")
                || (args.length == 4 && !args[2].equals("--max-samples-per-chunk"))) {
            throw new UsageException("expected 'compression FILE [--max-samples-per-chunk N]'");
        }
        Path file = Path.of(args[1]);
        if (!Files.isReadable(file)) {
            throw new UsageException("cannot read " + file);
        }
        MemShardOptions chunking = MemShardOptions.defaults();
        if (args.length == 4) {
            int max;
            try {
                max = Integer.parseInt(args[3]);
            } catch (NumberFormatException e) {
                throw new UsageException("--max-samples-per-chunk " + args[3] + " is not a number");
            }
            if (max < 1 || max > 1 << 20) throw new UsageException("--max-samples-per-chunk must be in [1, 1048576], got " + max);
            chunking = chunking.withChunking(chunking.chunkDurationMs(), max);
        }
        CompressionReport.run(file, chunking, System.out);
        return 0;
    }
}
