package dev.strata.node.cli;

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
                Usage: strata inspect compression FILE

                Encodes a dataset file (gzip JSON Lines, one series per line, in the shape of the
                Prometheus query API's matrix result; see ../shared/datasets/README.md) the way the
                in-memory store does: 2h time-aligned chunks of at most 480 samples. Prints the samples,
                series and bytes per sample for each value codec (timestamps and chunk headers
                included), and last the line `chosen: <bytes per sample> bytes/sample` for what the
                encoder picks per chunk.

                Example:
                  strata inspect compression ../shared/datasets/node-15s.jsonl.gz
                """;
    }

    @Override
    public int run(String[] args) {
        if (args.length != 2 || !args[0].equals("compression")) {
            throw new UsageException("expected 'compression FILE'");
        }
        Path file = Path.of(args[1]);
        if (!Files.isReadable(file)) {
            throw new UsageException("cannot read " + file);
        }
        CompressionReport.run(file, System.out);
        return 0;
    }
}
