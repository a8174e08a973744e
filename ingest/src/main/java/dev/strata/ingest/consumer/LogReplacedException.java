package dev.strata.ingest.consumer;

/**
 * The shard's partition no longer is the log the consumer was reading: its position is beyond the
 * log's end (the topic was deleted and recreated, or Kafka rebuilt, while the shard ran). The shard
 * must be started again, so that recovery plans against the new log.
 */
public final class LogReplacedException extends RuntimeException {
    public LogReplacedException(String message) {
        super(message);
    }
}
