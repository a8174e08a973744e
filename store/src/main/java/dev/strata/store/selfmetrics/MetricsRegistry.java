package dev.strata.store.selfmetrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * The metrics of one process (or one test), exposed on {@code /metrics} in the Prometheus text
 * format. Components receive the registry through their constructor and register their metrics once,
 * at construction; registering a family name twice is an error. Thread safe.
 *
 * <p>Naming: {@code strata_<module>_<what>_<unit>}, counters end in {@code _total} (enforced).
 */
public final class MetricsRegistry {
    private final List<Collector> collectors = new CopyOnWriteArrayList<>();
    private final Set<String> names = new HashSet<>();

    /** A counter without labels. */
    public Counter counter(String name, String help) {
        Counter c = new Counter();
        single(name, help, MetricType.COUNTER, () -> c.value());
        return c;
    }

    /** Counters with labels, e.g. requests by code: {@code family.labels("200").inc()}. */
    public Family<Counter> counterFamily(String name, String help, String... labelNames) {
        Family<Counter> f = new Family<>(name, MetricNames.checkLabels(name, labelNames), Counter::new);
        family(name, help, MetricType.COUNTER, f, (c, ln, lv, out) -> out.add(new Sample(name, ln, lv, c.value())));
        return f;
    }

    /** A counter whose value is read from {@code value} at scrape time (a total kept elsewhere). */
    public void counter(String name, String help, DoubleSupplier value) {
        single(name, help, MetricType.COUNTER, value);
    }

    /** A gauge without labels, set by its owner. */
    public Gauge gauge(String name, String help) {
        Gauge g = new Gauge();
        single(name, help, MetricType.GAUGE, g::value);
        return g;
    }

    /** A gauge computed at scrape time, e.g. a queue's size. */
    public void gauge(String name, String help, DoubleSupplier value) {
        single(name, help, MetricType.GAUGE, value);
    }

    public Family<Gauge> gaugeFamily(String name, String help, String... labelNames) {
        Family<Gauge> f = new Family<>(name, MetricNames.checkLabels(name, labelNames), Gauge::new);
        family(name, help, MetricType.GAUGE, f, (g, ln, lv, out) -> out.add(new Sample(name, ln, lv, g.value())));
        return f;
    }

    public Histogram histogram(String name, String help, double... buckets) {
        Histogram h = new Histogram(Histogram.checkBounds(name, buckets));
        reserve(name, MetricType.HISTOGRAM);
        collectors.add(out -> {
            List<Sample> samples = new ArrayList<>();
            h.samples(name, List.of(), List.of(), samples);
            out.add(new MetricFamilySnapshot(name, help, MetricType.HISTOGRAM, samples));
        });
        return h;
    }

    public Family<Histogram> histogramFamily(String name, String help, double[] buckets, String... labelNames) {
        double[] bounds = Histogram.checkBounds(name, buckets);
        List<String> ln = MetricNames.checkLabels(name, labelNames);
        if (ln.contains("le")) {
            throw new IllegalArgumentException("histogram " + name + " cannot have a label named le");
        }
        Family<Histogram> f = new Family<>(name, ln, () -> new Histogram(bounds));
        family(name, help, MetricType.HISTOGRAM, f, (h, names, values, out) -> h.samples(name, names, values, out));
        return f;
    }

    /**
     * Adds a collector producing families whose names are listed in {@code familyNames} (reserved
     * like any other name, so clashes are found at registration, not at scrape time).
     */
    public void register(Collector collector, List<String> familyNames) {
        synchronized (names) {
            for (String n : familyNames) {
                if (names.contains(n)) {
                    throw new IllegalArgumentException("metric " + n + " is already registered");
                }
            }
            names.addAll(familyNames);
        }
        collectors.add(collector);
    }

    /** Every family, sorted by name. */
    public List<MetricFamilySnapshot> collect() {
        List<MetricFamilySnapshot> out = new ArrayList<>();
        for (Collector c : collectors) {
            c.collect(out);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    /** The registry in the Prometheus text exposition format 0.0.4. */
    public String scrape() {
        return PrometheusTextFormat.write(collect());
    }

    private void single(String name, String help, MetricType type, DoubleSupplier value) {
        reserve(name, type);
        collectors.add(out -> out.add(new MetricFamilySnapshot(name, help, type, List.of(Sample.of(name, value.getAsDouble())))));
    }

    private interface ChildSamples<C> {
        void add(C child, List<String> labelNames, List<String> labelValues, List<Sample> out);
    }

    private <C> void family(String name, String help, MetricType type, Family<C> f, ChildSamples<C> samples) {
        reserve(name, type);
        collectors.add(out -> {
            List<Sample> list = new ArrayList<>();
            for (Map.Entry<List<String>, C> e : f.sortedChildren()) {
                samples.add(e.getValue(), f.labelNames(), e.getKey(), list);
            }
            out.add(new MetricFamilySnapshot(name, help, type, list));
        });
    }

    private void reserve(String name, MetricType type) {
        MetricNames.checkMetric(name, type);
        synchronized (names) {
            if (!names.add(name)) {
                throw new IllegalArgumentException("metric " + name + " is already registered");
            }
        }
    }
}
