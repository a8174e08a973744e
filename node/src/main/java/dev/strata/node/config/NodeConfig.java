package dev.strata.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node's whole configuration, typed and immutable: one record per area. Built once in {@code main}
 * by {@link #load}; components receive only the records they need.
 */
public record NodeConfig(HttpSettings http, StorageSettings storage, KafkaSettings kafka, CassandraSettings cassandra,
                         ClusterSettings cluster, IngestSettings ingest, MemoryStoreSettings memory, QuerySettings query,
                         DurabilitySettings durability, LimitSettings limits) {

    public static NodeConfig from(ResolvedConfig c) {
        return new NodeConfig(HttpSettings.from(c), StorageSettings.from(c), KafkaSettings.from(c),
                CassandraSettings.from(c), ClusterSettings.from(c), IngestSettings.from(c), MemoryStoreSettings.from(c),
                QuerySettings.from(c), DurabilitySettings.from(c), LimitSettings.from(c));
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
