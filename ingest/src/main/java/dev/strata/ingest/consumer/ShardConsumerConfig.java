package dev.strata.ingest.consumer;

import java.time.Duration;

/**
 * @param topic             the ingest topic
 * @param shard             the shard = partition this consumer owns
 * @param startOffset       first offset to read; negative means from the beginning of the log
 * @param pollTimeout       how long one poll waits for records
 * @param endOffsetsRefresh how often to ask the broker for the end offset when the client has no lag estimate
 */
public record ShardConsumerConfig(String topic, int shard, long startOffset, Duration pollTimeout, Duration endOffsetsRefresh) {
    public static ShardConsumerConfig of(String topic, int shard, long startOffset) {
        return new ShardConsumerConfig(topic, shard, startOffset, Duration.ofMillis(100), Duration.ofSeconds(5));
    }
}
