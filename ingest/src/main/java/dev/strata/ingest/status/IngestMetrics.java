package dev.strata.ingest.status;

import dev.strata.ingest.consumer.ShardConsumerStats;
import dev.strata.ingest.gateway.GatewayStats;
import dev.strata.ingest.gateway.InFlightBytes;
import dev.strata.store.selfmetrics.MetricFamilySnapshot;
import dev.strata.store.selfmetrics.MetricType;
import dev.strata.store.selfmetrics.MetricsRegistry;
import dev.strata.store.selfmetrics.Sample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Registers the gateway's and the shard consumers' metrics in the process registry (/metrics). */
public final class IngestMetrics {
    private IngestMetrics() {}

    /** Gateway counters: requests by outcome, samples, series, records, bytes, ignored parts, in-flight bytes. */
    public static void registerGateway(MetricsRegistry registry, GatewayStats s, InFlightBytes inFlight) {
        List<String> names = List.of("strata_ingest_gateway_requests_total", "strata_ingest_gateway_samples_total",
                "strata_ingest_gateway_series_total", "strata_ingest_gateway_records_total",
                "strata_ingest_gateway_record_bytes_total", "strata_ingest_gateway_ignored_total",
                "strata_ingest_gateway_inflight_bytes");
        registry.register(out -> {
            out.add(new MetricFamilySnapshot(names.get(0), "Write requests by outcome.", MetricType.COUNTER, List.of(
                    labelled(names.get(0), "outcome", "accepted", s.requestsAccepted()),
                    labelled(names.get(0), "outcome", "invalid", s.requestsInvalid()),
                    labelled(names.get(0), "outcome", "unavailable", s.requestsUnavailable()),
                    labelled(names.get(0), "outcome", "overloaded", s.requestsOverloaded()),
                    labelled(names.get(0), "outcome", "retention_guard", s.requestsRefusedRetention()))));
            out.add(single(names.get(1), "Samples acknowledged by Kafka.", MetricType.COUNTER, s.samplesAccepted()));
            out.add(single(names.get(2), "Series entries acknowledged by Kafka.", MetricType.COUNTER, s.seriesAccepted()));
            out.add(single(names.get(3), "Shard records acknowledged by Kafka.", MetricType.COUNTER, s.recordsSent()));
            out.add(single(names.get(4), "Bytes of shard records acknowledged by Kafka.", MetricType.COUNTER, s.recordBytesSent()));
            out.add(new MetricFamilySnapshot(names.get(5), "Received items that are not stored.", MetricType.COUNTER, List.of(
                    labelled(names.get(5), "what", "exemplar", s.exemplarsIgnored()),
                    labelled(names.get(5), "what", "string_field", s.stringFieldsIgnored()))));
            out.add(single(names.get(6), "Encoded bytes sent to Kafka and not yet acknowledged.", MetricType.GAUGE, inFlight.used()));
        }, names);
    }

    /** Per-shard consumer metrics, read at scrape time from {@code shards}. */
    public static void registerShards(MetricsRegistry registry, Supplier<Collection<ShardConsumerStats>> shards) {
        List<String> names = List.of("strata_ingest_shard_position", "strata_ingest_shard_lag_records",
                "strata_ingest_shard_samples_total", "strata_ingest_shard_samples_per_second",
                "strata_ingest_shard_series", "strata_ingest_shard_rejected_samples_total",
                "strata_ingest_shard_corrupt_records_total", "strata_ingest_shard_paused", "strata_ingest_offsets_lost_total",
                "strata_ingest_oldest_unflushed_age_seconds", "strata_ingest_shard_memory_used_bytes", "strata_ingest_shard_memory_budget_bytes",
                "strata_ingest_shard_early_cuts_total");
        registry.register(out -> {
            List<List<Sample>> fam = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) fam.add(new ArrayList<>());
            long nowMs = System.currentTimeMillis();
            for (ShardConsumerStats s : shards.get()) {
                String shard = Integer.toString(s.shard());
                fam.get(0).add(labelled(names.get(0), "shard", shard, s.position()));
                fam.get(1).add(labelled(names.get(1), "shard", shard, s.lag()));
                fam.get(2).add(labelled(names.get(2), "shard", shard, s.samplesTotal()));
                fam.get(3).add(labelled(names.get(3), "shard", shard, s.samplesPerSecond()));
                fam.get(4).add(labelled(names.get(4), "shard", shard, s.seriesCount()));
                for (Map.Entry<String, Long> e : s.rejected().entrySet()) {
                    fam.get(5).add(new Sample(names.get(5), List.of("shard", "reason"), List.of(shard, e.getKey()), e.getValue()));
                }
                fam.get(6).add(labelled(names.get(6), "shard", shard, s.corruptRecords()));
                fam.get(7).add(labelled(names.get(7), "shard", shard, s.paused() ? 1 : 0));
                fam.get(8).add(labelled(names.get(8), "shard", shard, s.offsetsLost()));
                fam.get(9).add(labelled(names.get(9), "shard", shard, s.oldestUnflushedAgeSeconds(nowMs)));
                fam.get(10).add(labelled(names.get(10), "shard", shard, s.memoryUsedBytes()));
                fam.get(11).add(labelled(names.get(11), "shard", shard, s.memoryBudgetBytes()));
                fam.get(12).add(labelled(names.get(12), "shard", shard, s.earlyCuts()));
            }
            out.add(new MetricFamilySnapshot(names.get(0), "Next Kafka offset the shard consumer reads.", MetricType.GAUGE, fam.get(0)));
            out.add(new MetricFamilySnapshot(names.get(1), "Records between the consumer position and the log end (-1 unknown).", MetricType.GAUGE, fam.get(1)));
            out.add(new MetricFamilySnapshot(names.get(2), "Samples appended to the store.", MetricType.COUNTER, fam.get(2)));
            out.add(new MetricFamilySnapshot(names.get(3), "Samples appended per second over the last second or more.", MetricType.GAUGE, fam.get(3)));
            out.add(new MetricFamilySnapshot(names.get(4), "Series in the shard's store.", MetricType.GAUGE, fam.get(4)));
            out.add(new MetricFamilySnapshot(names.get(5), "Samples not stored, by reason.", MetricType.COUNTER, fam.get(5)));
            out.add(new MetricFamilySnapshot(names.get(6), "Corrupt shard records skipped.", MetricType.COUNTER, fam.get(6)));
            out.add(new MetricFamilySnapshot(names.get(7), "1 while the consumer is paused by store back-pressure.", MetricType.GAUGE, fam.get(7)));
            out.add(new MetricFamilySnapshot(names.get(8), "Kafka offsets deleted by retention before the consumer read them"
                    + " (samples lost; each range is logged).", MetricType.COUNTER, fam.get(8)));
            out.add(new MetricFamilySnapshot(names.get(9), "Age of the oldest applied record not yet durable in Cassandra (what a"
                    + " crash replays from Kafka); 0 when all is durable. Writes are refused when it nears Kafka's retention.",
                    MetricType.GAUGE, fam.get(9)));
            out.add(new MetricFamilySnapshot(names.get(10), "Bytes the shard accounts against its memory budget (series, write"
                    + " buffers, chunks, paged chunks); at the budget its consumer pauses.", MetricType.GAUGE, fam.get(10)));
            out.add(new MetricFamilySnapshot(names.get(11), "The shard's memory budget (store.memory-budget-per-shard).", MetricType.GAUGE, fam.get(11)));
            out.add(new MetricFamilySnapshot(names.get(12), "Times the shard cut its write buffers early into chunks because they filled"
                    + " its memory budget with nothing left to flush.", MetricType.COUNTER, fam.get(12)));
        }, names);
    }

    private static MetricFamilySnapshot single(String name, String help, MetricType type, double v) {
        return new MetricFamilySnapshot(name, help, type, List.of(Sample.of(name, v)));
    }

    private static Sample labelled(String name, String label, String value, double v) {
        return new Sample(name, List.of(label), List.of(value), v);
    }
}
