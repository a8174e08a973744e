package dev.strata.store.selfmetrics;

import java.util.List;

/**
 * Produces metric families at scrape time. Called from the scraping thread, possibly while other
 * threads update the values: implementations must be thread safe and cheap (no I/O beyond reading
 * /proc, no locks held by hot paths).
 */
@FunctionalInterface
public interface Collector {
    void collect(List<MetricFamilySnapshot> out);
}
