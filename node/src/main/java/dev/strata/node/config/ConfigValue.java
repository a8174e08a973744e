package dev.strata.node.config;

/**
 * A raw value as one source supplied it, before parsing.
 *
 * @param origin where it came from, for error messages: "config file node.yaml", "environment
 *     variable STRATA_HTTP_PORT", "flag --set http.port=..."
 */
public record ConfigValue(String text, String origin) {}
