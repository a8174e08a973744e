package dev.strata.ingest.otlp;

import java.util.List;

/**
 * How OTLP metrics become Prometheus series (Prometheus 3's {@code otlp:} configuration block).
 *
 * @param strategy name translation: {@link Strategy#UNDERSCORE_ESCAPING_WITH_SUFFIXES} (default) or
 *     {@link Strategy#NO_UTF8_ESCAPING_WITH_SUFFIXES}
 * @param promoteResourceAttributes resource attributes copied onto every series of the resource
 * @param keepIdentifyingResourceAttributes also keep service.name, service.namespace and
 *     service.instance.id on {@code target_info}
 * @param promoteScopeMetadata add {@code otel_scope_name}, {@code otel_scope_version},
 *     {@code otel_scope_schema_url} and {@code otel_scope_<attribute>} labels
 * @param convertHistogramsToNhcb explicit-bucket histograms as custom-bucket native histograms
 *     (schema -53) instead of classic series (Prometheus 3's {@code convert_histograms_to_nhcb})
 */
public record OtlpSettings(Strategy strategy, List<String> promoteResourceAttributes,
                           boolean keepIdentifyingResourceAttributes, boolean promoteScopeMetadata, boolean convertHistogramsToNhcb) {
    public OtlpSettings {
        promoteResourceAttributes = List.copyOf(promoteResourceAttributes);
    }

    /** Settings with explicit-bucket histograms as classic series (the default). */
    public OtlpSettings(Strategy strategy, List<String> promoteResourceAttributes, boolean keepIdentifyingResourceAttributes,
                        boolean promoteScopeMetadata) {
        this(strategy, promoteResourceAttributes, keepIdentifyingResourceAttributes, promoteScopeMetadata, false);
    }

    public static OtlpSettings defaults() {
        return new OtlpSettings(Strategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES, List.of(), false, false);
    }

    /** Prometheus 3's {@code translation_strategy} values that Strata implements. */
    public enum Strategy {
        /** Names and labels escaped to [a-zA-Z0-9_:], unit and type suffixes added (Prometheus 3's default). */
        UNDERSCORE_ESCAPING_WITH_SUFFIXES("UnderscoreEscapingWithSuffixes", false),
        /** Names and labels kept as UTF-8, unit and type suffixes added. */
        NO_UTF8_ESCAPING_WITH_SUFFIXES("NoUTF8EscapingWithSuffixes", true);

        private final String configName;
        private final boolean utf8;

        Strategy(String configName, boolean utf8) {
            this.configName = configName;
            this.utf8 = utf8;
        }

        public String configName() {
            return configName;
        }

        boolean utf8() {
            return utf8;
        }

        public static Strategy of(String configName) {
            for (Strategy s : values()) if (s.configName.equals(configName)) return s;
            throw new IllegalArgumentException("unknown OTLP translation strategy \"" + configName + "\"");
        }
    }
}
