package dev.strata.benchmarks;

import dev.strata.store.model.Labels;
import java.util.function.Consumer;

/**
 * Deterministic, realistic label sets for label-index benchmarks (about 1M series by default):
 * node_exporter on {@code hosts} hosts (200 series per host: cpu x mode, memory, filesystems,
 * network, disks, misc), cAdvisor/kubelet container metrics for {@code pods} pods (2 containers,
 * 30 metrics each, pods spread over deployments, namespaces and nodes), and kube-state-metrics
 * series per pod (5) and per deployment (1, kube_deployment_status_replicas).
 */
final class LabelSetGenerator {
    static final String[] CPU_MODES = {"user", "system", "idle", "iowait", "irq", "softirq", "steal", "nice"};
    static final String[] DEVICES = {"sda", "sdb", "nvme0n1", "eth0"};
    static final String[] CONTAINER_METRICS = {
        "container_cpu_usage_seconds_total", "container_cpu_system_seconds_total", "container_cpu_user_seconds_total",
        "container_memory_working_set_bytes", "container_memory_rss", "container_memory_cache",
        "container_memory_usage_bytes", "container_memory_max_usage_bytes", "container_memory_failcnt",
        "container_fs_reads_bytes_total", "container_fs_writes_bytes_total", "container_fs_usage_bytes",
        "container_network_receive_bytes_total", "container_network_transmit_bytes_total",
        "container_spec_cpu_shares",
    };
    static final String[] KSM_POD_METRICS = {
        "kube_pod_info", "kube_pod_status_phase", "kube_pod_status_ready", "kube_pod_container_restarts_total",
        "kube_pod_owner",
    };

    final int hosts;
    final int pods;
    final int deployments;

    LabelSetGenerator(int hosts, int pods, int deployments) {
        this.hosts = hosts;
        this.pods = pods;
        this.deployments = deployments;
    }

    /** 2,000 hosts (400k node series) + 10,000 pods (600k container + 50k ksm series) + 100 deployments. */
    static LabelSetGenerator oneMillion() {
        return new LabelSetGenerator(2_000, 9_200, 100);
    }

    int seriesCount() {
        return hosts * 200 + pods * (2 * CONTAINER_METRICS.length * 2 + KSM_POD_METRICS.length) + deployments;
    }

    void forEach(Consumer<Labels> out) {
        for (int h = 0; h < hosts; h++) node(h, out);
        for (int p = 0; p < pods; p++) pod(p, out);
        for (int d = 0; d < deployments; d++) {
            out.accept(Labels.of("__name__", "kube_deployment_status_replicas", "job", "kube-state-metrics",
                    "instance", "ksm:8080", "namespace", namespace(d), "deployment", "deploy-" + d));
        }
    }

    static String namespace(int deployment) {
        return "ns-" + (deployment % 40);
    }

    private void node(int h, Consumer<Labels> out) {
        String instance = "host-" + h + ":9100";
        for (int cpu = 0; cpu < 8; cpu++) {
            for (String mode : CPU_MODES) {
                out.accept(Labels.of("__name__", "node_cpu_seconds_total", "job", "node", "instance", instance,
                        "cpu", Integer.toString(cpu), "mode", mode));
            }
        } // 64
        for (int i = 0; i < 20; i++) {
            out.accept(Labels.of("__name__", "node_memory_m" + i + "_bytes", "job", "node", "instance", instance));
        } // 84
        for (String m : new String[] {"avail", "size", "free", "files"}) {
            for (int d = 0; d < 4; d++) {
                out.accept(Labels.of("__name__", "node_filesystem_" + m + "_bytes", "job", "node", "instance", instance,
                        "device", "/dev/" + DEVICES[d], "mountpoint", "/mnt/" + d, "fstype", d == 0 ? "ext4" : "xfs"));
            }
        } // 100
        for (String dir : new String[] {"receive", "transmit"}) {
            for (String m : new String[] {"bytes", "packets", "errs", "drop"}) {
                for (int d = 0; d < 4; d++) {
                    out.accept(Labels.of("__name__", "node_network_" + dir + "_" + m + "_total", "job", "node",
                            "instance", instance, "device", "eth" + d));
                }
            }
        } // 132
        for (String m : new String[] {"reads", "writes", "read_bytes", "written_bytes", "io_time_seconds"}) {
            for (int d = 0; d < 4; d++) {
                out.accept(Labels.of("__name__", "node_disk_" + m + "_total", "job", "node", "instance", instance,
                        "device", DEVICES[d]));
            }
        } // 152
        for (int i = 0; i < 48; i++) {
            out.accept(Labels.of("__name__", "node_misc_" + i, "job", "node", "instance", instance));
        } // 200
    }

    private void pod(int p, Consumer<Labels> out) {
        int deployment = p % deployments;
        String ns = namespace(deployment);
        String pod = "deploy-" + deployment + "-" + Integer.toHexString(0x10000 + p * 7919 % 0xfffff) + "-" + (p % 97);
        int node = p % hosts;
        String kubelet = "host-" + node + ":10250";
        String uid = Long.toHexString(p * 0x9E3779B97F4A7C15L);
        for (int c = 0; c < 2; c++) {
            String container = c == 0 ? "app" : "sidecar";
            for (String m : CONTAINER_METRICS) {
                out.accept(Labels.of("__name__", m, "job", "kubelet", "instance", kubelet, "namespace", ns, "pod", pod,
                        "container", container, "node", "host-" + node, "id", "/kubepods/" + uid + "/" + c,
                        "image", "registry/app-" + deployment + ":v" + (p % 3)));
                out.accept(Labels.of("__name__", m, "job", "kubelet", "instance", kubelet, "namespace", ns, "pod", pod,
                        "container", container, "node", "host-" + node, "id", "/kubepods/" + uid + "/" + c + "/init",
                        "image", "registry/init:v1"));
            }
        }
        for (String m : KSM_POD_METRICS) {
            out.accept(Labels.of("__name__", m, "job", "kube-state-metrics", "instance", "ksm:8080", "namespace", ns,
                    "pod", pod, "uid", uid));
        }
    }
}
