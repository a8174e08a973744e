package dev.strata.ingest.status;

import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.gateway.HttpResponses;
import dev.strata.store.json.JsonWriter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/status/local-shards}: per owned shard, the consumer's offsets, lag, ingestion rate,
 * series count and rejected samples by reason, in Prometheus API style:
 * <pre>
 * {"status":"success","data":{"shards":[{"shard":0,"state":"running","topic":"ingest","running":true,"paused":false,
 *   "position":120,"lastOffset":119,"endOffset":125,"lag":5,"lagSeconds":2.4,"oldestUnflushedAgeSeconds":3.1,"samplesPerSecond":51234.5,
 *   "samplesTotal":1000000,"recordsTotal":120,"seriesCount":5000,"seriesCreated":5000,"memoryUsedBytes":2750000,"memoryBudgetBytes":67108864,
 *   "corruptRecords":0,"replaySkippedSamples":0,"offsetOutOfRange":0,"offsetsLost":0,"ready":true,
 *   "recovery":{"from":100,"target":120,"percent":100.0,"samplesPerSecond":2000000,"etaSeconds":0.0},"rejected":{"duplicate":3},"rejectedTotal":3,"lastError":""}]}}
 * </pre>
 * Unknown values (before the first poll) are -1. {@code lag} is in records (log end minus position);
 * {@code lagSeconds} is the consumer lag in time as Burrow and kafka-lag-exporter mean it, how old the
 * oldest record not yet applied is, taken as now minus the Kafka timestamp of the last record applied
 * while {@code lag} is above 0 (an upper bound), 0 when caught up, -1 while unknown (see
 * {@link ShardConsumerStats#lagSeconds(long)}); rounded to 0.1 s. {@code oldestUnflushedAgeSeconds}: how
 * old the oldest applied record not yet durable in Cassandra is (what a crash replays from Kafka; the
 * retention guard refuses writes when it nears Kafka's retention), 0 when all is durable.
 */
public final class ShardStatusHandler {
    private final Supplier<Collection<ShardConsumerStats>> shards;
    private final Supplier<Map<Integer, String>> states;
    private final LongSupplier clock;

    /**
     * @param shards the running consumers' stats
     * @param states each owned shard's supervision state ("running", "open failed, retrying in ...",
     *               "consumer failed, restarting in ..."); shards without a running consumer are listed
     *               with their state only
     * @param clock  wall-clock milliseconds, for {@code lagSeconds}
     */
    public ShardStatusHandler(Supplier<Collection<ShardConsumerStats>> shards, Supplier<Map<Integer, String>> states,
                              LongSupplier clock) {
        this.shards = shards;
        this.states = states;
        this.clock = clock;
    }

    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest req) {
        return CompletableFuture.completedFuture(HttpResponses.json(HttpResponseStatus.OK, render(shards.get(), states.get(), clock.getAsLong())));
    }

    /** @param nowMs wall-clock milliseconds {@code lagSeconds} is measured at */
    public static String render(Collection<ShardConsumerStats> stats, Map<Integer, String> states, long nowMs) {
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"shards\":[");
        boolean first = true;
        java.util.Set<Integer> listed = new java.util.HashSet<>();
        for (ShardConsumerStats s : stats) {
            if (!first) sb.append(',');
            first = false;
            listed.add(s.shard());
            sb.append("{\"shard\":").append(s.shard());
            sb.append(",\"state\":");
            sb.append(JsonWriter.quote(states.getOrDefault(s.shard(), "running")));
            sb.append(",\"topic\":");
            sb.append(JsonWriter.quote(s.topic()));
            sb.append(",\"running\":").append(s.running());
            sb.append(",\"paused\":").append(s.paused());
            sb.append(",\"stuck\":").append(s.stuck());
            sb.append(",\"position\":").append(s.position());
            sb.append(",\"lastOffset\":").append(s.lastOffset());
            sb.append(",\"endOffset\":").append(s.endOffset());
            sb.append(",\"lag\":").append(s.lag());
            sb.append(",\"lagSeconds\":");
            JsonWriter.appendNumber(sb, Math.round(s.lagSeconds(nowMs) * 10) / 10.0);
            sb.append(",\"oldestUnflushedAgeSeconds\":");
            JsonWriter.appendNumber(sb, Math.round(s.oldestUnflushedAgeSeconds(nowMs) * 10) / 10.0);
            sb.append(",\"samplesPerSecond\":");
            JsonWriter.appendNumber(sb, Math.round(s.samplesPerSecond() * 10) / 10.0);
            sb.append(",\"samplesTotal\":").append(s.samplesTotal());
            sb.append(",\"recordsTotal\":").append(s.recordsTotal());
            sb.append(",\"seriesCount\":").append(s.seriesCount());
            sb.append(",\"seriesCreated\":").append(s.seriesCreated());
            sb.append(",\"memoryUsedBytes\":").append(s.memoryUsedBytes());
            sb.append(",\"memoryBudgetBytes\":").append(s.memoryBudgetBytes());
            sb.append(",\"corruptRecords\":").append(s.corruptRecords());
            sb.append(",\"replaySkippedSamples\":").append(s.replaySkippedSamples());
            sb.append(",\"offsetOutOfRange\":").append(s.offsetOutOfRange());
            sb.append(",\"offsetsLost\":").append(s.offsetsLost());
            sb.append(",\"ready\":").append(s.ready());
            sb.append(",\"recovery\":{\"from\":").append(s.replayFrom());
            sb.append(",\"target\":").append(s.replayTarget());
            sb.append(",\"percent\":");
            JsonWriter.appendNumber(sb, Math.round(s.replayPercent() * 10) / 10.0);
            sb.append(",\"samplesPerSecond\":");
            JsonWriter.appendNumber(sb, Math.round(s.replaySamplesPerSecond()));
            sb.append(",\"etaSeconds\":");
            JsonWriter.appendNumber(sb, Math.round(s.replayEtaSeconds() * 10) / 10.0);
            sb.append('}');
            sb.append(",\"rejected\":{");
            boolean f2 = true;
            for (Map.Entry<String, Long> e : s.rejected().entrySet()) {
                if (!f2) sb.append(',');
                f2 = false;
                sb.append(JsonWriter.quote(e.getKey()));
                sb.append(':').append(e.getValue());
            }
            sb.append("},\"rejectedTotal\":").append(s.rejectedTotal());
            sb.append(",\"lastError\":");
            sb.append(JsonWriter.quote(s.lastError()));
            sb.append('}');
        }
        for (Map.Entry<Integer, String> e : states.entrySet()) {
            if (listed.contains(e.getKey())) continue;
            if (!first) sb.append(',');
            first = false;
            sb.append("{\"shard\":").append(e.getKey()).append(",\"state\":");
            sb.append(JsonWriter.quote(e.getValue()));
            sb.append(",\"running\":false,\"ready\":false}");
        }
        return sb.append("]}}").toString();
    }
}
