package dev.strata.store.selfmetrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The standard {@code process_*} metrics (as the Prometheus client libraries name them): CPU time,
 * resident and virtual memory (from /proc/self/status, so Linux only; absent elsewhere), open and
 * maximum file descriptors, start time.
 */
public final class ProcessMetrics implements Collector {
    static final List<String> NAMES = List.of("process_cpu_seconds_total", "process_resident_memory_bytes",
            "process_virtual_memory_bytes", "process_open_fds", "process_max_fds", "process_start_time_seconds");

    private final Path status;
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final double startTimeSeconds = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;

    /** @param status the file to read VmRSS/VmSize from: /proc/self/status in production */
    ProcessMetrics(Path status) {
        this.status = status;
    }

    /** Registers the process metrics of this JVM into {@code registry}. */
    public static void register(MetricsRegistry registry) {
        registry.register(new ProcessMetrics(Path.of("/proc/self/status")), NAMES);
    }

    @Override
    public void collect(List<MetricFamilySnapshot> out) {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long cpu = sun.getProcessCpuTime();
            if (cpu >= 0) {
                add(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                        MetricType.COUNTER, cpu / 1e9);
            }
        }
        String text = readStatus();
        if (text != null) {
            statusKilobytes(text, "VmRSS").ifPresent(kb -> add(out, "process_resident_memory_bytes",
                    "Resident memory size in bytes.", MetricType.GAUGE, kb * 1024.0));
            statusKilobytes(text, "VmSize").ifPresent(kb -> add(out, "process_virtual_memory_bytes",
                    "Virtual memory size in bytes.", MetricType.GAUGE, kb * 1024.0));
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            add(out, "process_open_fds", "Number of open file descriptors.", MetricType.GAUGE,
                    unix.getOpenFileDescriptorCount());
            add(out, "process_max_fds", "Maximum number of open file descriptors.", MetricType.GAUGE,
                    unix.getMaxFileDescriptorCount());
        }
        add(out, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                MetricType.GAUGE, startTimeSeconds);
    }

    private String readStatus() {
        try {
            return Files.readString(status, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // not Linux, or no procfs: the memory metrics are absent
        }
    }

    /** The value of a "Name:   1234 kB" line of /proc/self/status, in kB. */
    static OptionalLong statusKilobytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    static void add(List<MetricFamilySnapshot> out, String name, String help, MetricType type, double value) {
        out.add(new MetricFamilySnapshot(name, help, type, List.of(Sample.of(name, value))));
    }
}
