package dev.strata.node.config;

import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The resolved configuration as YAML, one flat {@code key: value} line per key in declaration order
 * (values in their text form, secrets already masked by {@link ResolvedConfig#shown}). The output is a
 * valid {@code --config} file: the YAML source accepts dotted keys as well as nested maps.
 */
public final class ConfigYaml {
    private ConfigYaml() {}

    public static String of(Map<String, String> shown) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options).dump(shown);
    }
}
