package dev.strata.node.chaos;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of one metric family in a node's {@code GET /metrics} scrape (Prometheus text format),
 * keyed by their label string as written ({@code shard="0",group="1"}), for fault tests that watch the
 * flush counters and checkpoint gauges from outside the process.
 */
public final class NodeMetrics {
    private NodeMetrics() {}

    /** {@code name{labels} value} per sample of {@code name}; a sample without labels has key "". */
    public static Map<String, Double> scrape(PromApi api, String baseUrl, String name) throws IOException, InterruptedException {
        return parse(api.get(baseUrl + "/metrics"), name);
    }

    public static Map<String, Double> parse(String text, String name) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);
        Map<String, Double> out = new TreeMap<>();
        Matcher m = line.matcher(text);
        while (m.find()) out.put(m.group(1) == null ? "" : m.group(1), Double.parseDouble(m.group(2)));
        return out;
    }

    public static double sum(Map<String, Double> samples) {
        double s = 0;
        for (double v : samples.values()) s += v;
        return s;
    }
}
