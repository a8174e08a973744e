package dev.strata.node.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads raw key/value layers from the three sources, in increasing priority: a YAML file, the
 * environment, command-line assignments. Layers are resolved by {@link ConfigDef#resolve}.
 */
public final class ConfigSources {
    private ConfigSources() {}

    /** A YAML file whose nested maps are flattened with dots: {@code kafka: {bootstrap: x}} is {@code kafka.bootstrap}. */
    public static Map<String, ConfigValue> yamlFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e);
        }
        return yaml(text, "config file " + file);
    }

    /** YAML text; {@code origin} names it in errors (e.g. "config file node.yaml"). */
    public static Map<String, ConfigValue> yaml(String text, String origin) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object root;
        try (Reader r = new StringReader(text)) {
            root = new Yaml(new SafeConstructor(options)).load(r);
        } catch (YAMLException | IOException e) {
            throw new ConfigException("cannot parse " + origin + ": " + e.getMessage());
        }
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        if (root == null) {
            return out; // an empty file sets nothing
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException(origin + " must hold a map of keys to values, not a " + describe(root));
        }
        List<String> problems = new ArrayList<>();
        flatten("", map, origin, out, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, String origin, Map<String, ConfigValue> out,
                                List<String> problems) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, origin, out, problems);
            } else if (v == null) {
                problems.add("key '" + key + "' has no value (" + origin + ")");
            } else {
                String text;
                if (v instanceof List<?> list) {
                    List<String> items = new ArrayList<>();
                    for (Object item : list) {
                        if (item instanceof Map || item instanceof List || item == null) {
                            problems.add("key '" + key + "' must be a list of plain values (" + origin + ")");
                        }
                        items.add(String.valueOf(item));
                    }
                    text = String.join(",", items);
                } else {
                    text = String.valueOf(v);
                }
                if (out.put(key, new ConfigValue(text, origin)) != null) {
                    problems.add("key '" + key + "' is set twice (" + origin + ")");
                }
            }
        }
    }

    private static String describe(Object o) {
        return o instanceof List ? "list" : "single value";
    }

    /**
     * The values of {@code STRATA_*} variables for the keys declared in {@code def}
     * ({@code STRATA_KAFKA_BOOTSTRAP} for {@code kafka.bootstrap}). Other variables are ignored:
     * STRATA_JAVA_OPTS and friends belong to the launcher script.
     */
    public static Map<String, ConfigValue> environment(ConfigDef def, Map<String, String> env) {
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        for (ConfigKey<?> key : def.keys()) {
            String v = env.get(key.envName());
            if (v != null) {
                out.put(key.name(), new ConfigValue(v, "environment variable " + key.envName()));
            }
        }
        return out;
    }

    /** {@code key=value} assignments from {@code --set key=value} or {@code --key=value} flags. */
    public static Map<String, ConfigValue> assignments(List<String> assignments) {
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("expected key=value, got '" + a + "'");
            }
            String key = a.substring(0, eq).trim();
            out.put(key, new ConfigValue(a.substring(eq + 1), "command line"));
        }
        return out;
    }
}
