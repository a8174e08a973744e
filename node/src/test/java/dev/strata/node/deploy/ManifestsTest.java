package dev.strata.node.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.node.cluster.NodeZone;
import dev.strata.node.cluster.PeerAddresses;
import dev.strata.node.config.ConfigKey;
import dev.strata.node.config.ConfigKeys;
import dev.strata.node.config.HttpSettings;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.config.ResolvedConfig;
import dev.strata.node.config.SecuritySettings;
import dev.strata.node.config.StorageSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Parses every manifest of deploy/k8s into the typed Kubernetes object model (fabric8)
 * and checks what the node relies on: the probes hit the node's real endpoints on its port, the data
 * volume is mounted where the ConfigMap's data.dir points, membership is dynamic (no cluster.nodes or
 * peer list, so scaling is `kubectl scale`), a leaving node has the grace period its handoff needs, the
 * pods are spread over zones and machines and may read (only) their node's zone label, peers resolve
 * through the headless Service to the cluster port, which only Strata pods may reach and which the
 * shared secret protects, and the kustomization lists every file.
 */
class ManifestsTest {
    private static final Path DIR = Path.of(System.getProperty("strata.root", ".."), "deploy", "k8s");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private static final Map<String, HasMetadata> objects = new LinkedHashMap<>();
    private static final List<String> files = new ArrayList<>();

    @BeforeAll
    static void parseAll() throws IOException {
        try (var list = Files.list(DIR)) {
            for (Path f : list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals("kustomization.yaml")) continue;
                files.add(name);
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    if (doc == null) continue;
                    @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) doc;
                    Class<? extends HasMetadata> type = switch ((String) m.get("kind")) {
                        case "StatefulSet" -> StatefulSet.class;
                        case "Service" -> Service.class;
                        case "ConfigMap" -> ConfigMap.class;
                        case "PodDisruptionBudget" -> PodDisruptionBudget.class;
                        case "NetworkPolicy" -> NetworkPolicy.class;
                        case "ServiceAccount" -> ServiceAccount.class;
                        case "ClusterRole" -> ClusterRole.class;
                        case "ClusterRoleBinding" -> ClusterRoleBinding.class;
                        default -> throw new AssertionError(name + ": unexpected kind " + m.get("kind"));
                    };
                    HasMetadata o = MAPPER.convertValue(m, type);
                    assertNotNull(o.getMetadata().getName(), name);
                    objects.put(o.getKind() + "/" + o.getMetadata().getName(), o);
                }
            }
        }
    }

    private static <T> T get(String key, Class<T> type) {
        Object o = objects.get(key);
        assertNotNull(o, "missing " + key + " in " + objects.keySet());
        return type.cast(o);
    }

    /** The ConfigMap's strata.yaml, resolved as a node resolves it (unknown keys and bad values fail). */
    private static ResolvedConfig config() throws IOException {
        Path tmp = Files.createTempFile("strata", ".yaml");
        try {
            Files.writeString(tmp, strataYaml());
            return NodeConfig.resolve(Optional.of(tmp), Map.of(), List.of());
        } finally {
            Files.delete(tmp);
        }
    }

    private static String strataYaml() {
        return get("ConfigMap/strata-config", ConfigMap.class).getData().get("strata.yaml");
    }

    /**
     * cluster.leave-timeout as the ConfigMap sets it, or its default. The key is declared with the
     * membership runtime (issue 21, another branch); until that is merged the design's default, 60s, stands in.
     */
    private static Duration leaveTimeout(ResolvedConfig c) {
        for (ConfigKey<?> k : ConfigKeys.DEF.keys()) {
            if (k.name().equals("cluster.leave-timeout")) return (Duration) c.get(k);
        }
        return Duration.ofSeconds(60);
    }

    @Test
    void statefulSetInvariants() throws IOException {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        ResolvedConfig config = config();
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
        assertTrue(sts.getSpec().getReplicas() >= config.get(ConfigKeys.CLUSTER_REPLICAS), "fewer pods than cluster.replicas");
        assertTrue(config.get(ConfigKeys.CLUSTER_REPLICAS) >= 2, "production manifests replicate shards");
        assertEquals("strata-headless", sts.getSpec().getServiceName());
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        var anti = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertFalse(anti.isEmpty(), "pod anti-affinity");
        assertEquals("kubernetes.io/hostname", anti.get(0).getTopologyKey());
        assertEquals(sts.getSpec().getSelector().getMatchLabels(), anti.get(0).getLabelSelector().getMatchLabels());
        assertEquals(sts.getSpec().getSelector().getMatchLabels(), sts.getSpec().getTemplate().getMetadata().getLabels());

        Container c = pod.getContainers().get(0);
        int port = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow().getContainerPort();
        assertEquals(HttpSettings.from(config).port(), port, "container port != http.port");
        assertEquals("/-/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/-/healthy", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", c.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(List.of("node", "--config", "/etc/strata/strata.yaml"), c.getArgs());

        // data volume: a claim template mounted at data.dir
        List<PersistentVolumeClaim> claims = sts.getSpec().getVolumeClaimTemplates();
        assertEquals(1, claims.size());
        String claim = claims.get(0).getMetadata().getName();
        VolumeMount data = c.getVolumeMounts().stream().filter(v -> v.getName().equals(claim)).findFirst().orElseThrow();
        assertEquals(StorageSettings.from(config).dataDir(), Path.of(data.getMountPath()), "PVC mount path != data.dir");
        VolumeMount cfg = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals("/etc/strata")).findFirst()
                .orElseThrow();
        assertEquals("strata-config", pod.getVolumes().stream().filter(v -> v.getName().equals(cfg.getName()))
                .findFirst().orElseThrow().getConfigMap().getName());

        // ordinal and namespace from the downward API, under the names the config reads
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValueFrom() == null ? e.getValue() : e.getValueFrom().getFieldRef().getFieldPath());
        }
        assertEquals("metadata.labels['apps.kubernetes.io/pod-index']", env.get("STRATA_NODE_ORDINAL"));
        assertEquals("metadata.namespace", env.get("STRATA_CLUSTER_NAMESPACE"));
        // the Kubernetes node's name, for NodeZone to read its zone label
        assertEquals("spec.nodeName", env.get("NODE_NAME"));
    }

    /**
     * Dynamic membership: no node count and no peer list in the configuration (a node learns the others
     * from the members table), so scaling is `kubectl scale` alone.
     */
    @Test
    void configMapHasNoNodeCountOrPeerList() throws IOException {
        @SuppressWarnings("unchecked") Map<String, Object> yaml = (Map<String, Object>) new Yaml().load(strataYaml());
        @SuppressWarnings("unchecked") Map<String, Object> cluster = (Map<String, Object>) yaml.get("cluster");
        assertNotNull(cluster, "strata.yaml has no cluster section");
        assertFalse(cluster.containsKey("nodes"), "cluster.nodes pins the node count: scaling would need a config change");
        assertFalse(cluster.containsKey("peers"), "cluster.peers pins the node list");
        assertFalse(yaml.keySet().stream().anyMatch(k -> k.startsWith("cluster.nodes") || k.startsWith("cluster.peers")),
                "dotted cluster.nodes / cluster.peers keys");
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().startsWith("STRATA_CLUSTER_NODES")
                || e.getName().startsWith("STRATA_CLUSTER_PEERS")), "node count or peers set through the environment");
    }

    /** SIGTERM hands the node's shards off within cluster.leave-timeout; the pod must live that long and stop after. */
    @Test
    void gracePeriodCoversTheLeave() throws IOException {
        PodSpec pod = get("StatefulSet/strata", StatefulSet.class).getSpec().getTemplate().getSpec();
        Duration leave = leaveTimeout(config());
        long grace = pod.getTerminationGracePeriodSeconds();
        assertTrue(grace >= leave.toSeconds() + 30, "terminationGracePeriodSeconds " + grace + " leaves under 30 s after "
                + "cluster.leave-timeout " + leave + " to stop consumers, flush and exit");
        // A preStop hook runs before SIGTERM, inside the same grace period: it would delay the handoff and eat the budget.
        Container c = pod.getContainers().get(0);
        assertTrue(c.getLifecycle() == null || c.getLifecycle().getPreStop() == null,
                "a preStop hook takes from the grace period the leave needs (the node leaves on SIGTERM itself)");
    }

    /** Pods spread over zones (soft: clusters without zone labels still schedule) and one per machine. */
    @Test
    void podsSpreadOverZonesAndMachines() {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        Map<String, String> strataPods = sts.getSpec().getSelector().getMatchLabels();
        Map<String, TopologySpreadConstraint> byKey = new LinkedHashMap<>();
        for (TopologySpreadConstraint t : sts.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()) {
            byKey.put(t.getTopologyKey(), t);
            assertEquals(strataPods, t.getLabelSelector().getMatchLabels(), t.getTopologyKey() + " selects other pods");
            assertEquals(1, t.getMaxSkew(), t.getTopologyKey());
        }
        TopologySpreadConstraint zone = byKey.get(NodeZone.ZONE_LABEL);
        assertNotNull(zone, "no spread over " + NodeZone.ZONE_LABEL + " in " + byKey.keySet());
        assertEquals("ScheduleAnyway", zone.getWhenUnsatisfiable(), "a hard zone spread blocks clusters without zone labels");
        TopologySpreadConstraint host = byKey.get("kubernetes.io/hostname");
        assertNotNull(host, "no spread over kubernetes.io/hostname in " + byKey.keySet());
        assertEquals("DoNotSchedule", host.getWhenUnsatisfiable());
    }

    /** The pods' service account may get nodes (their zone label) and nothing else. */
    @Test
    void rbacLetsPodsReadOnlyNodes() {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        ServiceAccount sa = get("ServiceAccount/" + pod.getServiceAccountName(), ServiceAccount.class);
        assertFalse(Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()), "the pod needs its token to read its node");
        assertFalse(Boolean.FALSE.equals(sa.getAutomountServiceAccountToken()), "the pod needs its token to read its node");

        List<ClusterRoleBinding> bindings = objects.values().stream().filter(o -> o instanceof ClusterRoleBinding)
                .map(o -> (ClusterRoleBinding) o).toList();
        assertEquals(1, bindings.size(), "one ClusterRoleBinding");
        ClusterRoleBinding binding = bindings.get(0);
        assertEquals(1, binding.getSubjects().size());
        Subject subject = binding.getSubjects().get(0);
        assertEquals("ServiceAccount", subject.getKind());
        assertEquals(sa.getMetadata().getName(), subject.getName());
        assertEquals("default", subject.getNamespace(), "kustomize's namespace: rewrites only subjects in 'default'");
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertEquals("rbac.authorization.k8s.io", binding.getRoleRef().getApiGroup());

        ClusterRole role = get("ClusterRole/" + binding.getRoleRef().getName(), ClusterRole.class);
        assertEquals(null, role.getAggregationRule(), "an aggregated role grants what other roles grant");
        assertEquals(1, role.getRules().size(), "one rule: " + role.getRules());
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of(""), rule.getApiGroups(), "the core API group");
        assertEquals(List.of("nodes"), rule.getResources());
        assertEquals(List.of("get"), rule.getVerbs(), "get only: no list, watch or writes");
        assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty());
        assertTrue(rule.getNonResourceURLs() == null || rule.getNonResourceURLs().isEmpty());
        // (parseAll refuses Role and RoleBinding: any other kind is unexpected)
        assertEquals(List.of("ClusterRole/" + role.getMetadata().getName(), "ClusterRoleBinding/" + binding.getMetadata().getName(),
                        "ServiceAccount/" + sa.getMetadata().getName()),
                objects.keySet().stream().filter(k -> k.startsWith("ClusterRole") || k.startsWith("ServiceAccount")).sorted().toList(),
                "RBAC objects beyond the service account, its role and binding");
    }

    @Test
    void servicesMatchPodsAndPeersResolveThroughHeadlessService() throws IOException {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        ResolvedConfig resolved = config();
        HttpSettings http = HttpSettings.from(resolved);
        SecuritySettings security = SecuritySettings.from(resolved);
        Service headless = get("Service/strata-headless", Service.class);
        Service client = get("Service/strata", Service.class);
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "peers must reach recovering nodes for status");
        for (Service s : List.of(headless, client)) {
            assertEquals(sts.getSpec().getSelector().getMatchLabels(), s.getSpec().getSelector(), s.getMetadata().getName());
            ServicePort p = s.getSpec().getPorts().get(0);
            assertEquals(http.port(), p.getPort());
            assertEquals("http", p.getTargetPort().getStrVal());
        }
        // A node's own cluster address (cluster.advertise-address's default) from the template and its ordinal.
        PeerAddresses peers = new PeerAddresses(List.of(), resolved.get(ConfigKeys.CLUSTER_PEER_TEMPLATE), "prod", 3);
        assertEquals(sts.getMetadata().getName() + "-2." + headless.getMetadata().getName() + ".prod.svc:"
                + security.clusterPort(), peers.of(2));
        // Peers reach the cluster port through the headless Service; clients never see it.
        ServicePort cluster = headless.getSpec().getPorts().stream().filter(p -> "cluster".equals(p.getName()))
                .findFirst().orElseThrow();
        assertEquals(security.clusterPort(), cluster.getPort());
        assertEquals("cluster", cluster.getTargetPort().getStrVal());
        assertTrue(client.getSpec().getPorts().stream().noneMatch(p -> p.getPort() == security.clusterPort()
                || "cluster".equals(p.getTargetPort().getStrVal())), "the client Service must not expose the cluster port");
    }

    @Test
    void clusterPortIsSeparateAuthenticatedAndOnlyForStrataPods() throws IOException {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        ResolvedConfig resolved = config();
        HttpSettings http = HttpSettings.from(resolved);
        SecuritySettings security = SecuritySettings.from(resolved);
        Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        int clusterPort = c.getPorts().stream().filter(p -> "cluster".equals(p.getName())).findFirst().orElseThrow()
                .getContainerPort();
        assertEquals(security.clusterPort(), clusterPort, "container port 'cluster' != cluster.port");
        assertTrue(clusterPort != http.port());
        assertTrue(security.clusterAuthenticated(), "the cluster port needs cluster.secret-file or cluster.tls.*");

        // The secret file the configuration names is the mounted Secret that the kustomization generates.
        Path secretFile = security.clusterSecretFile().orElseThrow();
        VolumeMount mount = c.getVolumeMounts().stream().filter(v -> Path.of(v.getMountPath()).equals(secretFile.getParent()))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + secretFile.getParent()));
        String secretName = sts.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow().getSecret().getSecretName();
        @SuppressWarnings("unchecked") Map<String, Object> k = (Map<String, Object>) new Yaml()
                .load(Files.readString(DIR.resolve("kustomization.yaml")));
        @SuppressWarnings("unchecked") List<Map<String, Object>> generators = (List<Map<String, Object>>) k.get("secretGenerator");
        Map<String, Object> gen = generators.stream().filter(g -> secretName.equals(g.get("name"))).findFirst().orElseThrow();
        assertEquals(List.of(secretFile.getFileName() + "=cluster-secret"), gen.get("files"));
        @SuppressWarnings("unchecked") Map<String, Object> options = (Map<String, Object>) gen.get("options");
        assertEquals(true, options.get("disableNameSuffixHash"), "pods mount the Secret by its plain name");

        // NetworkPolicy: the public port from anywhere, the cluster port only from Strata pods.
        NetworkPolicy np = get("NetworkPolicy/strata", NetworkPolicy.class);
        Map<String, String> strataPods = sts.getSpec().getSelector().getMatchLabels();
        assertEquals(strataPods, np.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), np.getSpec().getPolicyTypes());
        boolean clusterRule = false;
        for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
            boolean coversCluster = rule.getPorts().stream().anyMatch(p -> "cluster".equals(p.getPort().getStrVal())
                    || Integer.valueOf(clusterPort).equals(p.getPort().getIntVal()));
            if (!coversCluster) continue;
            clusterRule = true;
            assertFalse(rule.getFrom() == null || rule.getFrom().isEmpty(), "a rule admits anyone to the cluster port");
            rule.getFrom().forEach(peer -> {
                assertEquals(strataPods, peer.getPodSelector().getMatchLabels(), "cluster port open beyond Strata pods");
                assertEquals(null, peer.getNamespaceSelector());
                assertEquals(null, peer.getIpBlock());
            });
        }
        assertTrue(clusterRule, "no rule admits Strata pods to the cluster port");
        assertTrue(np.getSpec().getIngress().stream().anyMatch(r -> (r.getFrom() == null || r.getFrom().isEmpty())
                && r.getPorts().stream().anyMatch(p -> "http".equals(p.getPort().getStrVal()))), "the public port is open");
    }

    @Test
    void disruptionBudgetKeepsAnOwnerOfEveryShard() throws IOException {
        PodDisruptionBudget pdb = get("PodDisruptionBudget/strata", PodDisruptionBudget.class);
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        assertEquals(sts.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        int maxUnavailable = pdb.getSpec().getMaxUnavailable().getIntVal();
        assertTrue(maxUnavailable < config().get(ConfigKeys.CLUSTER_REPLICAS),
                "maxUnavailable " + maxUnavailable + " could take every owner of a shard down");
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        @SuppressWarnings("unchecked") Map<String, Object> k = (Map<String, Object>) new Yaml()
                .load(new StringReader(Files.readString(DIR.resolve("kustomization.yaml"))));
        @SuppressWarnings("unchecked") List<String> resources = (List<String>) k.get("resources");
        assertEquals(files.stream().sorted().toList(), resources.stream().sorted().toList());
        assertTrue(Files.exists(DIR.resolve("README.md")));
    }
}
