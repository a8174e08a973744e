package dev.strata.ingest.consumer;

/**
 * Decides, during a replay, which series entries of a record the consumer must not append because
 * their samples are already durable in storage. The consumer still resolves (and, if new, creates)
 * the series, so the label index stays complete. Called on the consumer thread for every series
 * entry: implementations must be cheap and allocation free.
 */
@FunctionalInterface
public interface ReplayFilter {
    /** True if the samples of the series with label hash {@code seriesHash} in the record at {@code offset} are to be skipped. */
    boolean skip(long offset, long seriesHash);

    /** Appends everything. */
    ReplayFilter NONE = (offset, hash) -> false;
}
