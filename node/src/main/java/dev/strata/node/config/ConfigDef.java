package dev.strata.node.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The set of declared configuration keys (in the style of Kafka's ConfigDef): each key is declared
 * once with its type, default, validator and doc string, and everything else (parsing, validation,
 * environment variable names, docs/configuration.md) derives from that declaration.
 *
 * <p>Not thread safe while keys are being defined; meant to be filled in a static initializer
 * ({@link ConfigKeys}) and only read afterwards.
 */
public final class ConfigDef {
    private static final Pattern KEY_NAME = Pattern.compile("[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*");

    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final Map<String, String> envNames = new HashMap<>();
    private final java.util.Set<String> secrets = new java.util.HashSet<>();

    /**
     * Declares a key.
     *
     * @throws IllegalArgumentException if the name is malformed or taken, or the default is invalid
     */
    public <T> ConfigKey<T> define(String name, ConfigType<T> type, String defaultText, Validator<? super T> validator,
                                   String doc) {
        if (!KEY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("malformed configuration key name '" + name + "'");
        }
        if (keys.containsKey(name)) {
            throw new IllegalArgumentException("configuration key '" + name + "' is declared twice");
        }
        String env = ConfigKey.envName(name);
        if (envNames.containsKey(env)) {
            throw new IllegalArgumentException("configuration keys '" + name + "' and '" + envNames.get(env)
                    + "' share the environment variable " + env);
        }
        if (doc == null || doc.isBlank()) {
            throw new IllegalArgumentException("configuration key '" + name + "' has no doc string");
        }
        ConfigKey<T> key = new ConfigKey<>(name, type, defaultText, validator, doc);
        String problem = check(key, new ConfigValue(defaultText, "its declared default"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        keys.put(name, key);
        envNames.put(env, name);
        return key;
    }

    /**
     * Declares a key whose value is a secret (a password, a token): reports of the configuration
     * ({@code /api/v1/status/config}, {@code status/flags}) show {@link ResolvedConfig#MASK} instead of it.
     */
    public <T> ConfigKey<T> defineSecret(String name, ConfigType<T> type, String defaultText,
                                         Validator<? super T> validator, String doc) {
        ConfigKey<T> key = define(name, type, defaultText, validator, doc);
        secrets.add(name);
        return key;
    }

    /** True for keys declared with {@link #defineSecret}. */
    public boolean isSecret(String name) {
        return secrets.contains(name);
    }

    /** Every key, in declaration order. */
    public Collection<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    public boolean contains(String name) {
        return keys.containsKey(name);
    }

    /**
     * Resolves every key from {@code layers}, lowest priority first (e.g. YAML file, environment,
     * flags); a key absent from all layers takes its default.
     *
     * @throws ConfigException listing every unknown key and every invalid value
     */
    public ResolvedConfig resolve(List<Map<String, ConfigValue>> layers) {
        List<String> problems = new ArrayList<>();
        Map<String, ConfigValue> merged = new HashMap<>();
        for (Map<String, ConfigValue> layer : layers) {
            for (Map.Entry<String, ConfigValue> e : layer.entrySet()) {
                if (!keys.containsKey(e.getKey())) {
                    String suggestion = Suggestions.closest(e.getKey(), keys.keySet());
                    problems.add("unknown key '" + e.getKey() + "' (" + e.getValue().origin() + ")"
                            + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
                } else {
                    merged.put(e.getKey(), e.getValue());
                }
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (ConfigKey<?> key : keys.values()) {
            ConfigValue raw = merged.getOrDefault(key.name(), new ConfigValue(key.defaultText(), "default"));
            String problem = check(key, raw);
            if (problem != null) {
                problems.add(problem);
                continue;
            }
            values.put(key.name(), key.type().parse(raw.text()));
            origins.put(key.name(), raw.origin());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ResolvedConfig(this, values, origins);
    }

    /** Null when {@code raw} parses and validates, else the message naming key, value, origin and expectation. */
    private static <T> String check(ConfigKey<T> key, ConfigValue raw) {
        T value;
        try {
            value = key.type().parse(raw.text());
        } catch (IllegalArgumentException e) {
            return invalid(key, raw, e.getMessage());
        }
        String problem = key.validator().problem(value);
        return problem == null ? null : invalid(key, raw, "expected " + problem);
    }

    private static String invalid(ConfigKey<?> key, ConfigValue raw, String expected) {
        return "invalid value '" + raw.text() + "' for key '" + key.name() + "' (" + raw.origin() + "): "
                + expected;
    }
}
