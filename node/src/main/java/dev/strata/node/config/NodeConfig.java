package dev.strata.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's whole configuration, typed and immutable: one record per area. Built once in {@code main}
 * by {@link #load}; components receive only the records they need. {@code shown} is every key's value
 * in its text form with secrets masked ({@link ResolvedConfig#shown}), for the node's status endpoints.
 */
public record NodeConfig(HttpSettings http, StorageSettings storage, KafkaSettings kafka, CassandraSettings cassandra,
                         ClusterSettings cluster, IngestSettings ingest, MemoryStoreSettings memory, QuerySettings query,
                         DurabilitySettings durability, SecuritySettings security, LimitSettings limits, RemoteReadSettings remoteRead, dev.strata.ingest.otlp.OtlpSettings otlp,
                         Map<String, String> shown) {

    public NodeConfig {
        shown = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(shown));
    }

    public static NodeConfig from(ResolvedConfig c) {
        return new NodeConfig(HttpSettings.from(c), StorageSettings.from(c), KafkaSettings.from(c),
                CassandraSettings.from(c), ClusterSettings.from(c), IngestSettings.from(c), MemoryStoreSettings.from(c),
                QuerySettings.from(c), DurabilitySettings.from(c), SecuritySettings.from(c), LimitSettings.from(c), RemoteReadSettings.from(c), OtlpConfig.from(c), c.shown());
    }

    /** Every key at its default. */
    public static NodeConfig defaults() {
        return from(ConfigKeys.DEF.resolve(List.of()));
    }

    /**
     * Resolves the configuration from its sources, in increasing priority: the YAML file (if any), the
     * environment ({@code STRATA_*}), command-line assignments ({@code key=value}).
     *
     * @throws ConfigException naming every unknown key and invalid value
     */
    public static ResolvedConfig resolve(Optional<Path> yamlFile, Map<String, String> env, List<String> assignments) {
        List<Map<String, ConfigValue>> layers = new ArrayList<>();
        yamlFile.ifPresent(f -> layers.add(ConfigSources.yamlFile(f)));
        layers.add(ConfigSources.environment(ConfigKeys.DEF, env));
        layers.add(ConfigSources.assignments(assignments));
        return ConfigKeys.DEF.resolve(layers);
    }
}
