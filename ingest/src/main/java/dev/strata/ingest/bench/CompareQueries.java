package dev.strata.ingest.bench;

import java.util.List;

/**
 * The queries the compare benchmark times, over the {@link NodeExporterWorkload} series with
 * {@code job="node"} (hosts {@code host-00000:9100} ...). The dashboard queries are what a node_exporter
 * dashboard panel asks, each as a range query over the last hour at a 15 s step; the small ones touch a
 * few series, to show the fixed cost of a query (HTTP, parsing, planning, index, JSON).
 */
final class CompareQueries {
    /** {@code range}: a range query over the hour at 15 s; otherwise an instant query at its end. */
    record Query(String name, String promql, boolean range) {}

    static final List<Query> DASHBOARD = List.of(
            new Query("cpu busy by instance", "sum by (instance) (rate(node_cpu_seconds_total{job=\"node\",mode!=\"idle\"}[5m]))", true),
            new Query("cpu by mode", "sum by (mode) (rate(node_cpu_seconds_total{job=\"node\"}[5m]))", true),
            new Query("memory available", "node_memory_MemAvailable_bytes{job=\"node\"} / node_memory_MemTotal_bytes{job=\"node\"}", true),
            new Query("filesystem avail", "min by (instance) (node_filesystem_avail_bytes{job=\"node\",fstype!=\"tmpfs\"}"
                    + " / node_filesystem_size_bytes{job=\"node\",fstype!=\"tmpfs\"})", true),
            new Query("network rx", "sum by (instance) (rate(node_network_receive_bytes_total{job=\"node\",device!=\"lo\"}[5m]))", true),
            new Query("network tx", "sum by (instance) (rate(node_network_transmit_bytes_total{job=\"node\",device!=\"lo\"}[5m]))", true),
            new Query("load1", "node_load1{job=\"node\"}", true),
            new Query("disk io time", "sum by (instance) (rate(node_disk_io_time_seconds_total{job=\"node\"}[5m]))", true));

    static final List<Query> SMALL = List.of(
            new Query("load1 of 1 host (instant)", "node_load1{job=\"node\",instance=\"host-00001:9100\"}", false),
            new Query("rx rate of 1 host (instant)", "rate(node_network_receive_bytes_total{job=\"node\",instance=\"host-00001:9100\"}[5m])", false),
            new Query("user cpu of 1 host (range)",
                    "rate(node_cpu_seconds_total{job=\"node\",instance=\"host-00001:9100\",mode=\"user\"}[5m])", true),
            new Query("memory of 5 hosts (range)", "node_memory_MemAvailable_bytes{job=\"node\",instance=~\"host-0000[0-4]:9100\"}", true));

    private CompareQueries() {}

    /** The query API path and parameters for {@code q} over {@code [endS - 3600, endS]}. */
    static String path(Query q, long endS, boolean nocache) {
        String p = q.range()
                ? "/api/v1/query_range?" + CompareTarget.param("query", q.promql()) + "&start=" + (endS - 3600) + "&end=" + endS + "&step=15"
                : "/api/v1/query?" + CompareTarget.param("query", q.promql()) + "&time=" + endS;
        // nocache=1: VictoriaMetrics' and Strata's per-query bypass of their results caches; Prometheus has none and ignores it
        return nocache ? p + "&nocache=1" : p;
    }
}
