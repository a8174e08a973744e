package dev.strata.store.selfmetrics;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * JVM metrics: heap and non-heap memory, memory pools, garbage collections (count and time per
 * collector), threads, loaded classes, and {@code jvm_info}. Read from the platform MXBeans at scrape time.
 */
public final class JvmMetrics implements Collector {
    static final List<String> NAMES = List.of("jvm_memory_bytes_used", "jvm_memory_bytes_committed",
            "jvm_memory_bytes_max", "jvm_memory_pool_bytes_used", "jvm_memory_pool_bytes_committed",
            "jvm_memory_pool_bytes_max", "jvm_gc_collections_total", "jvm_gc_collection_seconds_total",
            "jvm_threads_current", "jvm_threads_daemon", "jvm_threads_peak", "jvm_threads_started_total",
            "jvm_classes_currently_loaded", "jvm_info");

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();

    private JvmMetrics() {}

    public static void register(MetricsRegistry registry) {
        registry.register(new JvmMetrics(), NAMES);
    }

    @Override
    public void collect(List<MetricFamilySnapshot> out) {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        area(out, "jvm_memory_bytes_used", "Used bytes of a given JVM memory area.", heap.getUsed(), nonHeap.getUsed());
        area(out, "jvm_memory_bytes_committed", "Committed bytes of a given JVM memory area.",
                heap.getCommitted(), nonHeap.getCommitted());
        area(out, "jvm_memory_bytes_max", "Max bytes of a given JVM memory area (-1 if undefined).",
                heap.getMax(), nonHeap.getMax());

        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        pool(out, pools, "jvm_memory_pool_bytes_used", "Used bytes of a given JVM memory pool.", MemoryUsage::getUsed);
        pool(out, pools, "jvm_memory_pool_bytes_committed", "Committed bytes of a given JVM memory pool.",
                MemoryUsage::getCommitted);
        pool(out, pools, "jvm_memory_pool_bytes_max", "Max bytes of a given JVM memory pool (-1 if undefined).",
                MemoryUsage::getMax);

        List<Sample> gcCount = new ArrayList<>();
        List<Sample> gcTime = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            List<String> label = List.of(gc.getName());
            gcCount.add(new Sample("jvm_gc_collections_total", List.of("gc"), label, Math.max(0, gc.getCollectionCount())));
            gcTime.add(new Sample("jvm_gc_collection_seconds_total", List.of("gc"), label,
                    Math.max(0, gc.getCollectionTime()) / 1000.0));
        }
        out.add(new MetricFamilySnapshot("jvm_gc_collections_total", "Number of collections of a given JVM garbage collector.",
                MetricType.COUNTER, gcCount));
        out.add(new MetricFamilySnapshot("jvm_gc_collection_seconds_total",
                "Time spent in a given JVM garbage collector in seconds.", MetricType.COUNTER, gcTime));

        ProcessMetrics.add(out, "jvm_threads_current", "Current thread count of the JVM.", MetricType.GAUGE,
                threads.getThreadCount());
        ProcessMetrics.add(out, "jvm_threads_daemon", "Daemon thread count of the JVM.", MetricType.GAUGE,
                threads.getDaemonThreadCount());
        ProcessMetrics.add(out, "jvm_threads_peak", "Peak thread count of the JVM.", MetricType.GAUGE,
                threads.getPeakThreadCount());
        ProcessMetrics.add(out, "jvm_threads_started_total", "Started thread count of the JVM.", MetricType.COUNTER,
                threads.getTotalStartedThreadCount());
        ProcessMetrics.add(out, "jvm_classes_currently_loaded", "Number of classes currently loaded in the JVM.",
                MetricType.GAUGE, classes.getLoadedClassCount());
        out.add(new MetricFamilySnapshot("jvm_info", "JVM version info.", MetricType.GAUGE, List.of(new Sample("jvm_info",
                List.of("runtime", "vendor", "version"),
                List.of(String.valueOf(System.getProperty("java.runtime.name")),
                        String.valueOf(System.getProperty("java.vm.vendor")),
                        String.valueOf(System.getProperty("java.runtime.version"))), 1))));
    }

    private static void area(List<MetricFamilySnapshot> out, String name, String help, long heap, long nonHeap) {
        out.add(new MetricFamilySnapshot(name, help, MetricType.GAUGE, List.of(
                new Sample(name, List.of("area"), List.of("heap"), heap),
                new Sample(name, List.of("area"), List.of("nonheap"), nonHeap))));
    }

    private static void pool(List<MetricFamilySnapshot> out, List<MemoryPoolMXBean> pools, String name, String help,
                             ToLongFunction<MemoryUsage> field) {
        List<Sample> samples = new ArrayList<>();
        for (MemoryPoolMXBean p : pools) {
            MemoryUsage u = p.getUsage();
            if (u != null) {
                samples.add(new Sample(name, List.of("pool"), List.of(p.getName()), field.applyAsLong(u)));
            }
        }
        out.add(new MetricFamilySnapshot(name, help, MetricType.GAUGE, samples));
    }
}
