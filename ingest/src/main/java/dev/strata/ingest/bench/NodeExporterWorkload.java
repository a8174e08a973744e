package dev.strata.ingest.bench;

import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Series shaped like node_exporter's for N hosts (~150 series per host: per-CPU counters, memory
 * gauges, filesystems, network and disk counters, load), with values that move like real ones:
 * counters rise by random steps, gauges random-walk. Values are decimals, as an exporter prints them
 * (node_exporter's counters are /proc integers or ticks / USER_HZ): each is the double nearest a
 * number with one decimal, not a float sum drifting in its last bits. Deterministic for a given seed.
 */
public final class NodeExporterWorkload {
    private static final String[] CPU_MODES = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
    private static final String[] MEMORY = {"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal",
            "SwapFree", "Active", "Inactive", "Dirty"};
    private static final String[][] FILESYSTEMS = {{"/dev/sda1", "/", "ext4"}, {"/dev/sda2", "/var", "ext4"},
            {"/dev/sdb1", "/data", "xfs"}, {"tmpfs", "/run", "tmpfs"}};
    private static final String[] FS_METRICS = {"node_filesystem_avail_bytes", "node_filesystem_free_bytes",
            "node_filesystem_size_bytes", "node_filesystem_files", "node_filesystem_files_free"};
    private static final String[] NET_DEVICES = {"eth0", "eth1", "lo"};
    private static final String[] NET_METRICS = {"node_network_receive_bytes_total", "node_network_transmit_bytes_total",
            "node_network_receive_packets_total", "node_network_transmit_packets_total", "node_network_receive_errs_total",
            "node_network_transmit_errs_total", "node_network_receive_drop_total", "node_network_transmit_drop_total"};
    private static final String[] DISKS = {"sda", "sdb"};
    private static final String[] DISK_METRICS = {"node_disk_reads_completed_total", "node_disk_writes_completed_total",
            "node_disk_read_bytes_total", "node_disk_written_bytes_total", "node_disk_io_time_seconds_total",
            "node_disk_io_now"};
    private static final String[] SINGLE = {"node_load1", "node_load5", "node_load15", "node_boot_time_seconds",
            "node_time_seconds", "node_procs_running", "node_procs_blocked", "node_context_switches_total",
            "node_intr_total", "node_forks_total", "node_entropy_available_bits", "node_uname_info"};

    private final List<Labels> series = new ArrayList<>();
    private final List<Boolean> counter = new ArrayList<>();
    private double[] values;
    private final Random rnd;

    private final String job;

    public NodeExporterWorkload(int hosts, int cpusPerHost, long seed) {
        this(hosts, cpusPerHost, seed, "node");
    }

    /** Series with {@code job="<job>"} (the one-argument forms use "node"). */
    public NodeExporterWorkload(int hosts, int cpusPerHost, long seed, String job) {
        this.job = job;
        this.rnd = new Random(seed);
        for (int h = 0; h < hosts; h++) {
            String instance = String.format("host-%05d:9100", h);
            String dc = "dc" + (h % 3);
            for (int cpu = 0; cpu < cpusPerHost; cpu++) {
                for (String mode : CPU_MODES) {
                    add(true, "node_cpu_seconds_total", instance, dc, "cpu", Integer.toString(cpu), "mode", mode);
                }
            }
            for (String m : MEMORY) add(false, "node_memory_" + m + "_bytes", instance, dc);
            for (String[] fs : FILESYSTEMS) {
                for (String m : FS_METRICS) add(false, m, instance, dc, "device", fs[0], "mountpoint", fs[1], "fstype", fs[2]);
            }
            for (String d : NET_DEVICES) for (String m : NET_METRICS) add(true, m, instance, dc, "device", d);
            for (String d : DISKS) for (String m : DISK_METRICS) add(m.endsWith("_total"), m, instance, dc, "device", d);
            for (String m : SINGLE) add(m.endsWith("_total"), m, instance, dc);
        }
        values = new double[series.size()];
        for (int i = 0; i < values.length; i++) values[i] = counter.get(i) ? rnd.nextInt(1_000_000) : rnd.nextInt(1000) * 1024.0;
    }

    private void add(boolean isCounter, String metric, String instance, String dc, String... extra) {
        String[] kv = new String[8 + extra.length];
        kv[0] = "__name__"; kv[1] = metric;
        kv[2] = "instance"; kv[3] = instance;
        kv[4] = "job"; kv[5] = job;
        kv[6] = "datacenter"; kv[7] = dc;
        System.arraycopy(extra, 0, kv, 8, extra.length);
        series.add(Labels.of(kv));
        counter.add(isCounter);
    }

    public List<Labels> series() {
        return series;
    }

    public int size() {
        return series.size();
    }

    /** Moves every series one scrape forward and returns the current values (array reused). */
    public double[] advance() {
        for (int i = 0; i < values.length; i++) {
            if (counter.get(i)) values[i] = (Math.round(values[i] * 10) + rnd.nextInt(1000)) / 10.0;
            else values[i] = Math.max(0, values[i] + (rnd.nextInt(2001) - 1000));
        }
        return values;
    }
}
