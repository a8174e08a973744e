package dev.strata.node.config;

import dev.strata.ingest.otlp.OtlpSettings;

/** The OTLP receiver's translation settings, from the {@code otlp.*} keys. */
public final class OtlpConfig {
    private OtlpConfig() {}

    public static OtlpSettings from(ResolvedConfig c) {
        return new OtlpSettings(OtlpSettings.Strategy.of(c.get(ConfigKeys.OTLP_TRANSLATION_STRATEGY)),
                c.get(ConfigKeys.OTLP_PROMOTE_RESOURCE_ATTRIBUTES), c.get(ConfigKeys.OTLP_KEEP_IDENTIFYING_RESOURCE_ATTRIBUTES),
                c.get(ConfigKeys.OTLP_PROMOTE_SCOPE_METADATA), c.get(ConfigKeys.OTLP_CONVERT_HISTOGRAMS_TO_NHCB));
    }
}
