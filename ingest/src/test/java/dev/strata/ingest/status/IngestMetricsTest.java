package dev.strata.ingest.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.ingest.gateway.GatewayStats;
import dev.strata.ingest.gateway.InFlightBytes;
import dev.strata.store.selfmetrics.MetricsRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
    @Test
    void exposesGatewayAndShardFamilies() {
        MetricsRegistry r = new MetricsRegistry();
        IngestMetrics.registerGateway(r, new GatewayStats(), new InFlightBytes(100));
        IngestMetrics.registerShards(r, List::of);
        String text = r.scrape();
        for (String line : new String[] {
                "strata_ingest_gateway_requests_total{outcome=\"accepted\"} 0",
                "strata_ingest_gateway_ignored_total{what=\"exemplar\"} 0",
                "strata_ingest_gateway_inflight_bytes 0",
                "# TYPE strata_ingest_shard_lag_records gauge",
                "# TYPE strata_ingest_shard_rejected_samples_total counter"}) {
            assertTrue(text.contains(line), "missing \"" + line + "\" in:\n" + text);
        }
    }
}
