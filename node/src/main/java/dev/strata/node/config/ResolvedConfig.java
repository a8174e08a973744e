package dev.strata.node.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every declared key's typed value after merging the sources. Immutable. Only the settings records'
 * factories ({@link NodeConfig#from}) read it; no raw configuration travels below {@code main}.
 */
public final class ResolvedConfig {
    /** What reports show instead of a secret's value (Prometheus's mask). */
    public static final String MASK = "<secret>";

    private final ConfigDef def;
    private final Map<String, Object> values;
    private final Map<String, String> origins;

    ResolvedConfig(ConfigDef def, Map<String, Object> values, Map<String, String> origins) {
        this.def = def;
        this.values = Map.copyOf(values);
        this.origins = Map.copyOf(origins);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        Object v = values.get(key.name());
        if (v == null || !def.contains(key.name())) {
            throw new IllegalArgumentException("key '" + key.name() + "' is not declared in this ConfigDef");
        }
        return (T) v;
    }

    /** Where the value of {@code key} came from ("default", "environment variable STRATA_HTTP_PORT", ...). */
    public String origin(ConfigKey<?> key) {
        return origins.get(key.name());
    }

    /** The value of {@code key} in its text form. */
    public <T> String format(ConfigKey<T> key) {
        return key.type().format(get(key));
    }

    /**
     * Every key's value in its text form, in declaration order, secrets replaced by {@link #MASK}: what
     * the node reports about its configuration.
     */
    public Map<String, String> shown() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigKey<?> key : def.keys()) {
            out.put(key.name(), def.isSecret(key.name()) ? MASK : format(key));
        }
        return out;
    }
}
