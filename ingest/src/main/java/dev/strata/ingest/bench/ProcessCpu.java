package dev.strata.ingest.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time used so far by a process of the stack, read from Linux's {@code /proc/<pid>/stat}: user
 * plus system time ({@code utime} and {@code stime}, fields 14 and 15, in clock ticks; {@code
 * getconf CLK_TCK} gives ticks per second). Children's times ({@code cutime}/{@code cstime}) are not
 * counted: the stack's servers are JVMs forked directly, so their own times are the whole cost.
 */
public final class ProcessCpu {
    private final Path procRoot;

    /** Reads {@code procRoot/<pid>/stat}; {@code /proc} on a real machine, a directory of fakes in tests. */
    public ProcessCpu(Path procRoot) {
        this.procRoot = procRoot;
    }

    /** utime + stime of {@code pid}, in clock ticks; fails naming the process if it is gone. */
    public long ticks(String name, long pid) {
        Path stat = procRoot.resolve(Long.toString(pid)).resolve("stat");
        try {
            return ticks(Files.readString(stat, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("process " + name + " (pid " + pid + ") is not running: no " + stat);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stat + " for " + name + ": " + e.getMessage(), e);
        }
    }

    /** Every named process's ticks, in the map's order. */
    public Map<String, Long> ticks(Map<String, Long> pids) {
        Map<String, Long> t = new LinkedHashMap<>();
        pids.forEach((name, pid) -> t.put(name, ticks(name, pid)));
        return t;
    }

    /**
     * utime + stime from one {@code stat} line. The command name (field 2) is in parentheses and may
     * itself hold spaces and parentheses, so fields are counted after the last ')': field 3 (state)
     * is the first one there, utime the 12th and stime the 13th.
     */
    static long ticks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0) throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + abbreviate(statLine));
        String[] f = statLine.substring(close + 1).trim().split("\\s+");
        if (f.length < 13) throw new IllegalArgumentException("too few fields in /proc/<pid>/stat line: " + abbreviate(statLine));
        try {
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("utime/stime are not numbers in /proc/<pid>/stat line: " + abbreviate(statLine));
        }
    }

    /** Clock ticks per second, from {@code getconf CLK_TCK} (the unit of utime and stime). */
    public static long clockTicksPerSecond() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (p.waitFor() != 0) throw new IOException("getconf CLK_TCK failed: " + out);
        long hz = Long.parseLong(out);
        if (hz <= 0) throw new IOException("getconf CLK_TCK answered " + hz);
        return hz;
    }

    /**
     * The processes named by {@code --pids} ({@code name=pid,name=pid}) and by {@code --dev-data DIR}
     * (every {@code DIR/<server>/server.pid} that {@code strata dev} writes: kafka, cassandra, node or
     * node-1..N, named after their directory), in that order. A name given twice is an error.
     */
    public static Map<String, Long> pids(String list, String devData) throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (!list.isEmpty()) {
            for (String item : list.split(",")) {
                int eq = item.indexOf('=');
                long pid;
                try {
                    pid = eq > 0 ? Long.parseLong(item.substring(eq + 1).trim()) : -1;
                } catch (NumberFormatException e) {
                    pid = -1;
                }
                if (pid <= 0) throw new IllegalArgumentException("--pids wants name=pid[,name=pid...], got '" + item + "'");
                put(pids, item.substring(0, eq).trim(), pid);
            }
        }
        if (!devData.isEmpty()) {
            Path dir = Path.of(devData);
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--dev-data " + dir + " is not a directory");
            try (var servers = Files.list(dir)) {
                for (Path server : servers.sorted().toList()) {
                    Path pidFile = server.resolve("server.pid");
                    if (!Files.isRegularFile(pidFile)) continue;
                    String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
                    try {
                        put(pids, server.getFileName().toString(), Long.parseLong(text));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(pidFile + " does not hold a pid: '" + text + "'");
                    }
                }
            }
            if (pids.isEmpty()) throw new IllegalArgumentException("--dev-data " + dir + ": no <server>/server.pid in it (is strata dev running?)");
        }
        return pids;
    }

    private static void put(Map<String, Long> pids, String name, long pid) {
        if (name.isEmpty() || pids.putIfAbsent(name, pid) != null) {
            throw new IllegalArgumentException("process name '" + name + "' is empty or given twice");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
