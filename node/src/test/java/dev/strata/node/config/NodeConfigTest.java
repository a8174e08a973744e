package dev.strata.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws Exception {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void shownConfigurationMasksSecretsAndReadsBackAsYaml() throws Exception {
        ConfigDef def = new ConfigDef();
        ConfigKey<String> user = def.define("auth.user", ConfigType.STRING, "admin", Validator.any(), "User.");
        def.defineSecret("auth.password", ConfigType.STRING, "", Validator.any(), "Password.");
        ResolvedConfig c = def.resolve(List.of(Map.of("auth.password", new ConfigValue("hunter2", "flag"))));
        assertEquals("admin", c.get(user));
        Map<String, String> shown = c.shown();
        assertEquals(Map.of("auth.user", "admin", "auth.password", ResolvedConfig.MASK), shown);
        String yaml = ConfigYaml.of(shown);
        assertTrue(!yaml.contains("hunter2"), yaml);
        Map<String, ConfigValue> back = ConfigSources.yaml(yaml, "report");
        assertEquals("admin", back.get("auth.user").text());
        assertEquals(ResolvedConfig.MASK, back.get("auth.password").text());
        // The node's own keys read back to the same configuration.
        ResolvedConfig node = NodeConfig.resolve(Optional.empty(), Map.of(), List.of("shards=16", "http.port=0"));
        NodeConfig again = NodeConfig.from(NodeConfig.resolve(Optional.of(yaml(ConfigYaml.of(node.shown()))),
                Map.of(), List.of()));
        assertEquals(NodeConfig.from(node), again);
    }

    @Test
    void defaults() {
        NodeConfig c = NodeConfig.defaults();
        assertEquals(new HttpSettings("0.0.0.0", 9090, 32 << 20, Duration.ofMinutes(5), 0), c.http());
        assertEquals(Path.of("./data/node"), c.storage().dataDir());
        assertEquals("localhost:9092", c.kafka().bootstrapServers());
        assertEquals("strata-samples", c.kafka().topic());
        assertEquals(List.of(new HostPort("localhost", 9042)), c.cassandra().contactPoints());
        assertEquals("strata", c.cassandra().keyspace());
        assertEquals("datacenter1", c.cassandra().localDatacenter());
        assertEquals("{'class':'SimpleStrategy','replication_factor':1}", c.cassandra().replication());
        assertEquals(8, c.cluster().shards());
        assertEquals(-1, c.cluster().ordinal());
        assertEquals(1, c.cluster().nodes());
        assertEquals(1, c.cluster().replicas());
    }

    @Test
    void yamlNestedAndDottedKeysFlatten() throws Exception {
        Path f = yaml("""
                http:
                  port: 9191
                  max-request-bytes: 1MiB
                kafka:
                  bootstrap: [k1:9092, k2:9093]
                  topic: t1
                cassandra.keyspace: ks
                shards: 16
                node: {ordinal: 3, connect-retry-interval: 250ms}
                """);
        NodeConfig c = NodeConfig.from(NodeConfig.resolve(Optional.of(f), Map.of(), List.of()));
        assertEquals(9191, c.http().port());
        assertEquals(1 << 20, c.http().maxRequestBytes());
        assertEquals(List.of(new HostPort("k1", 9092), new HostPort("k2", 9093)), c.kafka().bootstrap());
        assertEquals("t1", c.kafka().topic());
        assertEquals("ks", c.cassandra().keyspace());
        assertEquals(16, c.cluster().shards());
        assertEquals(3, c.cluster().ordinal());
        assertEquals(Duration.ofMillis(250), c.cluster().connectRetryInterval());
    }

    @Test
    void precedenceIsYamlThenEnvironmentThenFlags() throws Exception {
        Path f = yaml("http: {port: 1001}\nkafka: {topic: from-yaml}\nshards: 2\n");
        Map<String, String> env = Map.of("STRATA_HTTP_PORT", "1002", "STRATA_KAFKA_TOPIC", "from-env",
                "STRATA_JAVA_OPTS", "-Xmx1g");
        ResolvedConfig r = NodeConfig.resolve(Optional.of(f), env, List.of("http.port=1003"));
        NodeConfig c = NodeConfig.from(r);
        assertEquals(1003, c.http().port());
        assertEquals("from-env", c.kafka().topic());
        assertEquals(2, c.cluster().shards());
        assertEquals("command line", r.origin(ConfigKeys.HTTP_PORT));
        assertEquals("environment variable STRATA_KAFKA_TOPIC", r.origin(ConfigKeys.KAFKA_TOPIC));
        assertEquals("config file " + f, r.origin(ConfigKeys.SHARDS));
        assertEquals("default", r.origin(ConfigKeys.CASSANDRA_KEYSPACE));
    }

    @Test
    void environmentNamesReplaceDotsAndDashes() {
        assertEquals("STRATA_CASSANDRA_LOCAL_DATACENTER", ConfigKeys.CASSANDRA_LOCAL_DATACENTER.envName());
        NodeConfig c = NodeConfig.from(NodeConfig.resolve(Optional.empty(),
                Map.of("STRATA_CASSANDRA_CONTACT_POINTS", "c1:9042,c2:9042"), List.of()));
        assertEquals(2, c.cassandra().contactPoints().size());
    }

    @Test
    void delayedNameRemovalIsOffByDefaultAndSetByItsVariable() {
        assertFalse(NodeConfig.defaults().query().toOptions().delayedNameRemoval());
        assertFalse(NodeConfig.defaults().query().toOptions().useStartTimestamps());
        assertEquals("STRATA_QUERY_DELAYED_NAME_REMOVAL", ConfigKeys.QUERY_DELAYED_NAME_REMOVAL.envName());
        NodeConfig on = NodeConfig.from(NodeConfig.resolve(Optional.empty(),
                Map.of("STRATA_QUERY_DELAYED_NAME_REMOVAL", "true"), List.of()));
        assertTrue(on.query().toOptions().delayedNameRemoval());
        ConfigException bad = assertThrows(ConfigException.class, () -> NodeConfig.resolve(Optional.empty(),
                Map.of(), List.of("query.delayed-name-removal=yes")));
        assertTrue(bad.getMessage().contains("'query.delayed-name-removal'"), bad.getMessage());
    }

    @Test
    void unknownYamlKeyIsNamedWithSuggestion() throws Exception {
        Path f = yaml("kafka:\n  bootstrp: x:1\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> NodeConfig.resolve(Optional.of(f), Map.of(), List.of()));
        assertEquals(List.of("unknown key 'kafka.bootstrp' (config file " + f + "); did you mean 'kafka.bootstrap'?"),
                e.problems());
    }

    @Test
    void unknownKeyWithoutCloseMatchHasNoSuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> NodeConfig.resolve(Optional.empty(), Map.of(), List.of("frobnicate.widgets=3")));
        assertEquals(List.of("unknown key 'frobnicate.widgets' (command line)"), e.problems());
    }

    @Test
    void badValuesNameKeyValueOriginAndExpectation() throws Exception {
        Path f = yaml("http: {port: 70000}\n");
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.resolve(Optional.of(f),
                Map.of("STRATA_KAFKA_REQUEST_TIMEOUT", "soon"), List.of("shards=0", "kafka.bootstrap=nohost")));
        assertEquals(List.of(
                "invalid value '70000' for key 'http.port' (config file " + f + "): expected a value in [0, 65535]",
                "invalid value 'nohost' for key 'kafka.bootstrap' (command line): 'nohost' is not host:port",
                "invalid value 'soon' for key 'kafka.request-timeout' (environment variable STRATA_KAFKA_REQUEST_TIMEOUT):"
                        + " expected a duration such as 500ms, 30s, 5m, 1h30m (units ms, s, m, h, d, w)",
                "invalid value '0' for key 'shards' (command line): expected a value in [1, 65536]"), e.problems());
        assertTrue(e.getMessage().startsWith("invalid configuration (4 problems):"), e.getMessage());
    }

    @Test
    void enumAndPatternValidators() {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfig.resolve(Optional.empty(), Map.of(),
                List.of("cassandra.keyspace=1bad", "cassandra.replication=SimpleStrategy")));
        assertEquals(2, e.problems().size());
        assertTrue(e.problems().get(0).contains("'cassandra.keyspace'") && e.problems().get(0).contains("keyspace name"));
        assertEquals("bad", Validator.oneOf("a", "b").problem("c") == null ? "ok" : "bad");
        assertEquals(null, Validator.oneOf("a", "b").problem("a"));
    }

    @Test
    void malformedYamlIsReported() throws Exception {
        Path dup = yaml("shards: 1\nshards: 2\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> NodeConfig.resolve(Optional.of(dup), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("cannot parse config file"), e.getMessage());

        Path flatDup = yaml("http: {port: 1}\nhttp.port: 2\n");
        e = assertThrows(ConfigException.class, () -> NodeConfig.resolve(Optional.of(flatDup), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("key 'http.port' is set twice"), e.getMessage());

        Path list = yaml("- a\n- b\n");
        e = assertThrows(ConfigException.class, () -> NodeConfig.resolve(Optional.of(list), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("must hold a map"), e.getMessage());

        Path nul = yaml("kafka:\n  topic:\n");
        e = assertThrows(ConfigException.class, () -> NodeConfig.resolve(Optional.of(nul), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("key 'kafka.topic' has no value"), e.getMessage());

        e = assertThrows(ConfigException.class,
                () -> NodeConfig.resolve(Optional.of(dir.resolve("missing.yaml")), Map.of(), List.of()));
        assertTrue(e.getMessage().contains("cannot read config file"), e.getMessage());
    }

    @Test
    void emptyYamlSetsNothing() throws Exception {
        Path f = yaml("# nothing\n");
        assertEquals(NodeConfig.defaults(), NodeConfig.from(NodeConfig.resolve(Optional.of(f), Map.of(), List.of())));
    }

    @Test
    void declarationRejectsBadDefinitions() {
        ConfigDef def = new ConfigDef();
        def.define("a.b", ConfigType.INT, "1", Validator.any(), "doc");
        assertThrows(IllegalArgumentException.class, () -> def.define("a.b", ConfigType.INT, "1", Validator.any(), "doc"));
        assertThrows(IllegalArgumentException.class, () -> def.define("a-b", ConfigType.INT, "1", Validator.any(), "doc"));
        assertThrows(IllegalArgumentException.class, () -> def.define("Bad", ConfigType.INT, "1", Validator.any(), "doc"));
        assertThrows(IllegalArgumentException.class, () -> def.define("c", ConfigType.INT, "x", Validator.any(), "doc"));
        assertThrows(IllegalArgumentException.class, () -> def.define("d", ConfigType.INT, "0", Validator.range(1, 2), "doc"));
        assertThrows(IllegalArgumentException.class, () -> def.define("e", ConfigType.INT, "1", Validator.any(), " "));
    }

    @Test
    void suggestionsByEditDistance() {
        assertEquals(1, Suggestions.distance("port", "prot"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals("http.port", Suggestions.closest("http.prot", List.of("http.port", "http.bind")));
        assertEquals(null, Suggestions.closest("zz", List.of("http.port")));
    }
}
