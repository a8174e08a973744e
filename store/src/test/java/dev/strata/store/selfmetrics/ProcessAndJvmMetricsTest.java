package dev.strata.store.selfmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessAndJvmMetricsTest {
    @Test
    void parsesProcStatus(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000 kB\nVmSize:\t  8000 kB\nVmRSS:\t    1234 kB\nThreads:\t7\n");
        assertEquals(OptionalLong.of(1234), ProcessMetrics.statusKilobytes(Files.readString(status), "VmRSS"));
        List<MetricFamilySnapshot> out = new ArrayList<>();
        new ProcessMetrics(status).collect(out);
        Map<String, MetricFamilySnapshot> byName = out.stream()
                .collect(Collectors.toMap(MetricFamilySnapshot::name, Function.identity()));
        assertEquals(1234 * 1024.0, byName.get("process_resident_memory_bytes").samples().get(0).value());
        assertEquals(8000 * 1024.0, byName.get("process_virtual_memory_bytes").samples().get(0).value());
        assertTrue(byName.get("process_start_time_seconds").samples().get(0).value() > 1.5e9);
        assertTrue(ProcessMetrics.NAMES.containsAll(byName.keySet()), byName.keySet().toString());
    }

    @Test
    void missingProcFileOmitsMemoryMetrics(@TempDir Path dir) {
        List<MetricFamilySnapshot> out = new ArrayList<>();
        new ProcessMetrics(dir.resolve("absent")).collect(out);
        assertFalse(out.stream().anyMatch(f -> f.name().equals("process_resident_memory_bytes")));
    }

    @Test
    void realRegistryExposesProcessAndJvmMetrics() {
        MetricsRegistry r = new MetricsRegistry();
        ProcessMetrics.register(r);
        JvmMetrics.register(r);
        String text = r.scrape();
        for (String name : new String[] {"process_cpu_seconds_total", "process_open_fds", "process_max_fds",
                "process_start_time_seconds", "jvm_memory_bytes_used{area=\"heap\"}", "jvm_threads_current",
                "jvm_gc_collections_total{gc=", "jvm_memory_pool_bytes_used{pool="}) {
            assertTrue(text.contains("\n" + name), name + " missing in:\n" + text);
        }
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(text.contains("\nprocess_resident_memory_bytes "), text);
        }
        // Every family's name is reserved, and every sample line belongs to a declared family.
        List<String> declared = new ArrayList<>(ProcessMetrics.NAMES);
        declared.addAll(JvmMetrics.NAMES);
        for (MetricFamilySnapshot f : r.collect()) {
            assertTrue(declared.contains(f.name()), f.name());
        }
    }
}
