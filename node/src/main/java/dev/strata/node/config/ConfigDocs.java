package dev.strata.node.config;

/** Renders docs/configuration.md from a {@link ConfigDef}: one table row per key, in declaration order. */
public final class ConfigDocs {
    private ConfigDocs() {}

    public static String markdown(ConfigDef def) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration\n\n");
        sb.append("<!-- Generated from dev.strata.node.config.ConfigKeys by `bin/strata config docs > docs/configuration.md`.\n");
        sb.append("     Do not edit by hand: ConfigDocsTest fails when this file and the declaration differ. -->\n\n");
        sb.append("A node reads its configuration from three sources; a later one overrides an earlier one:\n\n");
        sb.append("1. a YAML file given with `--config FILE`; nested maps are flattened with dots, so\n");
        sb.append("   `kafka: {bootstrap: host:9092}` sets `kafka.bootstrap`. Unknown keys are an error.\n");
        sb.append("2. environment variables: `STRATA_` + the key upper-cased, dots and dashes replaced by `_`\n");
        sb.append("   (`STRATA_KAFKA_BOOTSTRAP` sets `kafka.bootstrap`).\n");
        sb.append("3. command-line flags: `--set kafka.bootstrap=host:9092` or `--kafka.bootstrap=host:9092`.\n\n");
        sb.append("Types: `duration` is one or more `<number><unit>` with units ms, s, m, h, d, w (`30s`, `1h30m`);\n");
        sb.append("`size` is a number of bytes with an optional unit B, KB, MB, GB, TB (powers of 1000) or KiB, MiB,\n");
        sb.append("GiB, TiB (powers of 1024); lists are comma-separated (or YAML lists).\n");
        sb.append("`bin/strata config show [--config FILE] [--set k=v ...]` prints the resolved values and their origins.\n\n");
        sb.append("| Key | Type | Default | Allowed | Environment variable | Description |\n");
        sb.append("|-----|------|---------|---------|----------------------|-------------|\n");
        for (ConfigKey<?> k : def.keys()) {
            sb.append("| `").append(k.name()).append("` | ").append(k.type().name())
                    .append(" | `").append(cell(k.defaultText())).append("` | ")
                    .append(cell(k.validator().describe())).append(" | `").append(k.envName()).append("` | ")
                    .append(cell(k.doc())).append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
