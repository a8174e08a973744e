package dev.strata.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/<pid>/stat parsing, pid discovery and the per-process table, on fake files. */
class ProcessCpuTest {
    // A real line's shape (Linux proc(5)): utime 1234, stime 567, cutime 8888, cstime 9999 (not counted).
    private static final String STAT = "4242 (java) S 1 4242 4242 0 -1 4194560 52000 0 3 0 1234 567 8888 9999 20 0 "
            + "61 0 1000 4000000000 120000 18446744073709551615 1 1 0 0 0 0 0 4096 17630 0 0 0 17 1 0 0 0 0 0";

    @Test
    void utimePlusStimeOnly() {
        assertEquals(1234 + 567, ProcessCpu.ticks(STAT));
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        String odd = STAT.replace("(java)", "(Cass (x) 1 2 3)");
        assertEquals(1234 + 567, ProcessCpu.ticks(odd));
    }

    @Test
    void aMalformedLineIsAnErrorNotAZero() {
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("4242 java S 1 2"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.ticks("4242 (java) S 1 2 3"));
    }

    @Test
    void readsTheStatFileOfEachPidAndNamesAMissingOne(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("4242"));
        Files.writeString(proc.resolve("4242/stat"), STAT + "\n");
        ProcessCpu cpu = new ProcessCpu(proc);
        assertEquals(Map.of("kafka", 1801L), cpu.ticks(Map.of("kafka", 4242L)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cpu.ticks("node", 77));
        assertTrue(e.getMessage().contains("node (pid 77) is not running"), e.getMessage());
    }

    @Test
    void pidsFromTheOptionAndFromADevDataDirectory(@TempDir Path dev) throws Exception {
        for (String[] s : new String[][] {{"node", "300"}, {"kafka", "100"}, {"cassandra", "200"}}) {
            Files.createDirectories(dev.resolve(s[0]));
            Files.writeString(dev.resolve(s[0]).resolve("server.pid"), s[1] + "\n");
        }
        Files.createDirectories(dev.resolve("logs")); // no server.pid: not a process
        Map<String, Long> pids = ProcessCpu.pids("prom=9", dev.toString());
        assertEquals(List.of("prom", "cassandra", "kafka", "node"), List.copyOf(pids.keySet()));
        assertEquals(List.of(9L, 200L, 100L, 300L), List.copyOf(pids.values()));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.pids("node=1", dev.toString()), "node twice");
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.pids("node", ""));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.pids("node=abc", ""));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.pids("", dev.resolve("logs").toString()));
    }

    @Test
    void tableArithmetic() {
        // CLK_TCK 100; 2,000,000 samples. node 30 s, kafka 15 s, cassandra 5 s: total 50 s.
        var rows = StackCpuTable.rows(new java.util.LinkedHashMap<>(Map.of("node", 3000L)) {{
            put("kafka", 1500L);
            put("cassandra", 500L);
        }}, 100, 2_000_000);
        assertEquals(List.of("node", "kafka", "cassandra", "total"), rows.stream().map(StackCpuTable.Row::process).toList());
        assertEquals(new StackCpuTable.Row("node", 30.0, 15.0, 0.6), rows.get(0));
        assertEquals(new StackCpuTable.Row("kafka", 15.0, 7.5, 0.3), rows.get(1));
        assertEquals(new StackCpuTable.Row("cassandra", 5.0, 2.5, 0.1), rows.get(2));
        assertEquals(new StackCpuTable.Row("total", 50.0, 25.0, 1.0), rows.get(3));
        String table = StackCpuTable.format(rows);
        assertTrue(table.contains("| node | 30.00 | 15.000 | 60.0% |"), table);
        assertTrue(table.contains("| total | 50.00 | 25.000 | 100.0% |"), table);
        assertThrows(IllegalArgumentException.class, () -> StackCpuTable.rows(Map.of("node", -1L), 100, 1));
        assertTrue(Double.isNaN(StackCpuTable.rows(Map.of("node", 5L), 100, 0).get(0).perMillionSamples()));
    }

    @Test
    void clockTicksComeFromGetconf() throws Exception {
        assertTrue(ProcessCpu.clockTicksPerSecond() > 0);
    }
}
