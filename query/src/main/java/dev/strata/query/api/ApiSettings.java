package dev.strata.query.api;

import dev.strata.query.engine.QueryOptions;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.TreeMap;

/**
 * Configuration of the HTTP API, passed in by the node.
 *
 * @param queryDefaults the engine's limits for every query (lookback delta, max samples, timeout); a
 *     request's {@code timeout} can only shorten the timeout, {@code lookback_delta} replaces the lookback
 * @param buildInfo what {@code status/buildinfo} reports
 * @param flags the node's effective configuration, reported by {@code status/flags} (sorted by name)
 * @param storageRetention reported by {@code status/runtimeinfo}, e.g. {@code "15d"}
 * @param startTimeMs when the node started, reported by {@code status/runtimeinfo}
 * @param corsOrigin requests whose {@code Origin} fully matches get CORS headers (Prometheus's
 *     {@code --web.cors.origin}, default {@code .*}); null sends none
 * @param configYaml the node's resolved configuration as YAML (secrets masked), reported by
 *     {@code status/config}
 */
public record ApiSettings(QueryOptions queryDefaults, BuildInfo buildInfo, Map<String, String> flags,
                          String storageRetention, long startTimeMs, Pattern corsOrigin, String configYaml) {
    /** Prometheus's default CORS origin pattern: any origin. */
    public static final Pattern ANY_ORIGIN = Pattern.compile(".*");

    public ApiSettings {
        flags = new TreeMap<>(flags);
    }

    /** Settings without a configuration to report ({@code status/config} answers an empty YAML). */
    public ApiSettings(QueryOptions queryDefaults, BuildInfo buildInfo, Map<String, String> flags,
                       String storageRetention, long startTimeMs, Pattern corsOrigin) {
        this(queryDefaults, buildInfo, flags, storageRetention, startTimeMs, corsOrigin, "");
    }

    /** Settings with Prometheus's default CORS policy (any origin). */
    public ApiSettings(QueryOptions queryDefaults, BuildInfo buildInfo, Map<String, String> flags,
                       String storageRetention, long startTimeMs) {
        this(queryDefaults, buildInfo, flags, storageRetention, startTimeMs, ANY_ORIGIN, "");
    }
}
