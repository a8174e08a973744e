package dev.strata.ingest.validate;

/** Which metric and label names are accepted. */
public enum NameValidation {
    /** Prometheus's classic rules: metric names {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    LEGACY,
    /** Prometheus 3: any non-empty valid UTF-8 name. */
    UTF8
}
