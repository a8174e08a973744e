package dev.strata.node.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.node.cluster.PeerAddresses;
import dev.strata.node.config.NodeConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * volume is mounted where the ConfigMap's data.dir points, the StatefulSet's replicas equal
 * cluster.nodes, peers resolve through the headless Service to the cluster port, which only Strata pods
 * may reach and which the shared secret protects, and the kustomization lists every file.
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

    private static NodeConfig nodeConfig() throws IOException {
        ConfigMap cm = get("ConfigMap/strata-config", ConfigMap.class);
        String yaml = cm.getData().get("strata.yaml");
        Path tmp = Files.createTempFile("strata", ".yaml");
        try {
            Files.writeString(tmp, yaml);
            return NodeConfig.from(NodeConfig.resolve(Optional.of(tmp), Map.of(), List.of()));
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void statefulSetInvariants() throws IOException {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        NodeConfig config = nodeConfig();
        assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
        assertEquals(config.cluster().nodes(), sts.getSpec().getReplicas(), "StatefulSet replicas != cluster.nodes");
        assertTrue(config.cluster().replicas() >= 2, "production manifests replicate shards");
        assertEquals("strata-headless", sts.getSpec().getServiceName());
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        assertTrue(pod.getTerminationGracePeriodSeconds() >= 60, "grace period must let a node flush");
        var anti = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertFalse(anti.isEmpty(), "pod anti-affinity");
        assertEquals("kubernetes.io/hostname", anti.get(0).getTopologyKey());
        assertEquals(sts.getSpec().getSelector().getMatchLabels(), anti.get(0).getLabelSelector().getMatchLabels());
        assertEquals(sts.getSpec().getSelector().getMatchLabels(), sts.getSpec().getTemplate().getMetadata().getLabels());

        Container c = pod.getContainers().get(0);
        int port = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow().getContainerPort();
        assertEquals(config.http().port(), port, "container port != http.port");
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
        assertEquals(config.storage().dataDir(), Path.of(data.getMountPath()), "PVC mount path != data.dir");
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
    }

    @Test
    void servicesMatchPodsAndPeersResolveThroughHeadlessService() throws IOException {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        NodeConfig config = nodeConfig();
        Service headless = get("Service/strata-headless", Service.class);
        Service client = get("Service/strata", Service.class);
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "peers must reach recovering nodes for status");
        for (Service s : List.of(headless, client)) {
            assertEquals(sts.getSpec().getSelector().getMatchLabels(), s.getSpec().getSelector(), s.getMetadata().getName());
            ServicePort p = s.getSpec().getPorts().get(0);
            assertEquals(config.http().port(), p.getPort());
            assertEquals("http", p.getTargetPort().getStrVal());
        }
        PeerAddresses peers = new PeerAddresses(config.cluster().peers(), config.cluster().peerTemplate(), "prod",
                config.cluster().nodes());
        assertEquals(sts.getMetadata().getName() + "-2." + headless.getMetadata().getName() + ".prod.svc:"
                + config.security().clusterPort(), peers.of(2));
        // Peers reach the cluster port through the headless Service; clients never see it.
        ServicePort cluster = headless.getSpec().getPorts().stream().filter(p -> "cluster".equals(p.getName()))
                .findFirst().orElseThrow();
        assertEquals(config.security().clusterPort(), cluster.getPort());
        assertEquals("cluster", cluster.getTargetPort().getStrVal());
        assertTrue(client.getSpec().getPorts().stream().noneMatch(p -> p.getPort() == config.security().clusterPort()
                || "cluster".equals(p.getTargetPort().getStrVal())), "the client Service must not expose the cluster port");
    }

    @Test
    void clusterPortIsSeparateAuthenticatedAndOnlyForStrataPods() throws IOException {
        StatefulSet sts = get("StatefulSet/strata", StatefulSet.class);
        NodeConfig config = nodeConfig();
        Container c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
        int clusterPort = c.getPorts().stream().filter(p -> "cluster".equals(p.getName())).findFirst().orElseThrow()
                .getContainerPort();
        assertEquals(config.security().clusterPort(), clusterPort, "container port 'cluster' != cluster.port");
        assertTrue(clusterPort != config.http().port());

        // The secret file the configuration names is the mounted Secret that the kustomization generates.
        Path secretFile = config.security().clusterSecretFile().orElseThrow();
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
        assertTrue(maxUnavailable < nodeConfig().cluster().replicas(),
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
